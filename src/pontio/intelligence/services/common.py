"""What the intelligence services share: limits, the logger, snapshots."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models

from pontio.core.models import snapshot_fields
from pontio.intelligence.models import (
    ReportStatus,
)

logger = logging.getLogger("pontio.intelligence")

MAX_TEXT = 5000
MAX_AREA = 200
SNAPSHOT_EXCLUDE = {"created_at", "updated_at", "secret_hash"}
STATUS_MOVES: dict[str, frozenset[str]] = {
    ReportStatus.RECEIVED: frozenset({ReportStatus.ASSESSED}),
    ReportStatus.ASSESSED: frozenset({ReportStatus.ACTIONED}),
    ReportStatus.ACTIONED: frozenset(),
}


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return snapshot_fields(obj, exclude=SNAPSHOT_EXCLUDE)
