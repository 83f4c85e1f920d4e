"""Writes of the disposals app, one module per feature (decisions, contracts, panel)."""
