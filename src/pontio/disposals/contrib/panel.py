"""Contributions of the panel feature to other apps' pages (navigation, home panels)."""
