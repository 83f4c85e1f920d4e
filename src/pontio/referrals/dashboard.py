"""Home-page panel of referrals for the police: alerts, open referrals and missed targets."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.scopes import restrict
from pontio.referrals import sla
from pontio.referrals.models import OPEN, Alert, Referral


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def police_panel(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    visible = restrict(Referral.objects.filter(status__in=OPEN), user, "view")
    inbox = _url("referrals:inbox")
    breaches = f"{inbox}?breach=any" if inbox else None
    breached = sla.with_clock(visible, today).filter(sla.breach_q(today))  # type: ignore[attr-defined]
    return {
        "title": _("Referrals"),
        "items": [
            {
                "count": restrict(Alert.objects.filter(read_at__isnull=True), user, "view").count(),
                "label": _("unread alerts about your referrals"),
                "url": _url("referrals:alerts"),
            },
            {
                "count": visible.filter(referred_by=user).count(),
                "label": _("open referrals you made"),
                "url": inbox,
            },
            {
                "count": breached.count(),
                "label": _("open referrals that missed a target"),
                "url": breaches,
            },
        ],
    }
