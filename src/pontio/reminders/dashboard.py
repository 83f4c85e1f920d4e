"""What reminders contributes to pages it does not own (found at start-up, imported by
nobody): the administrators' "Messages to people" navigation item, the Commissioner's
dashboard tile "Attendance with and without reminders" (``core.tiles``), and the section
"Messages to the person" on the provider's referral page (``referrals.panels``).

Counts over ``restrict(..., "aggregate")``; small numbers are suppressed by
``core.tiles.present`` for those who may not open the referrals (the OPCC analyst).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.accounts.roles import PROVIDER_ROLES
from pontio.core.figures import Rate
from pontio.core.navigation import NavItem, register
from pontio.core.tiles import (
    PERCENT,
    Chart,
    Column,
    Row,
    Tile,
    TileData,
    TileQuery,
    column_group,
    register_tile,
)
from pontio.referrals.panels import ReferralPanel, register_referral_panel
from pontio.reminders import selectors

ALL = "all"
WITH = "reminded"
WITHOUT = "not_reminded"


def attendance_tile(user: Any, query: TileQuery) -> TileData:
    found = selectors.reminder_attendance(user, query.start, query.end, query.county)
    columns = [
        Column("recorded", gettext_lazy("Appointments with attendance recorded")),
        Column("came", gettext_lazy("Attended")),
        Column("rate", gettext_lazy("Attendance rate"), PERCENT),
    ]
    rows = []
    depends = {}
    for key, label, group, total in (
        (WITH, _("With a reminder"), found.reminded, False),
        (WITHOUT, _("Without a reminder"), found.not_reminded, False),
        (ALL, _("All appointments"), found.total, True),
    ):
        rows.append(
            Row(
                key,
                label,
                {
                    "recorded": group.recorded,
                    "came": group.came,
                    "rate": Rate(group.came, group.recorded),
                },
                total=total,
            )
        )
        depends[(key, "rate")] = ((key, "recorded"), (key, "came"))
    return TileData(
        columns=columns,
        rows=rows,
        groups=column_group(ALL, [WITH, WITHOUT], ["recorded", "came"]),
        depends=depends,
        exact=selectors.sees_rows(user),
        chart=Chart("bar", ("rate",)),
        missing=""
        if found.total.recorded
        else _("No appointment with attendance recorded in this period."),
        notes=[
            _(
                "Not a controlled comparison: people who agree to texts or emails may differ "
                "from those who do not."
            )
        ],
    )


def referral_panel(user: Any, referral: Any) -> dict[str, Any] | None:
    """The messages to the person for this referral (kind, channel, language, status, times;
    never the text or the address), for the provider's staff only: the scope policy lets
    them read their own referrals' messages (``reminders.policies``)."""
    if not user.has_role(*PROVIDER_ROLES):
        return None
    rows = selectors.referral_messages(user, referral.pk).order_by("due_at", "pk")
    return {"title": _("Messages to the person"), "messages": list(rows[:50])}


register_referral_panel(
    ReferralPanel("reminders", "reminders/referral_panel.html", referral_panel, order=60)
)
register(
    NavItem(
        gettext_lazy("Messages to people"),
        "reminders:outbox",
        "reminders.outbox",
        order=95,
        section_prefix="/reminders/",
    )
)
register_tile(
    Tile(
        key="reminder-attendance",
        title=gettext_lazy("Attendance with and without reminders"),
        permission="reminders.view_metrics",
        build=attendance_tile,
        definition=gettext_lazy(
            "Of the appointments starting in the period whose attendance is recorded "
            "(attended, left early or did not attend), the share the person came to (attended "
            "or left early), for those with a reminder (two days or two hours before) sent, "
            "delivered or recorded before the start, and for those without one."
        ),
        anchor="dashboard-reminder-attendance",
        source=gettext_lazy("Pontio appointments and messages to referred people"),
        order=60,
    )
)
