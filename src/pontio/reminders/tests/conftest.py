"""Share the fixtures of tests/conftest.py with this package."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.conftest import *  # noqa: E402, F403
