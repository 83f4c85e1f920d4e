"""Helpers shared by the stop and search pages (no rules: those are the services')."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.recording import AuditAction
from pontio.stopsearch.models import SearchReview
from pontio.stopsearch.services.reviews import overdue

PAGE_SIZE = 25
SHOW_CHOICES = ("open", "overdue", "completed", "all")


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def context_of(request: HttpRequest) -> AuditContext:
    return AuditContext.from_request(request)


def query_of(request: HttpRequest, keys: tuple[str, ...]) -> QueryDict | None:
    """The filters of the query string (only the given keys, only if set), or None."""
    query = QueryDict(mutable=True)
    for key in keys:
        if request.GET.get(key):
            query[key] = request.GET[key]
    return query or None


def refusal_codes(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        codes = [e.code or name for name, errors in error.error_dict.items() for e in errors]
    else:
        codes = [e.code or "invalid" for e in error.error_list]
    return ", ".join(sorted({str(c) for c in codes}))[:150]


def audit_refusal(
    request: HttpRequest, error: ValidationError, what: str, person_id: Any, object_id: Any = ""
) -> None:
    """A refused save is logged like any other denial (the rule refused, never the text)."""
    audit_request(
        request,
        AuditAction.DENIED,
        object_type="stopsearch.stopsearch",
        object_id=str(object_id),
        person_id=person_id or "",
        reason=f"{what} refused: {refusal_codes(error)}",
    )


# --- review lists -------------------------------------------------------------------------------


def review_state(review: SearchReview, today: dt.date) -> tuple[str, str]:
    """(label, GOV.UK tag class) of a review's state."""
    if review.completed_at is not None:
        return _("Completed"), "govuk-tag--green"
    if review.escalated_at is not None:
        return _("Overdue: escalated"), "govuk-tag--red"
    if review.due_on < today:
        return _("Overdue"), "govuk-tag--orange"
    return _("Due"), "govuk-tag--blue"


def tag_reviews(reviews: Any, today: dt.date) -> None:
    for review in reviews:
        review.state_label, review.state_class = review_state(review, today)


def show_filter(
    reviews: QuerySet[SearchReview], show: str, today: dt.date
) -> QuerySet[SearchReview]:
    if show == "open":
        return reviews.filter(completed_at__isnull=True)
    if show == "overdue":
        return overdue(reviews, today)
    if show == "completed":
        return reviews.filter(completed_at__isnull=False)
    return reviews


def show_of(request: HttpRequest) -> str:
    show = request.GET.get("show", "open")
    return show if show in SHOW_CHOICES else "open"


def show_links(request: HttpRequest, show: str) -> list[dict[str, Any]]:
    labels = {
        "open": _("Waiting"),
        "overdue": _("Overdue"),
        "completed": _("Completed"),
        "all": _("All"),
    }
    return [
        {"label": labels[key], "url": f"{request.path}?show={key}", "current": key == show}
        for key in SHOW_CHOICES
    ]
