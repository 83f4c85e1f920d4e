"""The home-page panel of open concerns: those written by the other side, not yet
acknowledged, on referrals in the user's scope, each a link to its referral's notes.

Two queries at most (the count, then the first few), on the partial index
``casenote_open_concern``. Imported by ``referrals.dashboard``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pontio.core.navigation import Panel, register_panel
from pontio.core.scopes import restrict
from pontio.referrals import lifecycle
from pontio.referrals.models import CaseNote

# The referrals listed by name on the panel (the count says how many there are in all).
SHOWN = 5


def open_concerns(user: Any) -> Any:
    """The concerns waiting for the user's side to acknowledge them, oldest first."""
    party = lifecycle.party_of(user)
    waiting = CaseNote.objects.filter(
        category=CaseNote.Category.CONCERN, acknowledged_at__isnull=True
    ).exclude(author_party=party)
    return restrict(waiting, user, "view").order_by("created_at", "pk")


def concerns_panel(user: Any) -> dict[str, Any] | None:
    concerns = open_concerns(user)
    count = concerns.count()
    if not count:
        return None
    items: list[dict[str, Any]] = [
        {
            "count": count,
            "label": ngettext(
                "concern waiting for you to acknowledge it",
                "concerns waiting for you to acknowledge them",
                count,
            ),
            "url": None,
        }
    ]
    for row in concerns.values("pk", "referral_id", "referral__reference")[:SHOWN]:
        items.append(
            {
                "count": "",
                "label": _("Concern on referral %(reference)s")
                % {"reference": row["referral__reference"]},
                "url": reverse("referrals:detail", args=[row["referral_id"]])
                + f"#note-{row['pk']}",
            }
        )
    return {"title": _("Concerns to acknowledge"), "items": items}


register_panel(Panel("referrals.view", concerns_panel, order=10))
