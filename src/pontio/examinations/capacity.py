"""The capacity page's figures: demand, backlog, turnaround and examiner workload, so the force
can see what added local capacity does.

Definitions (docs: examinations, "Capacity"):

- **demand**: requests made in each month of the period (by the day they were made);
- **backlog**: requests open now (in the queue or assigned, no result), by level and county;
- **turnaround**: requests whose result was recorded in the period, by level and county: how
  many, the median working days from request to result, and the share within the level's
  target (``timers``); by month and by unit (local investigators or the central unit) too;
- **workload**: open requests held by each examiner (examiners only: names of staff), and by
  unit and county for everyone who sees the page, with the queue not yet taken.

Rows are read through ``restrict(..., "aggregate")``. For users who may not open requests
(everyone but examiners) counts from 1 to 4 are "fewer than 5", a second cell of a row or
column of the backlog is hidden where one is (``core.figures``, secondary suppression), and a
median or percentage over fewer than 5 requests is "not shown".
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from pontio.accounts.areas import area_counties
from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.core import charts
from pontio.core.figures import Rate, fewer_than, is_small, rate_suppressed, suppressed_cells
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.examinations.models import ExaminationRequest
from pontio.examinations.vocab import OPEN_STATUSES, Level, Status, Unit

ALL = "all"
PERIODS = (3, 6, 12)


def month_starts(end: dt.date, months: int) -> list[dt.date]:
    first = end.replace(day=1)
    out = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        out.append(dt.date(year, month + 1, 1))
    return out


def sees_rows(user: User) -> bool:
    return user.has_role(Role.DIGITAL_MEDIA_EXAMINER)


@dataclass
class Shown:
    """A figure as shown: its text and, for charts, its value (None when hidden)."""

    text: str
    value: float | None


@dataclass
class Capacity:
    exact: bool
    start: dt.date
    end: dt.date
    months: list[str] = field(default_factory=list)
    demand: list[tuple[str, Shown]] = field(default_factory=list)
    demand_total: Shown | None = None
    levels: list[tuple[str, str]] = field(default_factory=list)
    backlog: list[dict[str, Any]] = field(default_factory=list)
    turnaround: list[dict[str, Any]] = field(default_factory=list)
    by_month: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)
    examiners: list[dict[str, Any]] = field(default_factory=list)
    queue: Shown | None = None
    demand_chart: str = ""
    turnaround_chart: str = ""


def _count(n: int, exact: bool, hidden: bool = False) -> Shown:
    if not exact and (hidden or is_small(n)):
        return Shown(fewer_than() if is_small(n) else _("not shown"), None)
    return Shown(formats.number_format(n), float(n))


def _median(values: list[int], exact: bool) -> Shown:
    if not values:
        return Shown(_("no data"), None)
    if not exact and len(values) < 5:
        return Shown(_("not shown"), None)
    value = float(statistics.median(values))
    return Shown(formats.number_format(value, decimal_pos=1 if value % 1 else 0), value)


def _rate(rate: Rate, exact: bool) -> Shown:
    if not rate.denominator:
        return Shown(_("no data"), None)
    if not exact and rate_suppressed(rate):
        return Shown(_("not shown"), None)
    percent = rate.percent or 0.0
    return Shown(f"{formats.number_format(percent, decimal_pos=0)}%", percent)


def _within(row: ExaminationRequest) -> bool:
    return row.completed_on is not None and row.completed_on <= row.due_on


def build(user: User, *, today: dt.date, months: int = 6) -> Capacity:
    months = months if months in PERIODS else 6
    starts = month_starts(today, months)
    start, end = starts[0], today
    exact = sees_rows(user)
    rows = restrict(ExaminationRequest.objects.all(), user, "aggregate").select_related(
        "assigned_to"
    )
    # The user's area, and any other county a request counted here was made for (so the
    # counties' rows still add up to the totals).
    area = {county.pk for county in area_counties(user)}
    present = set(rows.order_by().values_list("county_id", flat=True).distinct())
    counties = [c for c in County.objects.order_by("sort_order", "code") if c.pk in area | present]
    county_keys: list[Any] = [*(x.pk for x in counties), ALL]
    levels = list(Level.choices)
    result = Capacity(
        exact=exact, start=start, end=end, levels=[(v, str(label)) for v, label in levels]
    )
    result.months = [formats.date_format(m, "M Y") for m in starts]

    # demand
    made = Counter(
        r.replace(day=1)
        for r in rows.filter(requested_on__gte=start, requested_on__lte=end).values_list(
            "requested_on", flat=True
        )
    )
    result.demand = [
        (label, _count(made.get(m, 0), exact))
        for label, m in zip(result.months, starts, strict=True)
    ]
    result.demand_total = _count(sum(made.values()), exact)

    # backlog: open now, by county and level, with totals (secondary suppression)
    open_rows = list(
        rows.filter(status__in=OPEN_STATUSES).values_list("county_id", "level", "status")
    )
    cells: dict[tuple[Any, str], int] = defaultdict(int)
    for county_id, level, _status in open_rows:
        for c in (county_id, ALL):
            for lv in (level, ALL):
                cells[(c, lv)] += 1
    keys = [
        (c, lv) for c in [*(x.pk for x in counties), ALL] for lv in [*(v for v, _l in levels), ALL]
    ]
    table = {k: cells.get(k, 0) for k in keys}
    hidden: set[Any] = set()
    if not exact:
        groups = []
        for c in county_keys:
            groups.append(((c, ALL), [(c, v) for v, _l in levels]))
        for lv in [*(v for v, _l in levels), ALL]:
            groups.append(((ALL, lv), [(x.pk, lv) for x in counties]))
        hidden = suppressed_cells(table, groups)
    named: list[tuple[str, Any]] = [(x.label, x.pk) for x in counties]
    for label, c in [*named, (_("All counties"), ALL)]:
        result.backlog.append(
            {
                "label": label,
                "total": c == ALL,
                "cells": [
                    _count(table[(c, lv)], exact, (c, lv) in hidden)
                    for lv in [*(v for v, _l in levels), ALL]
                ],
            }
        )

    # turnaround of the results recorded in the period
    done = list(
        rows.filter(status=Status.COMPLETED, completed_on__gte=start, completed_on__lte=end).only(
            "county_id", "level", "working_days_taken", "completed_on", "due_on", "assigned_to"
        )
    )
    for value, level_label in levels:
        for county_label, county_id in [*named, (_("All counties"), None)]:
            group = [
                r
                for r in done
                if r.level == value and (county_id is None or r.county_id == county_id)
            ]
            days = [r.working_days_taken or 0 for r in group]
            result.turnaround.append(
                {
                    "level": str(level_label),
                    "county": county_label,
                    "total": county_id is None,
                    "count": _count(len(group), exact),
                    "median": _median(days, exact),
                    "within": _rate(Rate(sum(1 for r in group if _within(r)), len(group)), exact),
                }
            )

    # by month of the result, and by unit: the effect of local capacity
    series: dict[str, list[float | None]] = {Unit.LOCAL: [], Unit.CENTRAL: []}
    for label, m in zip(result.months, starts, strict=True):
        in_month = [r for r in done if r.completed_on and r.completed_on.replace(day=1) == m]
        row: dict[str, Any] = {"month": label, "units": []}
        for unit in (Unit.LOCAL, Unit.CENTRAL):
            group = [r for r in in_month if r.assigned_to and r.assigned_to.unit == unit]
            median = _median([r.working_days_taken or 0 for r in group], exact)
            row["units"].append(
                {
                    "count": _count(len(group), exact),
                    "median": median,
                    "within": _rate(Rate(sum(1 for r in group if _within(r)), len(group)), exact),
                }
            )
            series[unit].append(median.value)
        result.by_month.append(row)

    # workload: open and assigned, by unit (and county for local), and the queue
    held = list(
        rows.filter(status=Status.ASSIGNED).select_related(
            "assigned_to__county", "assigned_to__user"
        )
    )
    local = Counter(
        r.assigned_to.county_id for r in held if r.assigned_to and r.assigned_to.unit == Unit.LOCAL
    )
    for x in counties:
        result.units.append(
            {
                "label": _("Local investigators, %(county)s") % {"county": x.label},
                "count": _count(local.get(x.pk, 0), exact),
            }
        )
    central = sum(1 for r in held if r.assigned_to and r.assigned_to.unit == Unit.CENTRAL)
    result.units.append({"label": _("Central unit"), "count": _count(central, exact)})
    result.queue = _count(rows.filter(status=Status.REQUESTED).count(), exact)
    if exact:
        per: Counter[int] = Counter(r.assigned_to_id for r in held if r.assigned_to_id)
        profiles = {r.assigned_to_id: r.assigned_to for r in held if r.assigned_to is not None}
        for pk, n in sorted(per.items(), key=lambda item: (-item[1], item[0])):
            p = profiles[pk]
            if p is None:  # pragma: no cover - filtered above
                continue
            result.examiners.append(
                {
                    "name": str(p.user),
                    "unit": p.get_unit_display(),
                    "county": p.county.label if p.county else "",
                    "count": n,
                }
            )

    result.demand_chart = charts.bar_chart(
        [
            charts.Bar(label, s.value, "" if s.value is not None else s.text)
            for label, s in result.demand
        ],
        title=_("Examination requests made each month"),
    )
    result.turnaround_chart = charts.line_chart(
        [
            charts.Series(str(Unit.LOCAL.label), series[Unit.LOCAL]),
            charts.Series(str(Unit.CENTRAL.label), series[Unit.CENTRAL]),
        ],
        x_labels=result.months,
        title=_("Median working days from request to result, by month of the result"),
    )
    return result
