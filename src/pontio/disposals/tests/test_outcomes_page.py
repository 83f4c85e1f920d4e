"""The disposal outcomes page: its figures against an independent computation, its access,
suppression, date errors, and that reading it writes nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in as _demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.disposals.models import Disposal, DisposalType, DiversionContract, Pathway
from pontio.disposals.selectors.outcomes import outcomes_for
from pontio.disposals.tests import helpers
from pontio.disposals.tests.generated import GenContract, GenDisposal, generate


def demo_sign_in(username: str) -> Any:
    """Signed in and reading English (some demo users read Pontio in Welsh by default)."""
    from django.conf import settings

    client = _demo_sign_in(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


pytestmark = pytest.mark.django_db

SERGEANT_AREA = {"W06000010", "W06000009"}  # the demo custody sergeant's counties


# --- an independent computation, over the generated tuples ------------------------------------


def pct(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def expected(
    disposals: list[GenDisposal],
    contracts: list[GenContract],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    months: int = 12,
) -> dict[str, Any]:
    inside = [d for d in disposals if start <= d.decided_on <= end]
    given = [d for d in inside if d.outcome == "disposal"]
    completed = sum(d.state == "completed" for d in given)
    breached = sum(d.state == "breached" for d in given)

    in_period = [
        c
        for c in contracts
        if start <= (c.starts_on if c.starts_on is not None else c.referred_on) <= end
    ]
    started = [c for c in in_period if c.starts_on is not None and c.state != "declined"]
    c_done = sum(c.state == "completed" for c in started)
    c_failed = sum(c.state == "failed" for c in started)

    assessed = [c for c in contracts if c.end_on and start <= c.end_on <= end and c.start_scores]
    risk: dict[str, list[int]] = {p: [0, 0] for p in Pathway.values}
    for c in assessed:
        for p in Pathway.values:
            if p in c.start_scores and p in c.end_scores:
                risk[p][0] += c.start_scores[p] >= 2
                risk[p][1] += c.end_scores[p] >= 2
    total_start = sum(v[0] for v in risk.values())
    total_end = sum(v[1] for v in risk.values())

    index_start = start - relativedelta(months=months)
    index_end = end - relativedelta(months=months)
    latest = today - relativedelta(months=months)
    started_disposals = {c.disposal for c in contracts if c.starts_on is not None}
    by_person: dict[int, list[GenDisposal]] = defaultdict(list)
    for d in disposals:
        by_person[d.person].append(d)

    def band(age: int | None) -> str:
        if age is None:
            return "?"
        return "a" if age < 25 else "b" if age < 35 else "c" if age < 45 else "d"

    cells: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for d in disposals:
        if d.outcome != "disposal" or not (index_start <= d.decided_on <= index_end):
            continue
        if d.decided_on > latest:
            continue
        until = d.decided_on + relativedelta(months=months)
        hit = any(
            o.pk != d.pk
            and o.outcome in ("disposal", "charge")
            and d.decided_on < o.offence_date <= until
            for o in by_person[d.person]
        )
        key = (band(d.age), d.group, "2+" if d.previous >= 2 else str(d.previous))
        offset = 0 if d.pk in started_disposals else 2
        cells[key][offset] += 1
        cells[key][offset + 1] += hit
    cohort = sum(v[0] for v in cells.values())
    cohort_hits = sum(v[1] for v in cells.values())
    comparison = sum(v[2] for v in cells.values())
    comparison_hits = sum(v[3] for v in cells.values())
    matched = [v for v in cells.values() if v[0] and v[2]]
    matched_n = sum(v[0] for v in matched)
    weighted = (
        round(100 * sum(v[0] * v[3] / v[2] for v in matched) / matched_n, 1) if matched_n else None
    )
    return {
        "decisions": len(inside),
        "by_outcome": Counter(d.outcome for d in inside),
        "by_type": Counter(d.type_id for d in given),
        "completed": completed,
        "breached": breached,
        "disposal_rate": pct(completed, completed + breached),
        "contracts_started": len(started),
        "contracts_completed": c_done,
        "contracts_failed": c_failed,
        "contracts_declined": sum(c.state == "declined" for c in in_period),
        "contract_rate": pct(c_done, c_done + c_failed),
        "assessed": len(assessed),
        "risk": risk,
        "risk_total": (total_start, total_end),
        "cohort": cohort,
        "cohort_rate": pct(cohort_hits, cohort),
        "comparison": comparison,
        "comparison_rate": pct(comparison_hits, comparison),
        "matched": matched_n,
        "matched_rate": pct(sum(v[1] for v in matched), matched_n),
        "weighted": weighted,
    }


def check(figures: Any, want: dict[str, Any]) -> None:
    assert figures.decisions.count == want["decisions"]
    labels = {"disposal": "Out-of-court disposal", "nfa": "No further action", "charge": "Charge"}
    got_outcomes = {c.label: c.count for c in figures.by_outcome}
    assert got_outcomes == {labels[k]: want["by_outcome"][k] for k in labels}
    type_labels = {t.pk: t.label for t in DisposalType.objects.all()}
    assert {c.label: c.count for c in figures.by_type} == {
        type_labels[k]: n for k, n in want["by_type"].items()
    }
    assert figures.disposals_completed.count == want["completed"]
    assert figures.disposals_breached.count == want["breached"]
    assert figures.disposal_completion.percent == want["disposal_rate"]
    assert figures.contracts_started.count == want["contracts_started"]
    assert figures.contracts_completed.count == want["contracts_completed"]
    assert figures.contracts_failed.count == want["contracts_failed"]
    assert figures.contracts_declined.count == want["contracts_declined"]
    assert figures.contract_completion.percent == want["contract_rate"]
    assert figures.assessed_contracts.count == want["assessed"]
    labels_p = {str(p.label): p.value for p in Pathway}
    for row in figures.pathways:
        s, e = want["risk"][labels_p[row.label]]
        assert (row.risk_start.count, row.risk_end.count) == (s, e), row.label
        assert row.reduction.percent == pct(s - e, s)
    s, e = want["risk_total"]
    assert (figures.needs_overall.risk_start.count, figures.needs_overall.risk_end.count) == (s, e)
    assert figures.needs_overall.reduction.percent == pct(s - e, s)
    assert figures.cohort.count == want["cohort"]
    assert figures.cohort_rate.percent == want["cohort_rate"]
    assert figures.comparison.count == want["comparison"]
    assert figures.comparison_rate.percent == want["comparison_rate"]
    assert figures.matched.count == want["matched"]
    assert figures.matched_cohort_rate.percent == want["matched_rate"]
    assert figures.weighted_comparison.percent == want["weighted"]


@pytest.fixture
def generated(world: dict[str, Any]) -> Any:
    return generate(world)


def test_every_figure_matches_an_independent_computation(world, generated):
    today = timezone.localdate()
    assert len(generated.disposals) >= 2000
    # The default period (the last 12 months) and an older one, for the analyst (everything).
    figures = outcomes_for(world["analyst"])
    start = today - relativedelta(months=12) + dt.timedelta(days=1)
    assert (figures.start, figures.end) == (start, today)
    want = expected(generated.disposals, generated.contracts, start, today, today)
    # The data must exercise every measure, or the comparison proves little.
    assert want["decisions"] > 500 and want["cohort"] > 20 and want["assessed"] > 20
    assert want["contracts_started"] > 20 and want["comparison"] > 100
    check(figures, want)
    # Checkpoint's 24 months too: the same figures, followed up twice as long.
    want_24 = expected(generated.disposals, generated.contracts, start, today, today, months=24)
    assert want_24["cohort"] > 0 and want_24["comparison"] > 0
    later = figures.follow_ups[1]
    assert later.months == 24
    assert (later.cohort.count, later.cohort_rate.percent) == (
        want_24["cohort"],
        want_24["cohort_rate"],
    )
    assert (later.comparison.count, later.comparison_rate.percent) == (
        want_24["comparison"],
        want_24["comparison_rate"],
    )
    assert later.matched_cohort_rate.percent == want_24["matched_rate"]
    assert later.weighted_comparison.percent == want_24["weighted"]

    old_start, old_end = today - dt.timedelta(days=800), today - dt.timedelta(days=400)
    check(
        outcomes_for(world["analyst"], old_start, old_end),
        expected(generated.disposals, generated.contracts, old_start, old_end, today),
    )


def test_a_sergeant_counts_only_their_area(world, generated):
    today = timezone.localdate()
    start = today - relativedelta(months=12) + dt.timedelta(days=1)
    mine = [d for d in generated.disposals if d.county in SERGEANT_AREA]
    contracts = [c for c in generated.contracts if c.county in SERGEANT_AREA]
    assert len(mine) < len(generated.disposals)
    check(
        outcomes_for(world["custody.sergeant"]),
        expected(mine, contracts, start, today, today),
    )


def test_the_figures_take_few_queries(world, generated, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        outcomes_for(world["analyst"])


# --- the page ---------------------------------------------------------------------------------


def small_world(world: dict[str, Any]) -> None:
    """Three disposals decided today (a small count) through the services."""
    for _i in range(3):
        helpers.record(world["custody.sergeant"], helpers.make_person())


@pytest.mark.parametrize("username", ["custody.sergeant", "inspector", "analyst", "navigator"])
def test_permitted_roles_see_the_page(world, username):
    small_world(world)
    client = demo_sign_in(username)
    page = client.get(reverse("disposals:outcomes"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Disposal outcomes" in body and "Decisions by outcome" in body
    assert "Reoffending only counts what Pontio records" in body
    assert client.get(reverse("disposals:outcomes-csv")).status_code == 200


def test_an_officer_may_not_see_the_page(world):
    client = demo_sign_in("officer")
    assert client.get(reverse("disposals:outcomes")).status_code == 403
    assert client.get(reverse("disposals:outcomes-csv")).status_code == 403


def test_a_small_count_is_suppressed_for_the_analyst_on_the_page_and_in_the_csv(world):
    small_world(world)
    assert Disposal.objects.filter(outcome="disposal").count() == 3
    client = demo_sign_in("analyst")
    body = client.get(reverse("disposals:outcomes")).content.decode()
    assert "fewer than 5" in body
    assert ">3<" not in body
    csv = client.get(reverse("disposals:outcomes-csv")).content.decode()
    assert "Decisions by outcome,Out-of-court disposal,fewer than 5" in csv
    assert "Decisions,All decisions,fewer than 5" in csv
    # The sergeant may open these disposals: exact counts.
    sergeant = demo_sign_in("custody.sergeant")
    csv = sergeant.get(reverse("disposals:outcomes-csv")).content.decode()
    assert "Decisions by outcome,Out-of-court disposal,3" in csv


def test_bad_dates_give_400_with_the_error_summary(world):
    client = demo_sign_in("analyst")
    url = reverse("disposals:outcomes")
    page = client.get(url, {"start_0": "31", "start_1": "2", "start_2": "2026", "end_0": "1"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "There is a problem" in body
    assert "The date must be a real date" in body
    assert "The date must include a day, month and year" in body
    assert "Decisions by outcome" in body  # the page still renders

    today = timezone.localdate()
    earlier = today - dt.timedelta(days=10)
    backwards = {
        "start_0": today.day,
        "start_1": today.month,
        "start_2": today.year,
        "end_0": earlier.day,
        "end_1": earlier.month,
        "end_2": earlier.year,
    }
    page = client.get(url, backwards)
    assert page.status_code == 400
    assert "The end date must be the same as or after the start date" in page.content.decode()
    assert client.get(reverse("disposals:outcomes-csv"), backwards).status_code == 400


def test_a_chosen_period_is_shown(world):
    small_world(world)
    client = demo_sign_in("custody.sergeant")
    old = timezone.localdate() - dt.timedelta(days=100)
    period = {
        "start_0": old.day,
        "start_1": old.month,
        "start_2": old.year,
        "end_0": old.day,
        "end_1": old.month,
        "end_2": old.year,
    }
    csv = client.get(reverse("disposals:outcomes-csv"), period).content.decode()
    assert f"Period,From,{old.isoformat()}" in csv
    assert "Decisions,All decisions,0" in csv


def test_reading_the_page_writes_nothing(world):
    small_world(world)
    client = demo_sign_in("analyst")
    before = (
        AuditEvent.objects.count(),
        Disposal.objects.count(),
        DiversionContract.objects.count(),
    )
    assert client.get(reverse("disposals:outcomes")).status_code == 200
    assert client.get(reverse("disposals:outcomes-csv")).status_code == 200
    after = (
        AuditEvent.objects.count(),
        Disposal.objects.count(),
        DiversionContract.objects.count(),
    )
    assert after == before
