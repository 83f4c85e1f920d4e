"""Reads of stop and search: the reviews each reviewer works or follows."""

from __future__ import annotations

from django.db.models import QuerySet

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.core.scopes import restrict
from pontio.stopsearch import services_review
from pontio.stopsearch.models import SearchReview


def inspector_reviews(user: User) -> QuerySet[SearchReview]:
    return restrict(SearchReview.objects.filter(kind__in=services_review.AUDIT_KINDS), user, "view")


def my_independent_reviews(user: User) -> QuerySet[SearchReview]:
    return restrict(
        SearchReview.objects.filter(kind__in=services_review.INDEPENDENT_KINDS, reviewer=user),
        user,
        "view",
    )


def audit_reviews(user: User) -> QuerySet[SearchReview]:
    """Reviews whose progress the user follows: their area's, or all for force-wide users
    and administrators (counts only: the overview shows no record)."""
    if user.force_wide or user.has_role(Role.ADMINISTRATOR):
        return SearchReview.objects.all()
    return SearchReview.objects.filter(search__county_id__in=user.county_ids)
