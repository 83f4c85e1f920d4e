"""The custody funnel: from arrests for trigger offences to treatment starts (issue 12 item 7).

A cohort funnel: the custody records whose arrest falls in the period (and at the suite or
in the county chosen) are counted at each step they reached, whatever date the later step
happened on. Each step is a subset of the step it follows (its ``parent``), by
construction: a step's condition is its parent's condition and its own, so a conversion is
never above 100%. The definitions are in docs/metrics.md ("Custody funnel") and on the page.

The rows counted are the user's ``aggregate`` scope (``custody.policies``: inspectors and
custody sergeants their area's, the OPCC analyst and the operations lead the force's); the
records behind a step are listed from the ``view`` scope, for those who may open them.
People who may not open custody records see the figures suppressed (``core.figures``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pontio.accounts.models import User
from pontio.core.figures import Rate, is_small, rate_suppressed
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.custody.models import (
    AssessmentEvent,
    AssessmentState,
    BreachTask,
    CustodyRecord,
    DrugResult,
    DrugTest,
    RecordOffence,
    RequiredAssessment,
)

A = AssessmentState
INITIAL_FAILURES = (A.INITIAL_FAILED_TO_ATTEND, A.INITIAL_LEFT_EARLY)
FOLLOWUP_FAILURES = (A.FOLLOWUP_FAILED_TO_ATTEND, A.FOLLOWUP_LEFT_EARLY)
FAILED_TO_ATTEND = (A.INITIAL_FAILED_TO_ATTEND, A.FOLLOWUP_FAILED_TO_ATTEND)
LEFT_EARLY = (A.INITIAL_LEFT_EARLY, A.FOLLOWUP_LEFT_EARLY)


# --- the conditions, one per step (each on CustodyRecord) -----------------------------------


def _trigger() -> Exists:
    """A trigger offence (CJCSA 2000 Sch 6) among the record's offences; an MDA offence that
    triggers only with a specified Class A drug counts only where one is involved."""
    offences = RecordOffence.objects.filter(record=OuterRef("pk"), offence__trigger=True).filter(
        Q(offence__class_a_only=False) | Q(class_a_involved=True)
    )
    return Exists(offences)


def _tests() -> QuerySet[DrugTest, Any]:
    # The result that counts: the confirmatory result once there is one (a disputed test),
    # else the first result (``DrugTest.effective_result``).
    return DrugTest.objects.filter(
        record=OuterRef("pk"), outcome=DrugTest.Outcome.SAMPLE_TAKEN
    ).annotate(
        counted_result=Case(
            When(~Q(confirmatory_result=""), then=F("confirmatory_result")), default=F("result")
        )
    )


def _sampled() -> Exists:
    return Exists(_tests())


def _refused() -> Exists:
    return Exists(DrugTest.objects.filter(record=OuterRef("pk"), outcome="refused"))


def _result(*results: str) -> Exists:
    return Exists(_tests().filter(**{"counted_result__in": results}))


def _required() -> Exists:
    return Exists(RequiredAssessment.objects.filter(record=OuterRef("pk")))


def _reached(*states: str) -> Exists:
    """The assessment moved into one of ``states`` at some time (its events, not only the
    state it is in now: an attended assessment that went on to a follow-up still counts as
    attended)."""
    events = AssessmentEvent.objects.filter(assessment__record=OuterRef("pk"), to_state__in=states)
    return Exists(events)


def _pursued() -> Exists:
    tasks = BreachTask.objects.filter(
        assessment__record=OuterRef("pk"), decision=BreachTask.Decision.PROSECUTE
    )
    return Exists(tasks)


def _treatment() -> Exists:
    assessments = RequiredAssessment.objects.filter(
        record=OuterRef("pk"), referral__treatment_started_on__isnull=False
    )
    return Exists(assessments)


POSITIVE = (DrugResult.OPIATES, DrugResult.COCAINE, DrugResult.BOTH)


@dataclass(frozen=True)
class Step:
    key: str
    label: str | Promise
    # The step this one is a subset of (its conversion's denominator); None for the first.
    parent: str | None
    own: Callable[[], Exists]
    # A breakdown of its parent (positive by drug, failures by kind) rather than a step.
    part: bool = False


STEPS: tuple[Step, ...] = (
    Step("arrests", _("Arrests for trigger offences"), None, _trigger),
    Step("tested", _("Tested (sample taken)"), "arrests", _sampled),
    Step("positive", _("Positive"), "tested", lambda: _result(*POSITIVE)),
    Step("opiates", _("Opiates only"), "positive", lambda: _result(DrugResult.OPIATES), True),
    Step("cocaine", _("Cocaine only"), "positive", lambda: _result(DrugResult.COCAINE), True),
    Step("both", _("Opiates and cocaine"), "positive", lambda: _result(DrugResult.BOTH), True),
    Step("required", _("Initial assessments required"), "positive", _required),
    Step(
        "attended",
        _("Attended and remained"),
        "required",
        lambda: _reached(A.INITIAL_ATTENDED),
    ),
    Step(
        "followups",
        _("Follow-up assessments required"),
        "attended",
        lambda: _reached(A.FOLLOWUP_REQUIRED),
    ),
    Step(
        "failures",
        _("Failures to attend or remain"),
        "required",
        lambda: _reached(*INITIAL_FAILURES, *FOLLOWUP_FAILURES),
    ),
    Step(
        "failed_to_attend",
        _("Failed to attend"),
        "failures",
        lambda: _reached(*FAILED_TO_ATTEND),
        True,
    ),
    Step("left_early", _("Left early"), "failures", lambda: _reached(*LEFT_EARLY), True),
    Step("pursued", _("Breaches pursued (prosecution decided)"), "failures", _pursued),
    Step("treatment", _("Treatment starts"), "required", _treatment),
)
BY_KEY = {step.key: step for step in STEPS}
FIRST = STEPS[0].key
# Beside the funnel, not in it: refusals (the PACE s63C(1) offence) of trigger arrests, and
# tests under an inspector's authorisation of arrests for no trigger offence.
NOTES: dict[str, tuple[str | Promise, dict[str, bool]]] = {
    "refused": (
        _("Arrests for trigger offences where the test was refused (PACE s63C offence)"),
        {"arrests": True, "refused": True},
    ),
    "authorised": (
        _("Tested with no trigger offence (an inspector's authorisation): not in the funnel"),
        {"arrests": False, "tested": True},
    ),
}
# Each flag is one EXISTS per record: a step's own condition, or the refusal of the notes.
FLAGS: dict[str, Callable[[], Exists]] = {
    **{step.key: step.own for step in STEPS},
    "refused": _refused,
}


def flags_of(key: str) -> dict[str, bool]:
    """The flags a step needs (its own and its parents', so steps nest), or a note's."""
    if key in NOTES:
        return NOTES[key][1]
    step = BY_KEY[key]
    own = {key: True}
    return own if step.parent is None else {**flags_of(step.parent), **own}


def condition(key: str) -> Q:
    """The whole condition of a step or note, as a filter of custody records."""
    result = Q()
    for flag, wanted in flags_of(key).items():
        expression = Q(FLAGS[flag]())
        result &= expression if wanted else ~expression
    return result


# --- the period and the rows ----------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the funnel counts: arrests from ``start`` to ``end`` (both included, local
    dates), at one suite or in one county (or the whole of the user's figures)."""

    start: dt.date
    end: dt.date
    suite_id: int | None = None
    county_id: int | None = None

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """From the first moment of ``start`` to the first moment after ``end`` (local)."""
        zone = timezone.get_current_timezone()
        low = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        high = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return low, high

    def describe(self) -> str:
        return (
            f"arrests {self.start.isoformat()} to {self.end.isoformat()}; "
            f"suite {self.suite_id or 'all'}; county {self.county_id or 'all'}"
        )


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last six full months (an assessment needs weeks to run its course, so the
    current month is left out by default)."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    month = end.month - 5
    year = end.year
    if month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1), end


def _in_period(rows: QuerySet[CustodyRecord], filters: Filters) -> QuerySet[CustodyRecord]:
    low, high = filters.bounds()
    rows = rows.filter(arrested_at__gte=low, arrested_at__lt=high)
    if filters.suite_id:
        rows = rows.filter(suite_id=filters.suite_id)
    if filters.county_id:
        rows = rows.filter(suite__county_id=filters.county_id)
    return rows


def cohort(user: User, filters: Filters) -> QuerySet[CustodyRecord]:
    """The records the user's figures count (``aggregate`` scope), arrested in the period."""
    return _in_period(restrict(CustodyRecord.objects.all(), user, "aggregate"), filters)


def count_steps(rows: QuerySet[CustodyRecord]) -> dict[str, int]:
    """Every step's and note's count, in one query: each flag is worked out once per record
    (an annotation) and the records are grouped by their flags; each count then adds up the
    groups with the flags of its step. (Counting with a filter per step made the database
    work every flag out again in each count: ten times slower at 5,000 records.)"""
    names = list(FLAGS)
    groups = (
        rows.annotate(**{f"flag_{name}": make() for name, make in FLAGS.items()})
        .values(*(f"flag_{name}" for name in names))
        .annotate(records=Count("pk"))
        .order_by()
    )
    needs = {key: flags_of(key) for key in [step.key for step in STEPS] + list(NOTES)}
    counts = dict.fromkeys(needs, 0)
    for group in groups:
        flags = {name: bool(group[f"flag_{name}"]) for name in names}
        for key, wanted in needs.items():
            if all(flags[flag] == value for flag, value in wanted.items()):
                counts[key] += group["records"]
    return counts


def records_at(user: User, filters: Filters, key: str) -> QuerySet[CustodyRecord]:
    """The records behind a step that the user may open (``view`` scope), newest first."""
    rows = _in_period(restrict(CustodyRecord.objects.all(), user, "view"), filters)
    return rows.filter(condition(key)).select_related("suite").order_by("-arrested_at", "-pk")


# --- the figures, suppressed where needed ---------------------------------------------------


def sees_exact(user: User) -> bool:
    """Those who may open custody records see exact counts and the records behind them; the
    others (the OPCC analyst, the operations lead) see suppressed counts and no links."""
    return has_permission(user, "custody.view")


@dataclass(frozen=True)
class Row:
    step: Step | None
    key: str
    label: str | Promise
    count: int
    hidden: bool
    from_previous: Rate | None
    from_first: Rate | None
    previous_hidden: bool = False
    first_hidden: bool = False

    @property
    def part(self) -> bool:
        return self.step is not None and self.step.part


@dataclass(frozen=True)
class Funnel:
    filters: Filters
    suppress: bool
    rows: list[Row]
    notes: list[Row] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {row.key: row.count for row in [*self.rows, *self.notes]}


def _smallest(parts: list[str], counts: dict[str, int]) -> str:
    """The part to hide: the smallest that is not zero (it gives the least away)."""
    nonzero = [p for p in parts if counts[p] > 0]
    return min(nonzero or parts, key=lambda p: (counts[p], p))


def hidden_cells(counts: dict[str, int]) -> set[str]:
    """The counts to hide from aggregate-only viewers: counts from 1 to 4 (primary), and
    enough others that none of those can be worked out by subtraction (secondary), the rule
    of ``core.figures.suppressed_cells`` applied to the funnel's two kinds of group:

    - a step and its parent (``tested`` within ``arrests``): the rest (arrested, not
      tested) is never shown, but it is the parent minus the step, so where the rest is
      from 1 to 4 and both are shown, the step is hidden too;
    - a breakdown that adds up exactly (positive = opiates + cocaine + both; failures =
      failed to attend + left early; the arrests hold the tested, the refused and a rest):
      one hidden member among shown ones is worked out from them, so another part is hidden.

    Repeated until nothing changes (a step hidden may expose another group).
    """
    hidden = {key for key, count in counts.items() if is_small(count)}
    pairs = [(s.parent, s.key) for s in STEPS if s.parent is not None and not s.part]
    exact: dict[str, list[str]] = {}
    for step in STEPS:
        if step.part and step.parent is not None:
            exact.setdefault(step.parent, []).append(step.key)
    # The arrests: tested, refused and the rest (neither), the rest never shown.
    open_groups = [(parent, [child]) for parent, child in pairs]
    open_groups.append(("arrests", ["tested", "refused"]))
    changed = True
    while changed:
        changed = False
        for total, parts in open_groups:
            rest = counts[total] - sum(counts[p] for p in parts)
            members = [total, *parts]
            if is_small(rest) and not any(m in hidden for m in members):
                hidden.add(_smallest(parts, counts))
                changed = True
        for total, parts in exact.items():
            members = [total, *parts]
            if sum(1 for m in members if m in hidden) != 1:
                continue
            candidates = [p for p in parts if p not in hidden]
            if candidates:
                hidden.add(_smallest(candidates, counts))
                changed = True
    return hidden


def funnel(user: User, filters: Filters) -> Funnel:
    counts = count_steps(cohort(user, filters))
    return build(counts, filters, suppress=not sees_exact(user))


def build(counts: dict[str, int], filters: Filters, *, suppress: bool) -> Funnel:
    """The rows of the page and the CSV from the counts (no query: unit-tested alone)."""
    hidden = hidden_cells(counts) if suppress else set()

    def rate(key: str, over: str | None) -> tuple[Rate | None, bool]:
        if over is None:
            return None, False
        value = Rate(counts[key], counts[over])
        return value, suppress and (key in hidden or over in hidden or rate_suppressed(value))

    rows = []
    for step in STEPS:
        previous, previous_hidden = rate(step.key, step.parent)
        first, first_hidden = rate(step.key, None if step.parent is None else FIRST)
        rows.append(
            Row(
                step,
                step.key,
                step.label,
                counts[step.key],
                step.key in hidden,
                previous,
                first,
                previous_hidden,
                first_hidden,
            )
        )
    notes = [
        Row(None, key, label, counts[key], key in hidden, None, None)
        for key, (label, _condition) in NOTES.items()
    ]
    return Funnel(filters, suppress, rows, notes)
