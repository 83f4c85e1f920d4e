"""bench/run: the production set-up under load (gunicorn, the task worker, PostgreSQL)."""
