"""The monthly audit sample of stop and search records: reproducible, seeded and recorded.

On the first of each month a share (``PONTIO_STOPSEARCH_SAMPLE_PERCENT``, 25% by default)
of last month's searches in each county is drawn for review by a local inspector and by an
independent reviewer (DOMAIN.md §5; issue #5). The draw must be checkable by anyone, so:

- the population is every search recorded in Pontio (not police.uk imports, which have no
  officer to learn from) in that county and month, as it stood when the sample was drawn
  (created no later than ``AuditSample.drawn_at``), in primary-key order;
- the sample size is ``ceil(rate * population / 100)``: rounding up means a county with a
  handful of searches still has at least one reviewed, and 25% of 10 searches is 3;
- the selection is ``random.Random(seed).sample(pks, size)`` (Python's Mersenne Twister,
  stable across Python versions for integer seeds);
- the seed, when not given, derives from the month and the county's ONS code (the first 63
  bits of SHA-256 of ``"YYYY-MM:W06…"``), and the seed, rate and population are stored on
  the sample, so ``verify_sample`` (or anyone with the same rows) redraws the same records.

A search recorded after the draw (for a search made late in the month) is not in that
month's sample; it stays out of later samples too, because each sample covers one month.

Each sampled search gets two reviews: one by an inspector whose area covers the county (or a
force-wide inspector), one by an independent reviewer (panel member), each chosen as the one
with the fewest open reviews (ties by account number), so work is shared round robin; an
inspector is never given their own search (with no other inspector it waits unassigned). Both
are due ``PONTIO_STOPSEARCH_REVIEW_DAYS`` working days after the draw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.accounts.selectors import users_with_role
from pontio.audit.services import AuditContext, audit_record
from pontio.core import sampling as core_sampling
from pontio.core.models import County, snapshot_fields
from pontio.core.recording import AuditAction
from pontio.core.working_days import add_working_days
from pontio.stopsearch.models import AuditSample, SearchReview, Source, StopSearch

MAX_SEED = core_sampling.MAX_SEED


# --- pure functions ---------------------------------------------------------------------------


def default_seed(month: dt.date, ons_code: str) -> int:
    """The seed used when none is given: the same month and county always give the same one."""
    return core_sampling.seed_for(f"{month:%Y-%m}:{ons_code}")


sample_size = core_sampling.sample_size
select = core_sampling.select


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return (first_of_month(day) - dt.timedelta(days=1)).replace(day=1)


def ended_months(today: dt.date, count: int = 12) -> list[dt.date]:
    """The last ``count`` months that have ended, the most recent first (those a sample may
    be drawn for by hand; the scheduled task draws last month's)."""
    months = [previous_month(today)]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months


# --- the population and the reviewers ---------------------------------------------------------


def population_of(
    month: dt.date, county: County, as_of: dt.datetime | None = None
) -> QuerySet[StopSearch]:
    searches = StopSearch.objects.filter(
        month=first_of_month(month), county=county, source=Source.PONTIO
    )
    if as_of is not None:
        searches = searches.filter(created_at__lte=as_of)
    return searches.order_by("pk")


def _open_load(users: QuerySet[User]) -> list[tuple[int, int]]:
    """(open reviews, pk) of each user, the least loaded first."""
    pks = list(users.values_list("pk", flat=True))
    counts = dict(
        SearchReview.objects.filter(reviewer_id__in=pks, completed_at__isnull=True)
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    return sorted((counts.get(pk, 0), pk) for pk in pks)


active_with_role = users_with_role


def inspectors_for(county: County) -> QuerySet[User]:
    """Inspectors whose area covers the county, or who cover the whole force area."""
    return active_with_role(Role.INSPECTOR).filter(Q(force_wide=True) | Q(counties=county))


def panel_members() -> QuerySet[User]:
    return active_with_role(Role.PANEL_MEMBER)


class RoundRobin(core_sampling.RoundRobin):
    """Hands out users, the one with the fewest open search reviews first (ties by pk)."""

    def __init__(self, users: QuerySet[User]) -> None:
        super().__init__(_open_load(users))


# --- the service ------------------------------------------------------------------------------


_check_rate = core_sampling.check_rate


def draw_sample(
    *,
    month: dt.date,
    county: County,
    rate_percent: int | None = None,
    seed: int | None = None,
    context: AuditContext,
    actor: User | None = None,
    today: dt.date | None = None,
) -> tuple[AuditSample, bool]:
    """Draw the sample of a county's searches in a month, or return the one already drawn.

    Returns (sample, created). Drawing again never changes an existing sample, whatever
    rate or seed is passed: the recorded one is the sample of that month.
    """
    month = first_of_month(month)
    existing = AuditSample.objects.filter(month=month, county=county).first()
    if existing is not None:
        return existing, False
    rate = _check_rate(
        settings.PONTIO_STOPSEARCH_SAMPLE_PERCENT if rate_percent is None else rate_percent
    )
    if seed is None:
        seed = default_seed(month, county.ons_code)
    if not 0 <= seed <= MAX_SEED:
        raise ValidationError(
            {"seed": [_("The seed must be a whole number from 0 to %(max)s") % {"max": MAX_SEED}]},
            code="invalid_seed",
        )
    try:
        with transaction.atomic():
            return _draw(month, county, rate, seed, context, actor, today), True
    except IntegrityError:
        # Another worker drew the same month and county at the same moment: theirs stands.
        return AuditSample.objects.get(month=month, county=county), False


def _draw(
    month: dt.date,
    county: County,
    rate: int,
    seed: int,
    context: AuditContext,
    actor: User | None,
    today: dt.date | None,
) -> AuditSample:
    now = timezone.now()
    pks = list(population_of(month, county, as_of=now).values_list("pk", flat=True))
    sample = AuditSample.objects.create(
        month=month,
        county=county,
        rate_percent=rate,
        seed=seed,
        population=len(pks),
        drawn_by=actor,
    )
    # drawn_at is set on save; the population is the rows created up to then.
    AuditSample.objects.filter(pk=sample.pk).update(drawn_at=now)
    sample.drawn_at = now
    chosen = select(pks, rate, seed)
    drawn_on = today or timezone.localdate()
    due_on = add_working_days(drawn_on, settings.PONTIO_STOPSEARCH_REVIEW_DAYS)
    inspectors = RoundRobin(inspectors_for(county))
    independents = RoundRobin(panel_members())
    officers = dict(StopSearch.objects.filter(pk__in=chosen).values_list("pk", "officer_id"))
    reviews = []
    for pk in sorted(chosen):
        reviews.append(
            SearchReview(
                search_id=pk,
                sample=sample,
                kind=SearchReview.Kind.INSPECTOR,
                reviewer_id=inspectors.next(not_=officers.get(pk)),
                due_on=due_on,
            )
        )
        reviews.append(
            SearchReview(
                search_id=pk,
                sample=sample,
                kind=SearchReview.Kind.INDEPENDENT,
                reviewer_id=independents.next(),
                due_on=due_on,
            )
        )
    SearchReview.objects.bulk_create(reviews)
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=sample,
        reason=f"sampled {len(chosen)} of {len(pks)} searches; reviews: {len(reviews)}",
        after=snapshot_fields(sample),
    )
    return sample


@dataclass(frozen=True)
class Verification:
    """Whether redrawing a sample from its recorded seed gives the reviews it has."""

    population_now: int
    expected: list[int]
    actual: list[int]

    def matches(self, sample: AuditSample) -> bool:
        return self.population_now == sample.population and self.expected == self.actual


def verify_sample(sample: AuditSample) -> Verification:
    """Redraw the sample from its month, county, rate and seed and compare the searches."""
    pks = list(
        population_of(sample.month, sample.county, as_of=sample.drawn_at).values_list(
            "pk", flat=True
        )
    )
    expected = sorted(select(pks, sample.rate_percent, sample.seed))
    actual = sorted(
        set(
            sample.reviews.filter(
                kind__in=[SearchReview.Kind.INSPECTOR, SearchReview.Kind.INDEPENDENT]
            ).values_list("search_id", flat=True)
        )
    )
    return Verification(population_now=len(pks), expected=expected, actual=actual)


def draw_month(
    month: dt.date,
    *,
    context: AuditContext,
    rate_percent: int | None = None,
    seed: int | None = None,
    actor: User | None = None,
) -> list[tuple[AuditSample, bool]]:
    """Draw (or find) the sample of every county in force for that month."""
    month = first_of_month(month)
    return [
        draw_sample(
            month=month,
            county=county,
            rate_percent=rate_percent,
            seed=seed,
            context=context,
            actor=actor,
        )
        for county in County.objects.effective(month).order_by("sort_order", "pk")
    ]
