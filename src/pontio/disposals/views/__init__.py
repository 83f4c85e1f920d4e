"""The disposals app's pages, one module per feature; each lists its own URL patterns."""
