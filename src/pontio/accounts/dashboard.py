"""Home-page panels of account administration: the work waiting for administrators."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from pontio.accounts.models import User
from pontio.accounts.scopes import restrict


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
            {"count": locked, "label": _("accounts locked out"), "url": list_url},
            {"count": not_set_up, "label": _("accounts not yet set up"), "url": list_url},
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
