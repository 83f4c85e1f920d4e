"""What the disposals app contributes to pages it does not own, found at start-up
(core.registry). Each feature registers its own items in ``disposals.contrib``."""

from pontio.disposals.contrib import decisions, diversion, outcomes, panel  # noqa: F401

from pontio.disposals import dashboard_tiles  # noqa: F401  # isort: skip
