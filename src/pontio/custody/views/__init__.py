"""Pages of the custody app, by feature (every URL name is in the access matrix,
tests/system/test_access_matrix.py)."""
