"""What a panel member sees of a disposal: the anonymised record.

County and month only; the offence's type and group, the gravity score and its factors, the
admission, whether the victim's views were sought (not what they said), the recommendation
and decision types, the conditions' kinds and categories and compliance, and the outcome.
Never the person, any name, the free-text summary, reasons or rationale (they name people),
references or exact dates.
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from pontio.disposals.models import Disposal

NONE = "\N{EN DASH}"


def anonymised_rows(disposal: Disposal) -> list[tuple[str, str]]:
    factors = [str(factor) for factor in disposal.factors.all()]
    conditions = [
        f"{c.get_kind_display()}: {c.get_category_display()} ({c.get_status_display()})"
        for c in disposal.conditions.all()
    ]
    offence = disposal.offence
    return [
        (_("County"), str(disposal.county)),
        (_("Month decided"), formats.date_format(disposal.decided_at, "F Y")),
        (_("Offence"), str(offence)),
        (_("Offence group"), offence.offence_group),
        (_("Gravity score"), str(disposal.gravity_score)),
        (_("Gravity factors"), "; ".join(factors) or NONE),
        (_("Admission"), disposal.get_admission_display()),
        (_("Victim's views"), disposal.get_victim_views_display()),
        (_("Recommended outcome"), disposal.get_recommended_outcome_display()),
        (_("Recommended disposal"), str(disposal.recommended_type or NONE)),
        (_("Decision"), disposal.get_outcome_display()),
        (_("Disposal given"), str(disposal.disposal_type or NONE)),
        (_("Conditions and compliance"), "; ".join(conditions) or NONE),
        (_("Where it stands"), disposal.get_state_display()),
    ]
