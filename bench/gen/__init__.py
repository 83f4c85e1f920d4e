"""bench/generate: a deterministic national data set written straight into PostgreSQL."""
