"""The notices need no database: only the language fixture of tests/conftest.py is shared."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[5])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.conftest import english_by_default  # noqa: E402, F401
