"""Home panel: transfers waiting for the receiving provider's decision."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pontio.core.navigation import Panel, register_panel
from pontio.core.scopes import restrict
from pontio.referrals.models import Transfer


def transfers_panel(user: Any) -> dict[str, Any] | None:
    waiting = (
        restrict(Transfer.objects.all(), user, "view")
        .filter(to_provider_id=user.organisation_id, state=Transfer.State.PROPOSED)
        .count()
    )
    if not waiting:
        return None
    return {
        "title": _("Transfers"),
        "items": [
            {
                "count": waiting,
                "label": ngettext(
                    "transfer waiting for your decision",
                    "transfers waiting for your decision",
                    waiting,
                ),
                "url": reverse("referrals:transfers"),
            }
        ],
    }


register_panel(Panel("referrals.work", transfers_panel, order=16))
