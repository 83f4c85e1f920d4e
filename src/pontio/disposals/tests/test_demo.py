"""The disposals demo: a year of decisions planned the same way on every run, with people
coming back, contracts in every state and the walk's records; seeded through the real
services, it feeds the outcome figures, and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pontio.disposals import demo
from pontio.disposals.demo import KEY, plans, seed_disposals, walk_plans

NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def test_the_plan_is_the_same_on_every_run() -> None:
    assert plans(120, NOW) == plans(120, NOW)


def test_the_plan_spans_a_year_of_the_four_counties() -> None:
    made = plans(320, NOW)
    assert len(made) == 320
    assert all(NOW - dt.timedelta(days=366) < p.decided_at < NOW for p in made)
    assert {p.county for p in made} == {demo.CARMS, demo.CERED, demo.PEMBS, demo.POWYS}


def test_the_plan_mixes_outcomes_types_and_conditions() -> None:
    made = plans(320, NOW)
    decisions = Counter(p.decision for p in made)
    assert decisions["charge"] and decisions["nfa"] and decisions["follow"]
    categories = Counter(c for p in made for c in p.conditions)
    for category in ("diversion_scheme", "drug_treatment", "drug_awareness", "compensation"):
        assert categories[category] > 5, categories


def test_about_a_quarter_of_the_plans_are_people_coming_back() -> None:
    made = plans(320, NOW)
    people = Counter((p.county, p.person) for p in made)
    repeats = sum(n - 1 for n in people.values())
    assert 0.15 < repeats / len(made) < 0.35


def test_the_plan_has_contracts_in_every_state() -> None:
    states = Counter(p.contract for p in plans(320, NOW) + walk_plans(NOW))
    for state in ("referred", "active", "completed", "failed", "declined"):
        assert states[state], states


def test_the_walk_leaves_reviews_due_soon_and_overdue_and_disposals_to_authorise() -> None:
    walk = walk_plans(NOW)
    dues = [demo.review_due(p) for p in walk]
    assert any(d is not None and 0 < d <= 7 for d in dues)
    assert any(d is not None and d < 0 for d in dues)
    assert sum(p.progress == "awaiting" for p in walk) == demo.AWAITING
    assert all(p.county == demo.CARMS and p.person < 0 for p in walk)


def test_no_disposal_is_planned_for_a_score_the_matrix_sends_to_charge() -> None:
    for plan in plans(320, NOW):
        if plan.decision == "follow" and demo._base_score(plan.offence, plan.factors) >= 3:
            assert plan.conditions == [] and plan.contract == ""


def test_the_last_quarter_is_the_one_that_ended_before_today() -> None:
    assert demo.last_quarter(dt.date(2026, 12, 2)) == dt.date(2026, 7, 1)
    assert demo.last_quarter(dt.date(2026, 1, 1)) == dt.date(2025, 10, 1)
    assert demo.last_quarter(dt.date(2026, 4, 30)) == dt.date(2026, 1, 1)


def test_needs_scores_are_lower_at_the_end_of_a_completed_contract() -> None:
    import random

    rng = random.Random(1)
    start = demo.start_scores(rng)
    end = demo.end_scores(rng, start, completed=True)
    assert sum(end.values()) < sum(start.values())
    assert all(end[p] <= start[p] for p in start)


def _people() -> None:
    from tests.factories import make_person

    towns = {
        demo.CARMS: "Llanelli",
        demo.PEMBS: "Haverfordwest",
        demo.CERED: "Aberystwyth",
        demo.POWYS: "Newtown",
    }
    for n in range(12):
        for code, town in towns.items():
            make_person(f"Demo{n}", town, county_code=code, town=town)


def _services_or_skip() -> None:
    _found, missing = demo._services()
    if missing:
        pytest.skip("services not there yet: " + ", ".join(missing))


@pytest.mark.django_db
def test_the_demo_seeds_nothing_while_the_services_are_missing(world: dict[str, Any]) -> None:
    from pontio.disposals.models import Disposal

    if not demo._services()[1]:
        pytest.skip("every service is there")
    result = seed_disposals(count=10)
    assert result.missing and result.created == 0
    assert not Disposal.objects.exists()


@pytest.mark.django_db
def test_the_command_says_what_it_made(world: dict[str, Any]) -> None:
    out = StringIO()
    call_command("seed_disposals", count=0, stdout=out)
    assert out.getvalue().startswith("Disposals:")


@pytest.mark.django_db
def test_the_demo_feeds_the_figures_and_adds_nothing_again(world: dict[str, Any]) -> None:
    _services_or_skip()
    from pontio.disposals.models import Disposal, DiversionContract, PanelReview

    _people()
    result = seed_disposals(count=120)
    assert result.created > 80 and result.refused == 0, result
    disposals = Disposal.objects.filter(source_reference__startswith=KEY)
    assert all(d.created_at <= timezone.now() for d in disposals)
    assert disposals.filter(state="awaiting_authorisation", county__ons_code=demo.CARMS).exists()
    assert (
        disposals.filter(state="completed").exists() and disposals.filter(state="breached").exists()
    )
    states = set(DiversionContract.objects.values_list("state", flat=True))
    assert {"referred", "active", "completed", "failed", "declined"} <= states
    assert PanelReview.objects.filter(reviewer=world["panel"]).exists()
    _assert_the_figures_have_data()
    total = disposals.count()
    assert seed_disposals(count=120).created == 0
    assert Disposal.objects.filter(source_reference__startswith=KEY).count() == total


def _assert_the_figures_have_data() -> None:
    """The outcome figures' inputs are there: closed contracts (completion rate), start and
    end scores with the end lower (needs change), and people with a later positive
    disposal both among those diverted and among the others (reoffending comparison)."""
    from django.db.models import Sum

    from pontio.disposals.models import Disposal, DiversionContract, PathwayScore

    closed = DiversionContract.objects.filter(state__in=["completed", "failed"])
    assert closed.filter(state="completed").exists()
    totals = dict(
        PathwayScore.objects.filter(assessment__contract__in=closed)
        .values_list("assessment__stage")
        .annotate(total=Sum("score"))
    )
    assert totals["end"] < totals["start"], totals
    diverted = set(DiversionContract.objects.values_list("person_id", flat=True))
    counts = Counter(Disposal.objects.exclude(outcome="nfa").values_list("person_id", flat=True))
    again = {person for person, n in counts.items() if n > 1}
    assert again & diverted and again - diverted


@pytest.mark.django_db
def test_each_plan_gets_an_adult_of_its_county_and_a_repeat_the_same_person(
    world: dict[str, Any],
) -> None:
    _people()
    demo.seeding_staff()
    deciders = demo.staff_by_county(demo.DECIDERS)
    assert set(deciders) == {demo.CARMS, demo.CERED, demo.PEMBS, demo.POWYS}
    now = timezone.now()
    made = plans(60, now) + walk_plans(now)
    chosen = demo.assign_people(made, demo.people_by_county(deciders, now))
    slots: dict[tuple[str, int], int] = {}
    for plan in made:
        person = chosen[plan.number]
        assert person is not None
        assert person.addresses.get().county.ons_code == plan.county
        assert slots.setdefault((plan.county, plan.person), person.pk) == person.pk
