"""People in the service navigation, and the home-page panel of open flags in the user's
area."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core.navigation import NavItem, Panel, register, register_panel
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
