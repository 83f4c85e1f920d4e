"""The scrutiny panel's quarterly sample of disposals: reproducible, seeded and recorded.

Each quarter a share (``PONTIO_DISPOSAL_SAMPLE_PERCENT``, ``DEFAULT_RATE_PERCENT`` when the
setting is absent) of the disposals decided in the quarter with the outcome "disposal", as
they stood when the sample was drawn (decided no later than ``DisposalSample.drawn_at``), is
drawn with ``core.sampling.select`` from the seed of ``"YYYY-Qn:disposals"`` (the seed, rate
and population are stored, so ``verify_sample`` redraws the same disposals). Each sampled
disposal is assigned to a panel member round robin (the fewest open panel reviews first);
the panel member sees only the anonymised disposal (``anonymised``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.accounts.selectors import users_with_role
from pontio.audit.services import AuditContext, audit_record
from pontio.core import sampling
from pontio.core.models import snapshot_fields
from pontio.core.recording import AuditAction
from pontio.disposals.models import Disposal, DisposalSample, Outcome, PanelReview

DEFAULT_RATE_PERCENT = 20


def rate_setting() -> int:
    return int(getattr(settings, "PONTIO_DISPOSAL_SAMPLE_PERCENT", DEFAULT_RATE_PERCENT))


# --- pure functions ---------------------------------------------------------------------------


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter(start: dt.date) -> dt.date:
    month = start.month + 3
    return dt.date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def previous_quarter(day: dt.date) -> dt.date:
    return quarter_start(quarter_start(day) - dt.timedelta(days=1))


def quarter_label(start: dt.date) -> str:
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def default_seed(quarter: dt.date) -> int:
    """The same quarter always gives the same seed."""
    return sampling.seed_for(f"{quarter_label(quarter_start(quarter))}:disposals")


def ended_quarters(today: dt.date, count: int = 8) -> list[dt.date]:
    """The last ``count`` quarters that have ended, the most recent first."""
    quarters = [previous_quarter(today)]
    while len(quarters) < count:
        quarters.append(previous_quarter(quarters[-1]))
    return quarters


# --- the population and the reviewers ---------------------------------------------------------


def population_of(quarter: dt.date, as_of: dt.datetime | None = None) -> QuerySet[Disposal]:
    start = quarter_start(quarter)
    tz = timezone.get_current_timezone()
    begins = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    ends = dt.datetime.combine(next_quarter(start), dt.time.min, tzinfo=tz)
    disposals = Disposal.objects.filter(
        outcome=Outcome.DISPOSAL, decided_at__gte=begins, decided_at__lt=ends
    )
    if as_of is not None:
        disposals = disposals.filter(decided_at__lte=as_of)
    return disposals.order_by("pk")


def panel_members() -> QuerySet[User]:
    return users_with_role(Role.PANEL_MEMBER)


def _open_load(users: QuerySet[User]) -> list[tuple[int, int]]:
    pks = list(users.values_list("pk", flat=True))
    counts = dict(
        PanelReview.objects.filter(reviewer_id__in=pks, reviewed_at__isnull=True)
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    return sorted((counts.get(pk, 0), pk) for pk in pks)


# --- drawing ----------------------------------------------------------------------------------


def draw_sample(
    *,
    quarter: dt.date,
    context: AuditContext,
    actor: User | None = None,
    rate_percent: int | None = None,
    seed: int | None = None,
) -> tuple[DisposalSample, bool]:
    """Draw the quarter's sample, or return the one already drawn (unchanged): (sample,
    created)."""
    start = quarter_start(quarter)
    existing = DisposalSample.objects.filter(quarter=start).first()
    if existing is not None:
        return existing, False
    rate = sampling.check_rate(rate_setting() if rate_percent is None else rate_percent)
    seed = default_seed(start) if seed is None else seed
    if not 0 <= seed <= sampling.MAX_SEED:
        raise ValidationError(
            {
                "seed": [
                    _("The seed must be a whole number from 0 to %(max)s")
                    % {"max": sampling.MAX_SEED}
                ]
            },
            code="invalid_seed",
        )
    try:
        with transaction.atomic():
            return _draw(start, rate, seed, context, actor), True
    except IntegrityError:
        # Drawn by another worker at the same moment: theirs stands.
        return DisposalSample.objects.get(quarter=start), False


def _draw(
    start: dt.date, rate: int, seed: int, context: AuditContext, actor: User | None
) -> DisposalSample:
    now = timezone.now()
    pks = list(population_of(start, as_of=now).values_list("pk", flat=True))
    sample = DisposalSample.objects.create(
        quarter=start,
        seed=seed,
        rate_percent=rate,
        population=len(pks),
        drawn_at=now,
        drawn_by=actor,
    )
    chosen = sampling.select(pks, rate, seed)
    members = sampling.RoundRobin(_open_load(panel_members()))
    PanelReview.objects.bulk_create(
        PanelReview(sample=sample, disposal_id=pk, reviewer_id=members.next())
        for pk in sorted(chosen)
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=sample,
        reason=f"sampled {len(chosen)} of {len(pks)} disposals",
        after=snapshot_fields(sample),
    )
    return sample


@dataclass(frozen=True)
class Verification:
    population_now: int
    expected: list[int]
    actual: list[int]

    @property
    def matches(self) -> bool:
        return self.expected == self.actual


def verify_sample(sample: DisposalSample) -> Verification:
    """Redraw the sample from its quarter, rate and seed and compare the disposals."""
    pks = list(population_of(sample.quarter, as_of=sample.drawn_at).values_list("pk", flat=True))
    expected = sorted(sampling.select(pks, sample.rate_percent, sample.seed))
    actual = sorted(sample.reviews.values_list("disposal_id", flat=True))
    return Verification(population_now=len(pks), expected=expected, actual=actual)
