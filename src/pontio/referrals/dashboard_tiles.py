"""The referral loop on the Commissioner's dashboards (``core.tiles``): the police share,
the working days to a first contact, treatment starts within 20 working days and reduced
use at review and at exit, by county, over any period.

The measures are ``referrals.metrics``' own (the same functions as the referral figures
page), over the rows ``restrict(..., "aggregate")`` gives the user; the rows are read once
per request and shared by the tiles (``core.request_cache``). Imported by this app's
``dashboard.py`` at start-up; nothing else imports it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core.figures import Rate
from pontio.core.request_cache import cached
from pontio.core.tiles import (
    DAYS,
    PERCENT,
    CellId,
    Chart,
    Column,
    Measure,
    Row,
    Tile,
    TileData,
    TileQuery,
    column_group,
    register_tile,
)
from pontio.referrals import metrics
from pontio.referrals.metrics.periods import Period, quarter_of
from pontio.referrals.models import TopStage

PERMISSION = "referrals.view_metrics"
ALL = "all"
SOURCE = gettext_lazy("Pontio referrals and outcome profiles (TOP)")


def _period(query: TileQuery) -> Period:
    return Period(query.start, query.end)


def _rows(user: Any, query: TileQuery) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The referrals sent in the period and their outcome profiles (two queries, once per
    request for all the referral tiles)."""

    def compute() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        cohort = metrics.cohort_for(user)
        if query.county is not None:
            cohort = metrics.Cohort(
                referrals=cohort.referrals.filter(county_id=query.county.pk),
                profiles=cohort.profiles,
            )
        period = _period(query)
        return metrics.referral_rows(cohort.referrals, period), metrics.top_rows(cohort, period)

    key = ("tiles.referrals", user.pk, query.start, query.end, query.county_code)
    return cached(key, compute)


OTHER = "other"


def _labels(query: TileQuery) -> dict[str, str]:
    labels = cached("tiles.county_labels", metrics.county_labels)
    if query.county is not None:
        return {query.county_code: labels.get(query.county_code, query.county_code)}
    if query.areas:
        return {area.ons_code: labels.get(area.ons_code, area.ons_code) for area in query.areas}
    return labels


def _by_county(
    rows: Sequence[Mapping[str, Any]], labels: Mapping[str, str]
) -> dict[str, list[Mapping[str, Any]]]:
    """A group per county shown; referrals elsewhere in the user's scope go together under
    "Other areas" (so the parts still add up to the total), those with no county under
    "County not recorded"."""
    grouped: dict[str, list[Mapping[str, Any]]] = {code: [] for code in labels}
    for row in rows:
        code = row["county__ons_code"] or ""
        grouped.setdefault(code if code in labels or not code else OTHER, []).append(row)
    return grouped


def _county_label(code: str, labels: Mapping[str, str]) -> str:
    if code == OTHER:
        return _("Other areas")
    return labels.get(code) or _("County not recorded")


def _all_row_label() -> str:
    return _("All counties")


# --- working days to a first contact --------------------------------------------------------


def first_contact(user: Any, query: TileQuery) -> TileData:
    rows, _entries = _rows(user, query)
    labels = _labels(query)
    columns = [
        Column("sent", gettext_lazy("Referrals sent")),
        Column("contacted", gettext_lazy("With a first contact attempt")),
        Column("median", gettext_lazy("Median working days to first contact"), DAYS),
    ]
    out: list[Row] = []
    depends: dict[CellId, tuple[CellId, ...]] = {}
    grouped = _by_county(rows, labels)
    entries: list[tuple[str, list[Mapping[str, Any]]]] = [*grouped.items(), (ALL, list(rows))]
    for code, group in entries:
        timing = metrics.first_contact_timing(group)
        out.append(
            Row(
                code,
                _all_row_label() if code == ALL else _county_label(code, labels),
                {
                    "sent": len(group),
                    "contacted": timing.count,
                    "median": Measure(timing.median, timing.count),
                },
                total=code == ALL,
            )
        )
        depends[(code, "median")] = ((code, "contacted"),)
    return TileData(
        columns=columns,
        rows=out,
        groups=column_group(ALL, list(grouped), ["sent", "contacted"]),
        depends=depends,
        exact=metrics.sees_rows(user),
        chart=Chart("bar", ("median",)),
        missing="" if rows else _("No referrals were sent in this period."),
    )


# --- treatment starts within 20 working days ------------------------------------------------


def treatment_starts(user: Any, query: TileQuery) -> TileData:
    rows, _entries = _rows(user, query)
    labels = _labels(query)
    today = query.today or timezone.localdate()
    columns = [
        Column("counted", gettext_lazy("Referrals counted")),
        Column("started", gettext_lazy("Treatment started within 20 working days")),
        Column("rate", gettext_lazy("Started within 20 working days"), PERCENT),
    ]
    out = []
    depends: dict[CellId, tuple[CellId, ...]] = {}
    grouped = _by_county(rows, labels)
    entries: list[tuple[str, list[Mapping[str, Any]]]] = [*grouped.items(), (ALL, list(rows))]
    for code, group in entries:
        rate = metrics.treatment_rate(group, today)
        out.append(
            Row(
                code,
                _all_row_label() if code == ALL else _county_label(code, labels),
                {"counted": rate.denominator, "started": rate.numerator, "rate": rate},
                total=code == ALL,
            )
        )
        depends[(code, "rate")] = ((code, "counted"), (code, "started"))
    return TileData(
        columns=columns,
        rows=out,
        groups=column_group(ALL, list(grouped), ["counted", "started"]),
        depends=depends,
        exact=metrics.sees_rows(user),
        chart=Chart("bar", ("rate",)),
        missing="" if rows else _("No referrals were sent in this period."),
    )


# --- reduced use at review and at exit -------------------------------------------------------


def reduced_use(user: Any, query: TileQuery) -> TileData:
    """Start profile against the latest review (row "at review") and against the exit
    profile (row "at exit"): ``metrics.use_change`` over the profiles of that stage only."""
    _rows_sent, entries = _rows(user, query)
    period = _period(query)
    columns = [
        Column("compared", gettext_lazy("Referrals compared")),
        Column("reduced", gettext_lazy("Reduced or stopped their use")),
        Column("rate", gettext_lazy("Reduced use"), PERCENT),
    ]
    out = []
    depends: dict[CellId, tuple[CellId, ...]] = {}
    for key, label, stage in (
        ("review", gettext_lazy("At review"), TopStage.REVIEW),
        ("exit", gettext_lazy("At exit"), TopStage.EXIT),
    ):
        chosen = [e for e in entries if e["stage"] in (TopStage.START, stage)]
        change = metrics.use_change(chosen, period)
        out.append(
            Row(
                key,
                label,
                {"compared": change.compared, "reduced": change.reduced, "rate": change.rate},
            )
        )
        depends[(key, "rate")] = ((key, "compared"), (key, "reduced"))
    empty = all(row.values["compared"] == 0 for row in out)
    return TileData(
        columns=columns,
        rows=out,
        depends=depends,
        exact=metrics.sees_rows(user),
        chart=Chart("bar", ("rate",)),
        missing=_("No outcome profile in this period compares use with the start.")
        if empty
        else "",
    )


# --- the police share ----------------------------------------------------------------------


def quarters_within(start: dt.date, end: dt.date) -> list[Period]:
    """The calendar quarters wholly inside the period (the providers report by quarter)."""
    found = []
    quarter = quarter_of(start)
    if quarter.start < start:
        quarter = quarter_of(quarter.end + dt.timedelta(days=1))
    while quarter.end <= end:
        found.append(quarter)
        quarter = quarter_of(quarter.end + dt.timedelta(days=1))
    return found


def police_share(user: Any, query: TileQuery) -> TileData:
    """Referrals through Pontio ÷ the provider's reported total, over the quarters wholly in
    the period for which the provider entered a total (``metrics.police_share`` per quarter).
    """
    columns = [
        Column("through", gettext_lazy("Referrals through Pontio")),
        Column("reported", gettext_lazy("Total referrals reported")),
        Column("share", gettext_lazy("Police share"), PERCENT),
    ]
    exact = metrics.sees_rows(user)
    if query.county is not None:
        return TileData(
            columns,
            [],
            exact=exact,
            missing=_(
                "The providers report their totals for the whole force area, not by county: "
                "choose all counties to see the police share."
            ),
        )
    totals = metrics.totals_for(user)
    if totals is None:
        return TileData(columns, [], exact=exact, missing=_("No provider totals are shown to you."))
    quarters = quarters_within(query.start, query.end)
    if not quarters:
        return TileData(
            columns,
            [],
            exact=exact,
            missing=_("The period holds no whole quarter: the providers report by quarter."),
        )
    referrals = metrics.rows_for(user)
    sums: dict[int, list[Any]] = defaultdict(lambda: ["", 0, 0])
    for quarter in quarters:
        for provider in metrics.police_share(referrals, quarter, totals).providers:
            if not provider.consistent:
                continue
            entry = sums[provider.provider_id]
            entry[0] = provider.provider_name
            entry[1] += provider.through_pontio
            entry[2] += provider.reported_total or 0
    out = []
    depends: dict[CellId, tuple[CellId, ...]] = {}
    for provider_id, (name, through, reported) in sorted(sums.items(), key=lambda i: i[1][0]):
        key = str(provider_id)
        out.append(
            Row(
                key,
                name,
                {"through": through, "reported": reported, "share": Rate(through, reported)},
            )
        )
        depends[(key, "share")] = ((key, "through"), (key, "reported"))
    if not out:
        return TileData(
            columns,
            [],
            exact=exact,
            missing=_("No provider entered its total referrals for a quarter of this period."),
        )
    through_all = sum(row.values["through"] for row in out)  # type: ignore[misc]
    reported_all = sum(row.values["reported"] for row in out)  # type: ignore[misc]
    parts = [row.key for row in out]
    out.append(
        Row(
            ALL,
            _("All providers"),
            {
                "through": through_all,
                "reported": reported_all,
                "share": Rate(through_all, reported_all),
            },
            total=True,
        )
    )
    depends[(ALL, "share")] = ((ALL, "through"), (ALL, "reported"))
    return TileData(
        columns=columns,
        rows=out,
        groups=column_group(ALL, parts, ["through", "reported"]),
        depends=depends,
        exact=exact,
        chart=Chart("bar", ("share",)),
        notes=[
            _("Quarters counted: %(quarters)s.")
            % {"quarters": ", ".join(f"{q.start:%Y-%m} to {q.end:%Y-%m}" for q in quarters)}
        ],
    )


register_tile(
    Tile(
        key="police-share",
        title=gettext_lazy("Police share of referrals to treatment"),
        permission=PERMISSION,
        build=police_share,
        definition=gettext_lazy(
            "Referrals each provider received through Pontio divided by the total referrals it "
            "reported from every source, over the whole quarters of the period for which it "
            "entered a total."
        ),
        anchor="dashboard-police-share",
        source=SOURCE,
        order=10,
    )
)
register_tile(
    Tile(
        key="first-contact",
        title=gettext_lazy("Working days to first contact"),
        permission=PERMISSION,
        build=first_contact,
        definition=gettext_lazy(
            "The median number of working days from a referral being sent to the provider's "
            "first contact attempt, over the referrals sent in the period that have one."
        ),
        anchor="dashboard-first-contact",
        source=SOURCE,
        order=20,
    )
)
register_tile(
    Tile(
        key="treatment-starts",
        title=gettext_lazy("Treatment starts within 20 working days"),
        permission=PERMISSION,
        build=treatment_starts,
        definition=gettext_lazy(
            "Of the referrals sent in the period whose 20 working days are over (or that "
            "started sooner), the share that started treatment within 20 working days; "
            "referrals the police withdrew in time are left out."
        ),
        anchor="dashboard-treatment-starts",
        source=SOURCE,
        order=30,
    )
)
register_tile(
    Tile(
        key="reduced-use",
        title=gettext_lazy("Reduced use at review and at exit"),
        permission=PERMISSION,
        build=reduced_use,
        definition=gettext_lazy(
            "Of the people whose latest review (or exit) outcome profile in the period can be "
            "compared with their start profile, the share who used their main substance on "
            "fewer days in the last 28."
        ),
        anchor="dashboard-reduced-use",
        source=SOURCE,
        order=40,
    )
)
