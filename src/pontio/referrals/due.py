"""Work coming due: what falls due for a user in the next working days, and what is late.

Four kinds of item, each read with one query over the referrals in the user's scope
(``core.scopes.restrict``), never one query per row:

- ``timer``: a service-level timer (first contact, assessment, treatment start:
  ``sla.TIMERS``) that runs (open, not on hold, not stopped) and is not yet met;
- ``appointment``: a booked appointment whose attendance is not recorded, in the past or
  in the window (provider staff);
- ``concern``: a concern note from the other side not yet acknowledged (both sides);
- ``information``: a question from the provider the police have not answered (the police
  answer it; the provider sees it as waiting for the police).

Provider caseworkers and navigators see the referrals allocated to them or not allocated
yet in their scope; provider managers all in scope. The police see the referrals they made
(supervisors: those of their area too). The window is ``WINDOW`` working days in Wales
(``core.working_days``); anything due before today is overdue and comes first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pontio.accounts.models import User
from pontio.accounts.roles import PROVIDER_ROLES, REFERRING_ROLES, Role
from pontio.core.scopes import restrict
from pontio.core.working_days import add_working_days, working_days_between
from pontio.referrals import sla
from pontio.referrals.models import (
    OPEN,
    Appointment,
    CaseNote,
    InformationRequest,
    Party,
    Referral,
)

# Working days ahead that the list shows (today is day 0).
WINDOW = 5
# Local agreements, not national targets: a concern is acknowledged by the next working day
# after it is raised; a question from the provider is answered within two working days.
CONCERN_WITHIN = 1
ANSWER_WITHIN = 2

KINDS: dict[str, Any] = {
    "first_contact": gettext_lazy("First contact attempt"),
    "assessment": gettext_lazy("Assessment"),
    "treatment": gettext_lazy("Treatment start"),
    "appointment": gettext_lazy("Appointment to record"),
    "concern": gettext_lazy("Concern to acknowledge"),
    "information": gettext_lazy("Question from the provider to answer"),
    "information_waiting": gettext_lazy("Waiting for the police"),
}
# GOV.UK tag colours by kind.
TAGS = {
    "first_contact": "govuk-tag--blue",
    "assessment": "govuk-tag--blue",
    "treatment": "govuk-tag--blue",
    "appointment": "govuk-tag--purple",
    "concern": "govuk-tag--red",
    "information": "govuk-tag--yellow",
    "information_waiting": "govuk-tag--grey",
}
KIND_ORDER = {name: i for i, name in enumerate(KINDS)}


@dataclass(frozen=True)
class DueItem:
    kind: str
    referral_id: int
    reference: str
    due: dt.date
    days_left: int
    url: str
    # Overdue: due before today; an appointment once its start time has passed unrecorded.
    overdue: bool

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def tag(self) -> str:
        return TAGS[self.kind]

    @property
    def overdue_by(self) -> int:
        """Working days late (0 when not late)."""
        return max(-self.days_left, 0)


def party_of(user: User) -> str:
    if user.has_role(*PROVIDER_ROLES):
        return Party.PROVIDER
    if user.has_role(*REFERRING_ROLES):
        return Party.POLICE
    return Party.NOBODY


def visible(user: User) -> QuerySet[Referral]:
    """The open referrals the user may see."""
    return restrict(Referral.objects.filter(status__in=OPEN), user, "view")


def worked_by(user: User) -> QuerySet[Referral]:
    """The referrals whose work is the user's: for provider staff those allocated to them or
    not allocated yet (managers: all in scope); for the police those they may see."""
    referrals = visible(user)
    if party_of(user) == Party.PROVIDER and not user.has_role(Role.PROVIDER_MANAGER):
        referrals = referrals.filter(Q(allocated_to=user) | Q(allocated_to__isnull=True))
    return referrals


def _detail(pk: int) -> str:
    return reverse("referrals:detail", args=[pk])


def _item(
    kind: str,
    pk: int,
    reference: str,
    due: dt.date,
    today: dt.date,
    url: str,
    overdue: bool | None = None,
) -> DueItem:
    left = working_days_between(today, due)
    return DueItem(kind, pk, reference, due, left, url, due < today if overdue is None else overdue)


def timer_items(user: User, today: dt.date, until: dt.date) -> list[DueItem]:
    """Every running, unmet timer due by ``until`` (one query)."""
    unmet_due = Q()
    for due_field, met_field, _label in sla.TIMERS.values():
        unmet_due |= Q(**{f"{met_field}__isnull": True, f"{due_field}__lte": until})
    fields = ["pk", "reference"]
    for due_field, met_field, _label in sla.TIMERS.values():
        fields += [due_field, met_field]
    rows = worked_by(user).filter(sla.RUNNING).filter(unmet_due).values(*fields)
    items = []
    for row in rows:
        for name, (due_field, met_field, _label) in sla.TIMERS.items():
            due = row[due_field]
            if row[met_field] is None and due <= until:
                items.append(
                    _item(name, row["pk"], row["reference"], due, today, _detail(row["pk"]))
                )
    return items


def appointment_items(user: User, today: dt.date, until: dt.date) -> list[DueItem]:
    """Booked appointments whose attendance is not recorded yet, up to ``until`` (provider
    staff; one query)."""
    if party_of(user) != Party.PROVIDER:
        return []
    tz = timezone.get_current_timezone()
    now = timezone.now()
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rows = (
        Appointment.objects.filter(
            referral_id__in=worked_by(user).values("pk"),
            attendance=Appointment.Attendance.BOOKED,
            starts_at__lt=end,
        )
        .order_by("starts_at", "pk")
        .values("pk", "referral_id", "referral__reference", "starts_at")
    )
    return [
        _item(
            "appointment",
            row["referral_id"],
            row["referral__reference"],
            timezone.localtime(row["starts_at"]).date(),
            today,
            reverse("referrals:appointment-attendance", args=[row["referral_id"], row["pk"]]),
            overdue=row["starts_at"] < now,
        )
        for row in rows
    ]


def concern_items(user: User, today: dt.date, until: dt.date) -> list[DueItem]:
    """Concerns from the other side waiting to be acknowledged (one query)."""
    party = party_of(user)
    if party == Party.NOBODY:
        return []
    rows = (
        CaseNote.objects.filter(
            referral_id__in=visible(user).values("pk"),
            category=CaseNote.Category.CONCERN,
            acknowledged_at__isnull=True,
        )
        .exclude(author_party=party)
        .order_by("created_at", "pk")
        .values("referral_id", "referral__reference", "created_at")
    )
    items = []
    for row in rows:
        due = add_working_days(timezone.localtime(row["created_at"]).date(), CONCERN_WITHIN)
        if due <= until:
            pk = row["referral_id"]
            items.append(_item("concern", pk, row["referral__reference"], due, today, _detail(pk)))
    return items


def information_items(user: User, today: dt.date, until: dt.date) -> list[DueItem]:
    """Questions from the provider not answered yet: the police's to answer, the provider's
    to wait for (one query)."""
    party = party_of(user)
    if party == Party.NOBODY:
        return []
    kind = "information" if party == Party.POLICE else "information_waiting"
    rows = (
        InformationRequest.objects.filter(
            referral_id__in=worked_by(user).values("pk"), answered_at__isnull=True
        )
        .order_by("asked_at", "pk")
        .values("referral_id", "referral__reference", "asked_at")
    )
    items = []
    for row in rows:
        due = add_working_days(timezone.localtime(row["asked_at"]).date(), ANSWER_WITHIN)
        if due <= until:
            pk = row["referral_id"]
            items.append(_item(kind, pk, row["referral__reference"], due, today, _detail(pk)))
    return items


def window_end(today: dt.date) -> dt.date:
    return add_working_days(today, WINDOW)


def due_items(user: User, today: dt.date | None = None) -> list[DueItem]:
    """Everything falling due for ``user`` in the next ``WINDOW`` working days, overdue
    first, then by date, kind and reference (four queries, whatever the number of rows)."""
    today = today or timezone.localdate()
    until = window_end(today)
    items = [
        *timer_items(user, today, until),
        *appointment_items(user, today, until),
        *concern_items(user, today, until),
        *information_items(user, today, until),
    ]
    items.sort(key=lambda i: (not i.overdue, i.due, KIND_ORDER[i.kind], i.reference))
    return items


@dataclass(frozen=True)
class DueCounts:
    due: int
    overdue: int


def counts(items: list[DueItem]) -> DueCounts:
    overdue = sum(1 for i in items if i.overdue)
    return DueCounts(due=len(items) - overdue, overdue=overdue)


def due_words(count: int) -> str:
    return ngettext(
        "due in the next %(days)s working days",
        "due in the next %(days)s working days",
        count,
    ) % {"days": WINDOW}


def overdue_words(count: int) -> str:
    return ngettext("overdue", "overdue", count)


def counts_text(found: DueCounts) -> str:
    """ "N due in the next 5 working days, M overdue"."""
    return _("%(due)s %(due_words)s, %(overdue)s %(overdue_words)s") % {
        "due": found.due,
        "due_words": due_words(found.due),
        "overdue": found.overdue,
        "overdue_words": overdue_words(found.overdue),
    }


def day_label(day: dt.date, today: dt.date) -> str:
    if day == today:
        return _("Today")
    if day == today + dt.timedelta(days=1):
        return _("Tomorrow")
    return date_format(day, "l j F")


def grouped(items: list[DueItem], today: dt.date) -> list[dict[str, Any]]:
    """The items by day: "Overdue" first, then "Today", "Tomorrow" and each later date."""
    groups: list[dict[str, Any]] = []
    overdue = [i for i in items if i.overdue]
    if overdue:
        groups.append({"key": "overdue", "label": _("Overdue"), "items": overdue})
    by_day: dict[dt.date, list[DueItem]] = {}
    for item in items:
        if not item.overdue:
            by_day.setdefault(item.due, []).append(item)
    for day in sorted(by_day):
        groups.append(
            {"key": day.isoformat(), "label": day_label(day, today), "items": by_day[day]}
        )
    return groups
