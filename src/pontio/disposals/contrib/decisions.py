"""Contributions of the decisions feature to other apps' pages (navigation, home panels)."""
