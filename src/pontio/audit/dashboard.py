"""Home-page panel of the auditor: break-glass access to review, failures, verification."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import BreakGlassGrant
from pontio.accounts.scopes import restrict
from pontio.audit.models import AuditAction, AuditEvent


def auditor_panel(user: Any) -> dict[str, Any]:
    week_ago = timezone.now() - timedelta(days=7)
    grants = restrict(BreakGlassGrant.objects.all(), user, "view").filter(granted_at__gte=week_ago)
    events = restrict(AuditEvent.objects.all(), user, "view").filter(occurred_at__gte=week_ago)
    denials = events.filter(
        action__in=[AuditAction.DENIED, AuditAction.CSRF_FAILURE, AuditAction.LOCKED_OUT]
    ).count()
    last = events.filter(action=AuditAction.VERIFY).first()
    verify_label = (
        _("log not verified this week")
        if last is None
        else _("last verification: %(result)s") % {"result": last.reason}
    )
    return {
        "title": _("Audit"),
        "items": [
            {
                "count": grants.count(),
                "label": _("break-glass accesses to review (7 days)"),
                "url": reverse("audit:break-glass-list"),
            },
            {
                "count": denials,
                "label": _("denied or forged requests and lockouts (7 days)"),
                "url": reverse("audit:event-list") + "?action=denied",
            },
            {"count": "", "label": verify_label, "url": reverse("audit:verify")},
        ],
    }
