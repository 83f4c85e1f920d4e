"""The audit log in the service navigation, and the auditor's home panel: denials, forged
requests and lockouts of the week, and the last verification of the chain."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.audit.models import AuditEvent, LogEvent
from pontio.audit.selectors import verification_outcome
from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.core.recording import alarm_kinds
from pontio.core.scopes import restrict


def auditor_panel(user: Any) -> dict[str, Any]:
    week_ago = timezone.now() - timedelta(days=7)
    events = restrict(AuditEvent.objects.all(), user, "view").filter(occurred_at__gte=week_ago)
    denials = events.filter(action__in=alarm_kinds()).count()
    last = events.filter(action=LogEvent.VERIFY).first()
    verify_label = (
        _("log not verified this week")
        if last is None
        else _("last verification: %(result)s") % {"result": verification_outcome(last)}
    )
    return {
        "title": _("Audit"),
        "items": [
            {
                "count": denials,
                "label": ngettext(
                    "denied or forged request or lockout (7 days)",
                    "denied or forged requests and lockouts (7 days)",
                    denials,
                ),
                "url": reverse("audit:event-list") + "?action=denied",
            },
            {"count": "", "label": verify_label, "url": reverse("audit:verify")},
        ],
    }


register(
    NavItem(
        gettext_lazy("Audit log"),
        "audit:event-list",
        "audit.view_log",
        order=70,
        section_prefix="/audit/",
    )
)
register_panel(Panel("audit.view_log", auditor_panel, order=70))
