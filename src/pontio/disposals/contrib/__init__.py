"""What each feature contributes to pages it does not own; imported only by dashboard.py."""
