"""Accounts in the service navigation, and home-page panels: the work waiting for
administrators, break-glass access for auditors to review, and the panel everyone has."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from pontio.accounts.models import BreakGlassGrant, User
from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.core.scopes import restrict


def administrator_panel(user: Any) -> dict[str, Any]:
    users = restrict(User.objects.filter(is_active=True), user, "change")
    not_set_up = users.exclude(
        Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    ).count()
    from axes.models import AccessAttempt

    cutoff = timezone.now() - settings.AXES_COOLOFF_TIME
    locked_names = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=cutoff
    ).values("username")
    locked = users.filter(username__in=locked_names).count()
    list_url = reverse("accounts:user-list")
    return {
        "title": _("Accounts"),
        "items": [
            {
                "count": locked,
                "label": ngettext("account locked out", "accounts locked out", locked),
                "url": list_url,
            },
            {
                "count": not_set_up,
                "label": ngettext("account not yet set up", "accounts not yet set up", not_set_up),
                "url": list_url,
            },
        ],
    }


def your_account_panel(user: Any) -> dict[str, Any]:
    return {
        "title": _("Your account"),
        "items": [],
        "empty": _(
            "Nothing is waiting for you yet. Referrals, reviews and tasks for your role "
            "will appear here."
        ),
    }


def break_glass_panel(user: Any) -> dict[str, Any]:
    week_ago = timezone.now() - timedelta(days=7)
    grants = restrict(BreakGlassGrant.objects.all(), user, "view").filter(granted_at__gte=week_ago)
    granted = grants.count()
    return {
        "title": _("Break-glass access"),
        "items": [
            {
                "count": granted,
                "label": ngettext(
                    "break-glass access to review (7 days)",
                    "break-glass accesses to review (7 days)",
                    granted,
                ),
                "url": reverse("accounts:break-glass-list"),
            }
        ],
    }


register(NavItem(gettext_lazy("Users"), "accounts:user-list", "accounts.view_team", order=80))
register(
    NavItem(
        gettext_lazy("Organisations"),
        "accounts:organisation-list",
        "accounts.manage_organisations",
        order=85,
    )
)
register(
    NavItem(gettext_lazy("API tokens"), "accounts:token-list", "accounts.manage_tokens", order=86)
)
register_panel(Panel("accounts.manage_users", administrator_panel, order=80))
register_panel(Panel("audit.view_log", break_glass_panel, order=69))
register_panel(Panel("api.use", your_account_panel, order=1000, fallback=True))
