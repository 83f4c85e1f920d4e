"""The officer's home page: how many referral drafts they have, a link to "My drafts"."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pontio.core.navigation import Panel, register_panel
from pontio.referrals.services.drafts import draft_count


def drafts_panel(user: Any) -> dict[str, Any] | None:
    count = draft_count(user)
    if not count:
        return None
    return {
        "title": _("Drafts"),
        "items": [
            {
                "count": count,
                "label": ngettext(
                    "draft referral not sent yet", "draft referrals not sent yet", count
                ),
                "url": reverse("referrals:drafts"),
            }
        ],
    }


register_panel(Panel("referrals.create", drafts_panel, order=16))
