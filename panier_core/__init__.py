"""What the indexer, the query API and the CLI share: settings, the engine client, Quebec's municipalities."""
