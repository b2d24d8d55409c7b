"""Loading merchants and products into the engine: indices, aliases, batch and incremental loads."""
