"""Reads of stop and search, each through ``restrict`` (the policy decides the rows)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from pontio.accounts.models import User
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.stopsearch.models import (
    AUDIT_KINDS,
    INDEPENDENT_KINDS,
    OutcomeUpdate,
    SearchReview,
    StopSearch,
)


def searches(user: User) -> QuerySet[StopSearch]:
    """The searches the user made or supervises (the record list)."""
    return restrict(StopSearch.objects.all(), user, "view")


def outcomes_of(user: User, search: StopSearch) -> QuerySet[OutcomeUpdate]:
    return restrict(OutcomeUpdate.objects.filter(search=search), user, "view").select_related(
        "recorded_by"
    )


def feedback_of(user: User, search: StopSearch) -> QuerySet[SearchReview]:
    """The completed inspector and independent reviews of a search the user may read."""
    return (
        restrict(SearchReview.objects.filter(search=search), user, "view")
        .filter(completed_at__isnull=False, kind__in=AUDIT_KINDS)
        .order_by("completed_at", "pk")
    )


def inspector_reviews(user: User) -> QuerySet[SearchReview]:
    return restrict(SearchReview.objects.filter(kind__in=AUDIT_KINDS), user, "view")


def my_independent_reviews(user: User) -> QuerySet[SearchReview]:
    return restrict(
        SearchReview.objects.filter(kind__in=INDEPENDENT_KINDS, reviewer=user), user, "view"
    )


def audit_reviews(user: User) -> QuerySet[SearchReview]:
    """Reviews whose progress the user follows, to be counted (the overview shows no
    record): their area's for inspectors, all for force-wide inspectors, administrators."""
    return restrict(SearchReview.objects.all(), user, "aggregate")


def publication(
    user: User, *, month: dt.date | None = None, county: County | None = None
) -> QuerySet[StopSearch]:
    """The searches the user may download in the police.uk format (``export`` scope)."""
    rows = restrict(StopSearch.objects.all(), user, "export")
    if month is not None:
        rows = rows.filter(month=month)
    if county is not None:
        rows = rows.filter(county=county)
    return rows.order_by("searched_at", "pk")
