"""Contributions of the diversion feature to other apps' pages (navigation, home panels)."""
