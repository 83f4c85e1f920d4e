"""Caseload reads: the tabs of a user's referrals, their counts, and the caseload search.

Providers have four tabs: "My cases" (open, allocated to me), "Unassigned" (open, allocated
to nobody), "Open" (every open referral in my scope) and "Finished". The police have "My
referrals" (the ones I made) and, for supervisors only, "My team's" (those made by others
of my force in my area: the supervisor's scope less their own). An officer's scope is their
own referrals, so a team tab would show them nothing they may see: it is not offered.

Every tab is a condition on ``selectors.referrals_for(user)`` (``restrict``), so no tab and
no search reaches past the user's scope. The counts of every tab are one aggregate query
(``Count(..., filter=Q(...))``) over the same scope and search; the conditions follow the
indexes (provider, allocated_to, status) and (referred_by, status).

The search takes one box: a referral reference (``PR26-000123``), a date of birth
(``27/03/1990`` or ``1990-03-27``) or a name (each word matched as the people search does:
spelling and sound-alike, aliases too). A date that is not a real date is refused with a
message. Names and dates of birth never travel in a URL: the page keeps the search in the
session, the API takes it from a POST body.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_SUPERVISOR_ROLES
from pontio.people.models import Person
from pontio.people.selectors import filter_people
from pontio.referrals import selectors, sla
from pontio.referrals.filters import REFERENCE_CHARS
from pontio.referrals.lifecycle import party_of
from pontio.referrals.models import OPEN, Party, Referral

MAX_QUERY = 100
# Which tab each party starts on, and every tab's label, in order.
PROVIDER_TABS: dict[str, Any] = {
    "mine": gettext_lazy("My cases"),
    "unassigned": gettext_lazy("Unassigned"),
    "open": gettext_lazy("Open"),
    "finished": gettext_lazy("Finished"),
}
POLICE_TABS: dict[str, Any] = {
    "mine": gettext_lazy("My referrals"),
    "team": gettext_lazy("My team's"),
}
# The tabs a manager may allocate from.
ALLOCATING_TABS = frozenset({"unassigned", "open"})
DATE_LIKE = re.compile(r"^[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{1,4}$")
DMY = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
YMD = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")


def date_message() -> str:
    return _(
        "Enter a real date of birth as day/month/year or year-month-day, for example "
        "27/03/1990 or 1990-03-27"
    )


@dataclass(frozen=True)
class Search:
    """What the search box held: one of a reference, a date of birth or a name."""

    text: str = ""
    reference: str = ""
    date_of_birth: dt.date | None = None
    name: str = ""

    @property
    def kind(self) -> str:
        if self.reference:
            return "reference"
        if self.date_of_birth:
            return "date_of_birth"
        return "name" if self.name else ""

    def condition(self) -> Q:
        """The referrals matching the search (every referral when nothing was typed)."""
        if self.reference:
            return Q(reference__icontains=self.reference)
        if self.date_of_birth or self.name:
            people = filter_people(Person.objects.all(), self.name, self.date_of_birth)
            return Q(person_id__in=people.values("pk"))
        return Q()


def parse_search(text: str | None) -> Search:
    """The search typed in the box, or ValidationError({"q": [...]}) in the user's language."""
    typed = " ".join((text or "").split())
    if not typed:
        return Search()
    if len(typed) > MAX_QUERY:
        raise ValidationError(
            {"q": [_("Enter %(max)s characters or fewer") % {"max": MAX_QUERY}]}, code="too_long"
        )
    if DATE_LIKE.match(typed):
        day = _date(typed)
        if day is None or day > timezone.localdate() or day.year < 1900:
            raise ValidationError({"q": [date_message()]}, code="invalid_date")
        return Search(text=typed, date_of_birth=day)
    if any(ch.isdigit() for ch in typed):
        reference = typed.upper()
        if not set(reference) <= REFERENCE_CHARS:
            raise ValidationError(
                {
                    "q": [
                        _(
                            "Enter a referral reference like PR26-000123, a name, or a date "
                            "of birth like 27/03/1990"
                        )
                    ]
                },
                code="invalid_search",
            )
        return Search(text=typed, reference=reference)
    return Search(text=typed, name=typed)


def _date(typed: str) -> dt.date | None:
    found = YMD.match(typed)
    if found:
        year, month, day = (int(g) for g in found.groups())
    else:
        found = DMY.match(typed)
        if not found:
            return None
        day, month, year = (int(g) for g in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def tabs_of(user: User, party: str) -> dict[str, Any]:
    """The tabs the user is offered (by key, with their labels)."""
    if party == Party.PROVIDER:
        return dict(PROVIDER_TABS)
    if user.has_role(*POLICE_SUPERVISOR_ROLES):
        return dict(POLICE_TABS)
    return {"mine": POLICE_TABS["mine"]}


def tab_condition(user: User, party: str, tab: str) -> Q:
    """The referrals of one tab, within the user's scope (applied by the caller)."""
    if party == Party.PROVIDER:
        return {
            "mine": Q(status__in=OPEN, allocated_to_id=user.pk),
            "unassigned": Q(status__in=OPEN, allocated_to__isnull=True),
            "open": Q(status__in=OPEN),
            "finished": ~Q(status__in=OPEN),
        }[tab]
    if tab == "team":
        return ~Q(referred_by_id=user.pk)
    return Q(referred_by_id=user.pk)


@dataclass
class Caseload:
    party: str
    tab: str
    tabs: dict[str, Any]
    counts: dict[str, int]
    rows: QuerySet[Referral]
    search: Search = field(default_factory=Search)


def default_tab(party: str) -> str:
    return "mine"


def caseload(
    user: User,
    tab: str | None,
    search: Search | None = None,
    *,
    today: dt.date | None = None,
) -> Caseload:
    """The user's tab (their first when ``tab`` is not theirs), sorted by what breaches
    first (finished ones: newest first), and every tab's count in one query."""
    party = party_of(user)
    tabs = tabs_of(user, party)
    chosen = tab if tab in tabs else default_tab(party)
    search = search or Search()
    scope = selectors.referrals_for(user).filter(search.condition())
    aggregates = {key: Count("pk", filter=tab_condition(user, party, key)) for key in tabs}
    counts = {key: int(value or 0) for key, value in scope.aggregate(**aggregates).items()}
    rows = sla.annotated(
        scope.filter(tab_condition(user, party, chosen)), today or timezone.localdate()
    )
    if chosen == "finished":
        ordering: list[Any] = ["-sent_at", "-pk"]
    else:
        ordering = [F("breaches_on").asc(nulls_last=True), "sent_at", "pk"]
    rows = (
        rows.order_by(*ordering)
        .select_related("person", "county", "service", "provider", "allocated_to")
        .defer("county__boundary")
    )
    return Caseload(party, chosen, tabs, counts, rows, search)
