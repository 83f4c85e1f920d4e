"""Contributions of the panel feature to other apps' pages (navigation, home panels)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.core.navigation import NavItem, Panel, register_panel
from pontio.core.navigation import register as register_navigation
from pontio.core.scopes import restrict
from pontio.disposals.models import PanelReview

register_navigation(
    NavItem(
        gettext_lazy("Scrutiny panel"),
        "disposals:panel",
        "disposals.panel_review",
        order=64,
        section_prefix="/disposals/panel",
    )
)
register_navigation(
    NavItem(
        gettext_lazy("Panel judgements"),
        "disposals:panel-feedback",
        "disposals.panel_feedback",
        order=65,
        section_prefix="/disposals/panel/feedback",
    )
)


def panel_reviews_panel(user: Any) -> dict[str, Any]:
    """The reviews waiting for a panel member (shown at 0 too: a member's home is this)."""
    count = (
        restrict(PanelReview.objects.all(), user, "view")
        .filter(reviewer_id=user.pk, reviewed_at__isnull=True)
        .count()
    )
    return {
        "title": _("Scrutiny panel"),
        "items": [
            {
                "count": count,
                "label": ngettext(
                    "disposal waiting for your review",
                    "disposals waiting for your review",
                    count,
                ),
                "url": reverse("disposals:panel"),
            }
        ],
    }


register_panel(Panel("disposals.panel_review", panel_reviews_panel, order=64))
