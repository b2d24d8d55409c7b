"""Loading merchants and products into the engine: index creation, aliases, (batch and incremental loading to come)."""
