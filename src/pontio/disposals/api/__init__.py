"""The disposals app's API (v1), one module per feature; each lists its own endpoints."""
