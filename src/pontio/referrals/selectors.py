"""Reads of referrals for lists and exports: one scoped query, filtered, sorted and counted.

Every list starts from ``referrals_for(user)`` (the scope policies in ``policies.py``), so
the same filters give a provider their organisation's referrals, an officer the ones they
made and a supervisor those of their area. Breaches are worked out in the database with
``sla.with_clock``/``sla.breach_q``, so a filter and the tags in a row always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, F, QuerySet, When
from django.utils import timezone

from pontio.accounts.models import User
from pontio.core.scopes import restrict
from pontio.referrals import sla
from pontio.referrals.models import Referral, Status

BREACH_CHOICES = ("any", *sla.TIMERS)
SORTS = {
    "sent": ("sent_at", "pk"),
    "status": ("status", "sent_at", "pk"),
    "due": ("next_due", "sent_at", "pk"),
}
PAGE_SIZE = 25
# GOV.UK tag colour of each status (the same in the inbox and on the referral).
STATUS_TAGS: dict[str, str] = {
    Status.REQUESTED: "govuk-tag--blue",
    Status.RECEIVED: "govuk-tag--light-blue",
    Status.ACCEPTED: "govuk-tag--turquoise",
    Status.IN_PROGRESS: "govuk-tag--green",
    Status.ON_HOLD: "govuk-tag--yellow",
    Status.COMPLETED: "govuk-tag--grey",
    Status.FAILED: "govuk-tag--orange",
    Status.REJECTED: "govuk-tag--red",
    Status.CANCELLED: "govuk-tag--grey",
}


def status_tag(status: str) -> str:
    """The GOV.UK tag colour class of a referral status."""
    return STATUS_TAGS.get(status, "govuk-tag--grey")


def referrals_of_person(user: User, person: Any) -> list[Referral]:
    """The person's referrals the user may see (status only), newest first, each with its
    tag colour."""
    referrals = list(
        restrict(Referral.objects.filter(person=person), user, "view")
        .select_related("service")
        .order_by("-sent_at", "-pk")
    )
    for referral in referrals:
        referral.tag = status_tag(referral.status)  # type: ignore[attr-defined]
    return referrals


@dataclass(frozen=True)
class InboxFilters:
    """What the user chose: codes only (statuses, ONS county codes, pathways, timers)."""

    status: str = ""
    county: str = ""
    pathway: str = ""
    breach: str = ""
    sort: str = "sent"
    descending: bool = True

    def describe(self) -> str:
        """For audit reasons: which filters, never personal data (there is none here)."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("status", self.status),
                ("county", self.county),
                ("pathway", self.pathway),
                ("breach", self.breach),
            )
            if value
        ]
        return "filters: " + (", ".join(parts) if parts else "none")


def referrals_for(user: User, action: str = "view") -> QuerySet[Referral]:
    """The referrals the user may see (or export)."""
    return restrict(Referral.objects.all(), user, action)


def _next_due() -> Case:
    """The due date of the first timer not yet met (due dates follow one another)."""
    return Case(
        When(first_contact_on__isnull=True, then=F("first_contact_due")),
        When(assessed_on__isnull=True, then=F("assessment_due")),
        When(treatment_started_on__isnull=True, then=F("treatment_due")),
        default=None,
    )


def annotated(queryset: QuerySet[Referral], today: dt.date) -> QuerySet[Referral]:
    """The referrals with the clock, the first due date and a breach flag per timer."""
    queryset = sla.with_clock(queryset, today)  # type: ignore[assignment]
    breaches: dict[str, Any] = {
        f"breached_{name}": ExpressionWrapper(
            sla.breach_q(today, name), output_field=BooleanField()
        )
        for name in sla.TIMERS
    }
    return queryset.annotate(next_due=_next_due(), **breaches)


def _filtered(
    queryset: QuerySet[Referral], filters: InboxFilters, today: dt.date
) -> QuerySet[Referral]:
    """Every filter except status (status is what the counts are split by)."""
    if filters.county:
        queryset = queryset.filter(county__ons_code=filters.county)
    if filters.pathway:
        queryset = queryset.filter(pathway=filters.pathway)
    if filters.breach:
        timer = None if filters.breach == "any" else filters.breach
        queryset = queryset.filter(sla.breach_q(today, timer))
    return queryset


def inbox(
    user: User,
    filters: InboxFilters,
    today: dt.date | None = None,
    action: str = "view",
) -> tuple[QuerySet[Referral], dict[str, int]]:
    """The user's referrals matching the filters, sorted; and the count of each status
    among the referrals matching the other filters (so each status tab shows what it holds).
    """
    today = today or timezone.localdate()
    base = _filtered(annotated(referrals_for(user, action), today), filters, today)
    counts = dict.fromkeys(Status.values, 0)
    for row in base.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    rows = base.filter(status=filters.status) if filters.status else base
    order = SORTS.get(filters.sort, SORTS["sent"])
    if filters.descending:
        ordering: list[Any] = [F(order[0]).desc(nulls_last=True), *(f"-{f}" for f in order[1:])]
    else:
        ordering = [F(order[0]).asc(nulls_last=True), *order[1:]]
    rows = rows.select_related("person", "county", "service", "provider", "allocated_to").defer(
        "county__boundary"
    )
    return rows.order_by(*ordering), counts
