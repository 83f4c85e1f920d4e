"""People in the service navigation, and the home-page panel of open flags in the user's
area (each count worded with its plural form)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.people.models import Flag
from pontio.people.selectors import open_flags_for


def flags_panel(user: Any) -> dict[str, Any]:
    url = reverse("people:list")
    safeguarding = open_flags_for(user, Flag.Kind.SAFEGUARDING).count()
    risk = open_flags_for(user, Flag.Kind.RISK_TO_STAFF).count()
    return {
        "title": _("People"),
        "items": [
            {
                "count": safeguarding,
                "label": ngettext(
                    "open safeguarding flag in your area",
                    "open safeguarding flags in your area",
                    safeguarding,
                ),
                "url": url,
            },
            {
                "count": risk,
                "label": ngettext(
                    "open risk-to-staff flag in your area",
                    "open risk-to-staff flags in your area",
                    risk,
                ),
                "url": url,
            },
        ],
    }


register(
    NavItem(
        gettext_lazy("People"),
        "people:list",
        "people.view_person",
        order=20,
        section_prefix="/people/",
    )
)
register_panel(Panel("people.view_person", flags_panel, order=20))
