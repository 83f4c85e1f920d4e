"""Browser journeys (Playwright + axe-core); run with ``pytest -m e2e``."""
