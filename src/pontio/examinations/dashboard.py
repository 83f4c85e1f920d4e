"""What device examinations contribute to pages they do not own (found at start-up by
``core.registry``; imported by nobody):

- service navigation: "Device examinations" (everyone who may read requests) and
  "Examination capacity" (those who see the capacity page);
- the home panel of examiners: the queue waiting to be taken, the requests they hold, and
  how many of those are overdue; requesters see their own open requests and overdue ones.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.core.navigation import NavItem, Panel, register, register_panel
from pontio.core.permissions import has_permission
from pontio.examinations import selectors


def examiner_panel(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    waiting = selectors.queue(user).count()
    held = selectors.held_by(user)
    mine = held.count()
    late = held.filter(due_on__lt=today).count()
    base = reverse("examinations:list")
    return {
        "title": _("Device examinations"),
        "items": [
            {
                "count": waiting,
                "label": ngettext(
                    "request waiting in the queue", "requests waiting in the queue", waiting
                ),
                "url": f"{base}?show=queue",
            },
            {
                "count": mine,
                "label": ngettext("request assigned to you", "requests assigned to you", mine),
                "url": f"{base}?show=mine",
            },
            {
                "count": late,
                "label": ngettext("of yours overdue", "of yours overdue", late),
                "url": f"{base}?show=mine",
            },
        ],
    }


def requester_panel(user: Any) -> dict[str, Any] | None:
    """Requesters with open requests: how many, and how many are overdue (none: no panel)."""
    if has_permission(user, "examinations.examine"):
        return None
    rows = selectors.open_requests(user).filter(requested_by_id=user.pk)
    count = rows.count()
    if not count:
        return None
    late = rows.filter(due_on__lt=timezone.localdate()).count()
    url = reverse("examinations:list")
    return {
        "title": _("Device examinations"),
        "items": [
            {
                "count": count,
                "label": ngettext(
                    "examination you requested is open",
                    "examinations you requested are open",
                    count,
                ),
                "url": url,
            },
            {
                "count": late,
                "label": ngettext("of them overdue", "of them overdue", late),
                "url": url,
            },
        ],
    }


register(
    NavItem(
        gettext_lazy("Device examinations"),
        "examinations:list",
        "examinations.view",
        order=60,
        section_prefix="/examinations/",
    )
)
register(
    NavItem(
        gettext_lazy("Examination capacity"),
        "examinations:capacity",
        "examinations.capacity",
        order=61,
        section_prefix="/examinations/capacity/",
    )
)
register(
    NavItem(
        gettext_lazy("Examiner profiles"),
        "examinations:examiners",
        "examinations.manage_examiners",
        order=91,
        section_prefix="/examinations/examiners/",
    )
)
register_panel(Panel("examinations.examine", examiner_panel, order=20))
register_panel(Panel("examinations.request", requester_panel, order=60))
