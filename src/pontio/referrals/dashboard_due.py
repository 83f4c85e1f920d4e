"""The home panel of work coming due: how many items fall due in the next working days and
how many are overdue, each a link to the due list. It steps aside when nothing is due."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.core.navigation import Panel, register_panel
from pontio.referrals import due


def due_panel(user: Any) -> dict[str, Any] | None:
    found = due.counts(due.due_items(user, timezone.localdate()))
    if not found.due and not found.overdue:
        return None
    url = reverse("referrals:due")
    return {
        "title": _("Work coming due"),
        "items": [
            {"count": found.due, "label": due.due_words(found.due), "url": url},
            {"count": found.overdue, "label": due.overdue_words(found.overdue), "url": url},
        ],
    }


register_panel(Panel("referrals.view", due_panel, order=16))
