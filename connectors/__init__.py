"""newsbeam connectors: the edges of the pipeline (Kafka, files, PostgreSQL, dead letters)."""
