"""The outcome measures of disposals and the diversion scheme, as pure functions over rows.

Selectors (``selectors.outcomes``) turn the database into the plain rows below; these
functions compute the measures, so the tests can check them against hand-worked examples
and an independent computation. The definitions (docs/metrics.md):

- completion rate: among contracts started (agreed) in the period, completed / (completed +
  failed); declined contracts are counted separately and are not in the rate;
- risk factors reduced: over contracts with both a start and an end assessment, a risk factor
  is a pathway scored ``RISK_FACTOR_THRESHOLD`` (2) or more; reduction = (risk factors at the
  start - at the end) / risk factors at the start, per pathway and overall;
- reoffending within 12 (24) months: a later disposal or charge for an offence committed within
  the window after the index decision; the cohort (a diversion contract started) against a
  comparison group (other disposals, no contract) matched exactly on age band, offence group
  and history, the comparison rate weighted by the cohort's stratum sizes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pontio.disposals.models import RISK_FACTOR_THRESHOLD

COMPLETED = "completed"
FAILED = "failed"
DECLINED = "declined"
REOFFENDING_OUTCOMES = frozenset({"disposal", "charge"})
FOLLOW_UPS = (12, 24)


# --- completion -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractRow:
    state: str
    started: bool  # the contract was agreed (has a start date)


@dataclass(frozen=True)
class Completion:
    started: int
    completed: int
    failed: int
    running: int
    declined: int

    @property
    def closed(self) -> int:
        return self.completed + self.failed

    @property
    def rate(self) -> float | None:
        return round(100 * self.completed / self.closed, 1) if self.closed else None


def completion(rows: Iterable[ContractRow]) -> Completion:
    started = completed = failed = declined = 0
    for row in rows:
        if row.state == DECLINED:
            declined += 1
            continue
        if not row.started:
            continue
        started += 1
        if row.state == COMPLETED:
            completed += 1
        elif row.state == FAILED:
            failed += 1
    return Completion(
        started=started,
        completed=completed,
        failed=failed,
        running=started - completed - failed,
        declined=declined,
    )


# --- needs change -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessedContract:
    """The pathway scores of one contract at its start and end assessments."""

    start: dict[str, int]
    end: dict[str, int]


@dataclass(frozen=True)
class PathwayChange:
    pathway: str
    contracts: int
    risk_start: int
    risk_end: int
    mean_start: float | None
    mean_end: float | None

    @property
    def reduction(self) -> float | None:
        if not self.risk_start:
            return None
        return round(100 * (self.risk_start - self.risk_end) / self.risk_start, 1)


@dataclass(frozen=True)
class NeedsChange:
    contracts: int
    pathways: list[PathwayChange]
    risk_start: int
    risk_end: int

    @property
    def reduction(self) -> float | None:
        if not self.risk_start:
            return None
        return round(100 * (self.risk_start - self.risk_end) / self.risk_start, 1)


def is_risk_factor(score: int) -> bool:
    return score >= RISK_FACTOR_THRESHOLD


def needs_change(rows: Iterable[AssessedContract], pathways: Sequence[str]) -> NeedsChange:
    """Risk factors at the start and end of the contracts assessed at both; a pathway scored
    at only one of the two assessments is left out of that pathway (nothing to compare)."""
    contracts = 0
    count: dict[str, int] = defaultdict(int)
    start_sum: dict[str, int] = defaultdict(int)
    end_sum: dict[str, int] = defaultdict(int)
    risk_start: dict[str, int] = defaultdict(int)
    risk_end: dict[str, int] = defaultdict(int)
    for row in rows:
        contracts += 1
        for pathway in pathways:
            if pathway not in row.start or pathway not in row.end:
                continue
            count[pathway] += 1
            start_sum[pathway] += row.start[pathway]
            end_sum[pathway] += row.end[pathway]
            risk_start[pathway] += is_risk_factor(row.start[pathway])
            risk_end[pathway] += is_risk_factor(row.end[pathway])
    changes = [
        PathwayChange(
            pathway=p,
            contracts=count[p],
            risk_start=risk_start[p],
            risk_end=risk_end[p],
            mean_start=round(start_sum[p] / count[p], 2) if count[p] else None,
            mean_end=round(end_sum[p] / count[p], 2) if count[p] else None,
        )
        for p in pathways
    ]
    return NeedsChange(
        contracts=contracts,
        pathways=changes,
        risk_start=sum(risk_start.values()),
        risk_end=sum(risk_end.values()),
    )


# --- reoffending ------------------------------------------------------------------------------


def age_band(age: int | None) -> str:
    if age is None:
        return "unknown"
    if age < 25:
        return "18-24"
    if age < 35:
        return "25-34"
    if age < 45:
        return "35-44"
    return "45+"


def history_band(previous: int) -> str:
    return "2+" if previous >= 2 else str(previous)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # The 29th-31st of a short month falls back to its last day.
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


@dataclass(frozen=True)
class DisposalRow:
    """One decided disposal: enough to place it in the cohort or comparison group and to find
    later offences."""

    pk: int
    person_id: int
    decided_on: dt.date
    offence_date: dt.date
    outcome: str
    age: int | None
    offence_group: str
    previous_disposals: int
    contract_started: bool


Stratum = tuple[str, str, str]


def stratum(row: DisposalRow) -> Stratum:
    return (age_band(row.age), row.offence_group, history_band(row.previous_disposals))


@dataclass(frozen=True)
class StratumResult:
    stratum: Stratum
    cohort: int
    cohort_reoffended: int
    comparison: int
    comparison_reoffended: int


@dataclass
class Reoffending:
    months: int
    cohort: int = 0
    cohort_reoffended: int = 0
    comparison: int = 0
    comparison_reoffended: int = 0
    # Cohort members in strata with no comparison: in the cohort rate, not in the weighted one.
    unmatched: int = 0
    strata: list[StratumResult] = field(default_factory=list)
    weighted_comparison: float | None = None
    matched_cohort_rate: float | None = None

    @property
    def cohort_rate(self) -> float | None:
        return round(100 * self.cohort_reoffended / self.cohort, 1) if self.cohort else None

    @property
    def comparison_rate(self) -> float | None:
        if not self.comparison:
            return None
        return round(100 * self.comparison_reoffended / self.comparison, 1)


def reoffended(index: DisposalRow, later: Iterable[DisposalRow], months: int) -> bool:
    """A later disposal or charge for an offence committed after the index decision and
    within ``months`` of it."""
    end = add_months(index.decided_on, months)
    return any(
        other.pk != index.pk
        and other.person_id == index.person_id
        and other.outcome in REOFFENDING_OUTCOMES
        and index.decided_on < other.offence_date <= end
        for other in later
    )


def reoffending(
    rows: Sequence[DisposalRow],
    *,
    months: int,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Reoffending:
    """Reoffending within ``months`` of the index decisions in [start, end] old enough for the
    full follow-up (decided on or before ``today`` less ``months``). Index disposals are those
    with outcome "disposal"; everything each person had is searched for later offences."""
    by_person: dict[int, list[DisposalRow]] = defaultdict(list)
    for row in rows:
        by_person[row.person_id].append(row)
    latest = add_months(today, -months)
    groups: dict[Stratum, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    result = Reoffending(months=months)
    for row in rows:
        if row.outcome != "disposal" or row.decided_on > latest:
            continue
        if (start and row.decided_on < start) or (end and row.decided_on > end):
            continue
        hit = reoffended(row, by_person[row.person_id], months)
        cell = groups[stratum(row)]
        if row.contract_started:
            result.cohort += 1
            result.cohort_reoffended += hit
            cell[0] += 1
            cell[1] += hit
        else:
            result.comparison += 1
            result.comparison_reoffended += hit
            cell[2] += 1
            cell[3] += hit
    weighted = 0.0
    matched = matched_hits = 0
    for key in sorted(groups):
        c, ch, n, nh = groups[key]
        result.strata.append(StratumResult(key, c, ch, n, nh))
        if not c:
            continue
        if not n:
            result.unmatched += c
            continue
        matched += c
        matched_hits += ch
        weighted += c * nh / n
    if matched:
        # The comparison rate each matched stratum would give, weighted by the cohort's size.
        result.weighted_comparison = round(100 * weighted / matched, 1)
        result.matched_cohort_rate = round(100 * matched_hits / matched, 1)
    return result
