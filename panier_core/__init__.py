"""What the indexer, the query API and the CLI share: settings and the engine client."""
