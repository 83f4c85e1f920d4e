"""The monthly audit sample: size, reproducibility, idempotency, reviewers and due dates."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from tests.factories import UserFactory, county

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext
from pontio.core.recording import AuditAction
from pontio.core.working_days import add_working_days
from pontio.stopsearch import sampling
from pontio.stopsearch.models import AuditSample, SearchReview, Source, StopSearch

CONTEXT = AuditContext.system("test")
MONTH = dt.date(2026, 3, 1)
CARMS, CERED = "W06000010", "W06000008"


def make_searches(
    count: int, *, ons_code: str = CARMS, month: dt.date = MONTH, **extra: Any
) -> list[StopSearch]:
    """Searches made in the month (created directly: the sample only reads the rows)."""
    made = []
    for n in range(count):
        searched_at = timezone.make_aware(dt.datetime.combine(month, dt.time(10)))
        made.append(
            StopSearch.objects.create(
                reference=f"T{ons_code[-2:]}{month:%y%m}{StopSearch.objects.count():05d}",
                search_type="person",
                searched_at=searched_at + dt.timedelta(hours=n),
                month=month,
                county=county(ons_code),
                place="Stepney Street, Llanelli",
                grounds="Strong smell of cannabis and a small bag passed to another man.",
                legislation="mda_s23",
                object_of_search="controlled_drugs",
                **extra,
            )
        )
    return made


def draw(**kwargs: Any) -> AuditSample:
    kwargs.setdefault("month", MONTH)
    kwargs.setdefault("county", county(CARMS))
    kwargs.setdefault("context", CONTEXT)
    sample, _created = sampling.draw_sample(**kwargs)
    return sample


def sampled_pks(sample: AuditSample) -> list[int]:
    return sorted(set(sample.reviews.values_list("search_id", flat=True)))


# --- pure functions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "rate", "size"),
    [(0, 25, 0), (1, 25, 1), (4, 25, 1), (5, 25, 2), (10, 25, 3), (40, 25, 10), (7, 100, 7)],
)
def test_sample_size_rounds_up(population: int, rate: int, size: int) -> None:
    assert sampling.sample_size(population, rate) == size


def test_the_same_seed_selects_the_same_searches() -> None:
    pks = list(range(1, 101))
    assert sampling.select(pks, 25, 42) == sampling.select(list(reversed(pks)), 25, 42)


def test_a_different_seed_selects_different_searches() -> None:
    pks = list(range(1, 101))
    assert sorted(sampling.select(pks, 25, 1)) != sorted(sampling.select(pks, 25, 2))


def test_the_default_seed_is_the_published_one() -> None:
    # The first 63 bits of SHA-256("2026-03:W06000010"), as the module docstring says: a
    # change of formula would make every recorded sample unverifiable.
    assert sampling.default_seed(MONTH, CARMS) == 2466957636928262011


def test_the_default_seed_depends_on_the_month_and_the_county() -> None:
    seed = sampling.default_seed(MONTH, CARMS)
    assert seed == sampling.default_seed(MONTH, CARMS)
    assert seed != sampling.default_seed(MONTH, CERED)
    assert seed != sampling.default_seed(dt.date(2026, 4, 1), CARMS)
    assert 0 <= seed < 2**63


# --- drawing ----------------------------------------------------------------------------------


def test_a_quarter_of_the_month_is_sampled_by_default(world: dict[str, Any]) -> None:
    make_searches(10)
    sample = draw()
    assert (sample.rate_percent, sample.population) == (25, 10)
    assert len(sampled_pks(sample)) == 3


def test_the_rate_is_configurable_in_settings(world: dict[str, Any], settings: Any) -> None:
    settings.PONTIO_STOPSEARCH_SAMPLE_PERCENT = 50
    make_searches(10)
    sample = draw()
    assert sample.rate_percent == 50
    assert len(sampled_pks(sample)) == 5


def test_the_rate_can_be_given_for_one_draw(world: dict[str, Any]) -> None:
    make_searches(10)
    assert len(sampled_pks(draw(rate_percent=10))) == 1


def test_a_rate_outside_1_to_100_is_refused(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        draw(rate_percent=0)
    assert "rate_percent" in error.value.message_dict


def test_the_seed_and_population_are_recorded_and_the_draw_can_be_verified(
    world: dict[str, Any],
) -> None:
    make_searches(12)
    sample = draw()
    assert sample.seed == sampling.default_seed(MONTH, CARMS)
    assert sample.population == 12
    verification = sampling.verify_sample(sample)
    assert verification.matches(sample)
    assert verification.expected == sampled_pks(sample)


def test_redrawing_with_the_recorded_seed_gives_the_same_searches(
    world: dict[str, Any],
) -> None:
    import random

    searches = make_searches(20)
    sample = draw(seed=1234)
    # The documented draw, written out: 25% of 20 is 5, from the pks in order.
    redrawn = sorted(random.Random(1234).sample(sorted(s.pk for s in searches), 5))
    assert redrawn == sampled_pks(sample)


def test_a_different_seed_gives_a_different_sample(world: dict[str, Any]) -> None:
    searches = make_searches(20)
    sample = draw(seed=1234)
    other = sorted(sampling.select([s.pk for s in searches], 25, 999))
    assert other != sampled_pks(sample)


def test_a_search_recorded_after_the_draw_does_not_break_verification(
    world: dict[str, Any],
) -> None:
    make_searches(8)
    sample = draw()
    make_searches(3)
    assert sampling.verify_sample(sample).matches(sample)


def test_a_tampered_sample_fails_verification(world: dict[str, Any]) -> None:
    searches = make_searches(8)
    sample = draw()
    review = sample.reviews.first()
    outside = next(s for s in searches if s.pk not in sampled_pks(sample))
    SearchReview.objects.filter(search_id=review.search_id, sample=sample).update(search=outside)
    assert not sampling.verify_sample(sample).matches(sample)


def test_drawing_again_returns_the_existing_sample(world: dict[str, Any]) -> None:
    make_searches(8)
    first = draw()
    again, created = sampling.draw_sample(
        month=MONTH, county=county(CARMS), rate_percent=100, seed=7, context=CONTEXT
    )
    assert not created
    assert again.pk == first.pk
    assert AuditSample.objects.count() == 1
    assert SearchReview.objects.count() == 2 * 2  # 2 searches, 2 reviews each


def test_counties_are_sampled_separately(world: dict[str, Any]) -> None:
    carms = make_searches(8, ons_code=CARMS)
    cered = make_searches(4, ons_code=CERED)
    carms_sample = draw(county=county(CARMS))
    cered_sample = draw(county=county(CERED))
    assert set(sampled_pks(carms_sample)) <= {s.pk for s in carms}
    assert set(sampled_pks(cered_sample)) <= {s.pk for s in cered}
    assert (carms_sample.population, cered_sample.population) == (8, 4)


def test_other_months_and_police_uk_rows_are_not_in_the_population(
    world: dict[str, Any],
) -> None:
    make_searches(4)
    make_searches(5, month=dt.date(2026, 2, 1))
    make_searches(6, source=Source.POLICE_UK)
    assert draw().population == 4


def test_each_sampled_search_gets_an_inspector_and_an_independent_review(
    world: dict[str, Any],
) -> None:
    make_searches(4, ons_code=CERED)
    sample = draw(county=county(CERED), rate_percent=100)
    reviews = list(sample.reviews.all())
    inspector = [r for r in reviews if r.kind == SearchReview.Kind.INSPECTOR]
    independent = [r for r in reviews if r.kind == SearchReview.Kind.INDEPENDENT]
    assert len(inspector) == len(independent) == 4
    assert {r.reviewer for r in inspector} == {world["inspector"]}
    assert {r.reviewer for r in independent} == {world["panel"]}


def test_a_county_without_an_inspector_leaves_the_inspector_review_unassigned(
    world: dict[str, Any],
) -> None:
    make_searches(4, ons_code=CARMS)  # the demo inspector covers Ceredigion only
    sample = draw(rate_percent=100)
    inspector = sample.reviews.filter(kind=SearchReview.Kind.INSPECTOR)
    assert set(inspector.values_list("reviewer", flat=True)) == {None}


def test_a_force_wide_inspector_reviews_any_county(world: dict[str, Any]) -> None:
    wide = UserFactory(roles=[Role.INSPECTOR], force_wide=True)
    make_searches(2, ons_code=CARMS)
    sample = draw(rate_percent=100)
    reviewers = set(
        sample.reviews.filter(kind=SearchReview.Kind.INSPECTOR).values_list("reviewer", flat=True)
    )
    assert reviewers == {wide.pk}


def test_an_inspector_never_reviews_their_own_search(world: dict[str, Any]) -> None:
    """An inspector who searched someone is not the one to judge that search: another
    inspector of the area takes it, and with no other the review waits unassigned."""
    searcher = UserFactory(roles=[Role.INSPECTOR], force_wide=True)
    own = make_searches(2, ons_code=CARMS, officer=searcher)
    sample = draw(rate_percent=100)
    reviews = sample.reviews.filter(kind=SearchReview.Kind.INSPECTOR, search__in=own)
    assert set(reviews.values_list("reviewer", flat=True)) == {None}
    other = UserFactory(roles=[Role.INSPECTOR], force_wide=True)
    more = make_searches(2, ons_code=CARMS, month=dt.date(2026, 4, 1), officer=searcher)
    later = draw(month=dt.date(2026, 4, 1), rate_percent=100)
    reviews = later.reviews.filter(kind=SearchReview.Kind.INSPECTOR, search__in=more)
    assert set(reviews.values_list("reviewer", flat=True)) == {other.pk}


def test_reviews_are_shared_round_robin(world: dict[str, Any]) -> None:
    second = UserFactory(roles=[Role.PANEL_MEMBER], counties=[CERED])
    make_searches(4, ons_code=CERED)
    sample = draw(county=county(CERED), rate_percent=100)
    independent = list(
        sample.reviews.filter(kind=SearchReview.Kind.INDEPENDENT).values_list("reviewer", flat=True)
    )
    assert sorted(independent) == sorted([world["panel"].pk] * 2 + [second.pk] * 2)


def test_reviews_are_due_in_working_days_from_the_draw(
    world: dict[str, Any], settings: Any
) -> None:
    settings.PONTIO_STOPSEARCH_REVIEW_DAYS = 10
    make_searches(2)
    friday = dt.date(2026, 4, 3)  # Good Friday: the next Monday is Easter Monday
    sample = draw(today=friday, rate_percent=100)
    due = set(sample.reviews.values_list("due_on", flat=True))
    assert due == {add_working_days(friday, 10)} == {dt.date(2026, 4, 20)}


def test_drawing_is_audited(world: dict[str, Any]) -> None:
    make_searches(4)
    sample = draw()
    event = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="stopsearch.auditsample", object_id=str(sample.pk)
    )
    assert event.reason.startswith("sampled 1 of 4 searches")


def test_an_empty_month_is_recorded_with_no_reviews(world: dict[str, Any]) -> None:
    sample = draw()
    assert sample.population == 0
    assert not sample.reviews.exists()


# --- the task and the command -----------------------------------------------------------------


def test_the_monthly_task_draws_last_month_for_every_county_once(
    world: dict[str, Any], monkeypatch: Any
) -> None:
    from types import SimpleNamespace

    from pontio.stopsearch import tasks
    from pontio.stopsearch.tasks import draw_monthly_samples

    make_searches(4, ons_code=CARMS)
    make_searches(4, ons_code=CERED)
    monkeypatch.setattr(tasks, "timezone", SimpleNamespace(localdate=lambda: dt.date(2026, 4, 1)))
    draw_monthly_samples.enqueue()
    assert AuditSample.objects.filter(month=MONTH).count() == 4  # the four counties
    draw_monthly_samples.enqueue()
    assert AuditSample.objects.filter(month=MONTH).count() == 4


def test_the_command_draws_a_given_month_with_a_rate_and_seed(world: dict[str, Any]) -> None:
    make_searches(10)
    out = StringIO()
    call_command(
        "draw_stopsearch_sample", "--month", "2026-03", "--rate", "50", "--seed", "9", stdout=out
    )
    sample = AuditSample.objects.get(month=MONTH, county=county(CARMS))
    assert (sample.rate_percent, sample.seed, sample.population) == (50, 9, 10)
    assert f"2026-03 {CARMS}: drawn; rate 50%, seed 9, population 10, reviews 10" in out.getvalue()


def test_the_command_refuses_a_wrong_month(world: dict[str, Any]) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("draw_stopsearch_sample", "--month", "March")
