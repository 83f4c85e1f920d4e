"""Reads of diversion contracts for the navigators' caseload (always through ``restrict``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from pontio.accounts.models import User
from pontio.core.scopes import restrict
from pontio.core.working_days import working_days_between
from pontio.disposals.models import AssessmentStage, ContractState, DiversionContract

START_TARGET_WORKING_DAYS = 5  # the start assessment within a working week of the referral
OPEN_STATES = (ContractState.REFERRED, ContractState.ACTIVE)
TABS = ("mine", "unassigned", "all")


def caseload(user: User, tab: str = "mine") -> QuerySet[DiversionContract]:
    """The open contracts of the user's organisation the user may change, by tab."""
    contracts = restrict(DiversionContract.objects.all(), user, "change").filter(
        state__in=OPEN_STATES
    )
    if tab == "mine":
        contracts = contracts.filter(navigator_id=user.pk)
    elif tab == "unassigned":
        contracts = contracts.filter(navigator__isnull=True)
    return contracts.select_related("person", "navigator", "county")


@dataclass
class Timers:
    start_days: int | None  # working days since referral, while the start assessment waits
    start_overdue: bool
    review_due: dt.date | None
    review_overdue: bool
    ends_on: dt.date | None
    days_left: int | None
    due: dt.date  # what is due first, for sorting


def timers(contract: DiversionContract, today: dt.date, has_start: bool) -> Timers:
    referred = contract.referred_at.date()
    start_days = None if has_start else working_days_between(referred, today)
    review = contract.next_review_due if contract.state == ContractState.ACTIVE else None
    days_left = (contract.ends_on - today).days if contract.ends_on else None
    if start_days is not None:
        due = referred + dt.timedelta(days=7)
    else:
        due = min(d for d in (review, contract.ends_on, dt.date.max) if d is not None)
    return Timers(
        start_days=start_days,
        start_overdue=start_days is not None and start_days > START_TARGET_WORKING_DAYS,
        review_due=review,
        review_overdue=review is not None and review < today,
        ends_on=contract.ends_on,
        days_left=days_left,
        due=due,
    )


def caseload_rows(user: User, tab: str, today: dt.date) -> list[dict[str, Any]]:
    """Each open contract with its timers, what is due first at the top."""
    contracts = list(caseload(user, tab).prefetch_related("assessments"))
    rows: list[dict[str, Any]] = []
    for contract in contracts:
        has_start = any(a.stage == AssessmentStage.START for a in contract.assessments.all())
        rows.append({"contract": contract, "timers": timers(contract, today, has_start)})
    rows.sort(key=lambda row: (row["timers"].due, row["contract"].pk))
    return rows
