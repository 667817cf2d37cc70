"""PostgreSQL backend that starts the embedded cluster on the first connection."""
