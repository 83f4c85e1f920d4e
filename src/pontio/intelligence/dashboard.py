"""What the intelligence app adds to pages it does not own (found at start-up by
``core.registry``; imported by nobody): service navigation and the home panels."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.core.navigation import NavItem, Panel, register_panel
from pontio.core.navigation import register as register_navigation
from pontio.intelligence import selectors
from pontio.intelligence.models import Priority, ReportStatus, ShareStatus

register_navigation(
    NavItem(
        gettext_lazy("Intelligence"),
        "intelligence:queue",
        "intelligence.assess",
        order=70,
        section_prefix="/intelligence/",
    )
)
register_navigation(
    NavItem(
        gettext_lazy("Submit intelligence"),
        "intelligence:submit",
        "intelligence.submit",
        order=71,
        section_prefix="/intelligence/submit/",
    )
)


def queue_panel(user: Any) -> dict[str, Any]:
    """The assessment queue: ungraded reports, and the high-priority ones not yet actioned."""
    reports = selectors.reports(user)
    ungraded = reports.filter(status=ReportStatus.RECEIVED).count()
    high = reports.filter(status=ReportStatus.ASSESSED, priority=Priority.HIGH).count()
    url = reverse("intelligence:queue")
    return {
        "title": _("Intelligence"),
        "items": [
            {
                "count": ungraded,
                "label": ngettext(
                    "report waiting to be graded", "reports waiting to be graded", ungraded
                ),
                "url": url,
            },
            {
                "count": high,
                "label": ngettext(
                    "high-priority report not yet actioned",
                    "high-priority reports not yet actioned",
                    high,
                ),
                "url": url,
            },
        ],
    }


def shares_panel(user: Any) -> dict[str, Any] | None:
    pending = selectors.shares_received(user).filter(status=ShareStatus.PENDING).count()
    if not pending:
        return None
    return {
        "title": _("Intelligence shared with you"),
        "items": [
            {
                "count": pending,
                "label": ngettext(
                    "share waiting for your answer", "shares waiting for your answer", pending
                ),
                "url": reverse("intelligence:shares"),
            }
        ],
    }


register_panel(Panel("intelligence.assess", queue_panel, order=70))
register_panel(Panel("intelligence.receive_share", shares_panel, order=72))
