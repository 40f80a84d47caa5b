"""The DuckDB store: the connection, the schema, uploads as batches, upsert and undo."""
