"""Drawing a month's audit sample from the audit page (JOURNEYS.md journey 5).

The sample is normally drawn on the 1st by the scheduled task (``tasks``); the page lets an
inspector draw it by hand, for a county of their area (``actions.drawable_counties``), with
the same seeded draw (``sampling.draw_sample``). Drawing is idempotent: a month and county
already drawn return the sample drawn, unchanged, whoever drew it and whatever the rate or
seed would be now.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.permissions import require_permission
from pontio.stopsearch.actions import drawable_counties
from pontio.stopsearch.models import AuditSample
from pontio.stopsearch.sampling import draw_sample, ended_months


def sample_draw(
    *,
    context: AuditContext,
    actor: User,
    month: dt.date | None,
    county_id: int | None,
    today: dt.date | None = None,
) -> tuple[AuditSample, bool]:
    """Draw (or find) the sample of a month that has ended, for a county the actor may
    draw; (sample, created)."""
    require_permission(actor, "stopsearch.manage_audit")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    county = drawable_counties(actor).filter(pk=county_id).first() if county_id else None
    if county is None:
        errors["county"] = [_("Choose a county of your area")]
    if month is None or month.replace(day=1) not in ended_months(today):
        errors["month"] = [_("Choose a month that has ended")]
    if errors or county is None or month is None:
        raise ValidationError(errors, code="invalid_draw")
    return draw_sample(month=month, county=county, context=context, actor=actor, today=today)
