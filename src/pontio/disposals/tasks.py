"""Background work of disposals: the scrutiny panel's quarterly sample.

Idempotent, so the worker (or cron through ``manage.py draw_disposal_sample``, see
docs/operations.md) can run it every day: a quarter's sample is drawn once, after the
quarter has ended, and never redrawn.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from pontio.audit.services import AuditContext
from pontio.disposals import panel
from pontio.disposals.models import DisposalSample


def draw_quarter(
    quarter: dt.date,
    *,
    context: AuditContext,
    seed: int | None = None,
    today: dt.date | None = None,
) -> tuple[DisposalSample, bool]:
    """Draw (or find) the sample of a quarter that has ended, as the system: (sample,
    created). A quarter still running is refused: its disposals are not all decided."""
    today = today or timezone.localdate()
    if panel.quarter_start(quarter) >= panel.quarter_start(today):
        raise ValidationError(
            {"quarter": [_("Choose a quarter that has ended")]}, code="invalid_draw"
        )
    return panel.draw_sample(quarter=quarter, context=context, seed=seed)


def draw_previous_quarter_sample(today: dt.date | None = None) -> tuple[DisposalSample, bool]:
    today = today or timezone.localdate()
    return draw_quarter(
        panel.previous_quarter(today),
        context=AuditContext.system("draw_previous_quarter"),
        today=today,
    )


@task()
def draw_previous_quarter() -> bool:
    """Draw the sample of the quarter last ended, once; True when it was drawn now."""
    _sample, created = draw_previous_quarter_sample()
    return created
