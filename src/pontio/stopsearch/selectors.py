"""Reads of stop and search, each through ``restrict`` (the policy decides the rows)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from pontio.accounts.models import User
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.people import selectors as people_selectors
from pontio.people.matching import Identity, Match
from pontio.people.models import Person
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
    """The completed reviews of a search the user may read: the inspector's and the
    independent reviewer's (the monthly audit) and the panel's (with the body-worn video)."""
    return (
        restrict(SearchReview.objects.filter(search=search), user, "view")
        .filter(completed_at__isnull=False)
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


# --- the person searched ------------------------------------------------------------------


def person_matches(
    user: User, *, given_name: str, family_name: str, date_of_birth: dt.date | None
) -> list[tuple[Person, Match]]:
    """People who may be the person searched, best first: the people app's matcher over the
    whole force (``people.selectors.likely_matches``), so a person known in another county
    is found rather than added twice; the page shows minimal details only."""
    identity = Identity(given_name=given_name, family_name=family_name, date_of_birth=date_of_birth)
    return people_selectors.likely_matches(user, identity)


def linkable_people(user: User, people: list[Person]) -> set[int]:
    """Which of ``people`` the user may open, and so link to a search, without break-glass."""
    pks = [person.pk for person in people]
    visible = restrict(Person.objects.filter(pk__in=pks, is_active=True), user, "view")
    return set(visible.values_list("pk", flat=True))
