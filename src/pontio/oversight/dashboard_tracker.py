"""The tracker on pages it does not own: the service navigation and the home-page panel of
owners whose positions fall due (each a link to the recommendation's page)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.oversight import selectors

PANEL_ITEMS = 5


def due_panel(user: Any) -> dict[str, Any] | None:
    items = selectors.due_updates(user, timezone.localdate())
    if not items:
        return None
    shown, rest = items[:PANEL_ITEMS], len(items) - PANEL_ITEMS
    more = (
        [
            {
                "count": rest,
                "label": ngettext("more position due", "more positions due", rest),
                "url": reverse("oversight:reviews"),
            }
        ]
        if rest > 0
        else []
    )
    return {
        "title": _("Recommendation positions due"),
        "items": [
            {
                "count": "",
                "label": (
                    _("Recommendation %(n)s of %(review)s: overdue since %(date)s")
                    if item.overdue
                    else _("Recommendation %(n)s of %(review)s: due by %(date)s")
                )
                % {
                    "n": item.recommendation.number,
                    "review": item.recommendation.review.title,
                    "date": formats.date_format(item.due, "j F Y"),
                },
                "url": reverse("oversight:recommendation", args=[item.recommendation.pk]),
            }
            for item in shown
        ]
        + more,
    }


register(
    NavItem(
        gettext_lazy("Oversight"),
        "oversight:reviews",
        "oversight.view_tracker",
        order=80,
        section_prefix="/oversight/",
    )
)
register(
    NavItem(
        gettext_lazy("The facts"),
        "oversight:facts",
        "oversight.view_facts",
        order=59,
        section_prefix="/oversight/facts/",
    )
)
# Provider managers reach their returns from the navigation; the OPCC analyst from the
# tracker's page (with the commissioning awards), to keep the navigation short.
register(
    NavItem(
        gettext_lazy("Quarterly returns"),
        "oversight:return-list",
        "oversight.enter_returns",
        order=81,
        section_prefix="/oversight/returns/",
    )
)
register_panel(Panel("oversight.record_position", due_panel, order=20))
