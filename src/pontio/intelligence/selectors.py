"""Reads of drug intelligence, always through ``restrict`` (but the public's two reads:
``public_status`` in services and ``published_summaries`` here, which give out only a
status word and approved, sanitised lines)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, DateField, IntegerField, QuerySet, Value, When
from django.db.models.functions import TruncMonth

from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.intelligence.models import (
    CommunitySummary,
    IntelligenceReport,
    Priority,
    ReportShare,
    ReportStatus,
    SummaryStatus,
)

_PRIORITY_ORDER = Case(
    When(priority=Priority.HIGH, then=Value(0)),
    When(priority=Priority.MEDIUM, then=Value(1)),
    When(priority=Priority.LOW, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
_UNGRADED_FIRST = Case(
    When(status=ReportStatus.RECEIVED, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


def reports(user: Any, action: str = "view") -> QuerySet[IntelligenceReport]:
    return restrict(IntelligenceReport.objects.all(), user, action)


def assessment_queue(user: Any) -> QuerySet[IntelligenceReport]:
    """Reports still to finish: ungraded first, then by priority (high first), oldest first."""
    return (
        reports(user)
        .exclude(status=ReportStatus.ACTIONED)
        .select_related("county")
        .annotate(_ungraded=_UNGRADED_FIRST, _priority=_PRIORITY_ORDER)
        .order_by("_ungraded", "_priority", "received_at", "pk")
    )


def queue_count(user: Any) -> int:
    return reports(user).filter(status=ReportStatus.RECEIVED).count()


def monthly_counts(user: Any, start: dt.date, end: dt.date) -> dict[tuple[int, dt.date], int]:
    """Reports received per county and month, both days included: ``{(county_id, first day
    of the month): count}``. Counted through ``restrict(..., "aggregate")``: the caller
    suppresses small numbers where its viewer may not open the rows."""
    rows = (
        restrict(IntelligenceReport.objects.all(), user, "aggregate")
        .filter(received_at__date__gte=start, received_at__date__lte=end)
        .annotate(month=TruncMonth("received_at", output_field=DateField()))
        .values("county_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result: dict[tuple[int, dt.date], int] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        key = (row["county_id"], month.replace(day=1))
        result[key] = result.get(key, 0) + row["n"]
    return result


def county_by_slug(slug: str) -> County | None:
    """A county by its ONS code (W06...) or by the slug of its English name."""
    from django.utils.text import slugify

    slug = (slug or "").strip()
    for county in County.objects.effective():
        if slug.upper() == county.ons_code or slug.lower() == slugify(county.label_en):
            return county
    return None


def county_slug(county: County) -> str:
    from django.utils.text import slugify

    return slugify(county.label_en)


def published_summaries(county: County) -> QuerySet[CommunitySummary]:
    """The county's approved lines: public text only (sanitised, approved), newest month first.

    Not through ``restrict``: the public page has no user, and these rows hold no personal
    data (each passed the identifying-pattern checks and an officer's approval)."""
    return (
        CommunitySummary.objects.filter(county=county, status=SummaryStatus.APPROVED)
        .only("month", "you_said_en", "you_said_cy", "we_did_en", "we_did_cy", "county_id")
        .order_by("-month", "pk")
    )


def summaries(user: Any) -> QuerySet[CommunitySummary]:
    return restrict(CommunitySummary.objects.all(), user, "view").select_related("county")


def shares_received(user: Any) -> QuerySet[ReportShare]:
    return (
        restrict(ReportShare.objects.all(), user, "view")
        .filter(recipient_id=user.organisation_id)
        .select_related("report")
    )
