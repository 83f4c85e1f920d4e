"""Contributions of the outcomes feature to other apps' pages (navigation, home panels)."""
