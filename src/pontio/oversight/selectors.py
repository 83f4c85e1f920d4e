"""Reads of the tracker, already scoped to the user (``restrict``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.oversight.models import (
    Board,
    PanelReport,
    PositionUpdate,
    Rag,
    Recommendation,
    Review,
)

# Owners are reminded this many days before an update falls due (and the home panel lists
# what falls due within it).
REMINDER_DAYS = 14


def reviews(user: Any) -> QuerySet[Review]:
    return restrict(Review.objects.select_related("organisation"), user, "view")


def recommendations(user: Any, action: str = "view") -> QuerySet[Recommendation]:
    return restrict(
        Recommendation.objects.select_related("review", "owner_organisation", "board"),
        user,
        action,
    )


def with_positions(queryset: QuerySet[Recommendation], user: Any) -> QuerySet[Recommendation]:
    positions = restrict(
        PositionUpdate.objects.select_related("reported_to", "entered_by").prefetch_related(
            "evidence"
        ),
        user,
        "view",
    ).order_by("as_of", "pk")
    return queryset.prefetch_related(Prefetch("positions", queryset=positions))


def position_at(recommendation: Recommendation, date: dt.date) -> PositionUpdate | None:
    """The position standing on ``date``: the latest dated on or before it (the last one
    entered when two share a date). Uses the prefetched positions."""
    standing = [p for p in recommendation.positions.all() if p.as_of <= date]
    return standing[-1] if standing else None


@dataclass(frozen=True)
class DueItem:
    recommendation: Recommendation
    due: dt.date
    overdue: bool


def due_updates(user: Any, today: dt.date, within: int = REMINDER_DAYS) -> list[DueItem]:
    """The recommendations this user reports on whose next position is due within
    ``within`` days (or is overdue), soonest first."""
    if not has_permission(user, "oversight.record_position"):
        return []
    items = []
    horizon = today + dt.timedelta(days=within)
    for recommendation in recommendations(user, "change").exclude(rag=Rag.COMPLETE):
        due = recommendation.next_update_due()
        if due is not None and due <= horizon:
            items.append(DueItem(recommendation, due, due < today))
    return sorted(items, key=lambda i: (i.due, i.recommendation.review_id, i.recommendation.number))


def boards(user: Any) -> QuerySet[Board]:
    return restrict(Board.objects.select_related("organisation"), user, "view").filter(
        is_active=True
    )


def reports(user: Any) -> QuerySet[PanelReport]:
    return restrict(
        PanelReport.objects.select_related("review", "produced_by").defer("pdf", "html"),
        user,
        "view",
    )


def rag_counts(items: list[Recommendation]) -> list[tuple[str, str, int]]:
    """(code, label, count) for each status, in the scale's order."""
    return [
        (code, str(label), sum(1 for r in items if r.rag == code)) for code, label in Rag.choices
    ]
