"""Reads of the disposals app, always through ``restrict()``, one module per feature."""
