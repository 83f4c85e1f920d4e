"""Home-page panel of person records: open flags in the user's area."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pontio.people.models import Flag
from pontio.people.selectors import open_flags_for


def flags_panel(user: Any) -> dict[str, Any]:
    url = reverse("people:list")
    return {
        "title": _("People"),
        "items": [
            {
                "count": open_flags_for(user, Flag.Kind.SAFEGUARDING).count(),
                "label": _("open safeguarding flags in your area"),
                "url": url,
            },
            {
                "count": open_flags_for(user, Flag.Kind.RISK_TO_STAFF).count(),
                "label": _("open risk-to-staff flags in your area"),
                "url": url,
            },
        ],
    }
