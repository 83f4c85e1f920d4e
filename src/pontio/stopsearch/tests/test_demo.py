"""Demo stop and search data: made through the real services, at the time it would have
happened, once, with samples and reviews (``demo``)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from pontio.audit.chain import verify_chain
from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.stopsearch.demo import KEY, seed_stopsearch
from pontio.stopsearch.demo.journeys import JOURNEY_4
from pontio.stopsearch.models import AuditSample, OutcomeUpdate, SearchReview, StopSearch


@pytest.fixture
def seeded(world: dict[str, Any]) -> tuple[Any, Any]:
    from pontio.people.demo import seed_people

    seed_people(count=40, duplicates=0)
    return seed_stopsearch(count=60), seed_stopsearch(count=60)


def test_demo_searches_are_made_once_by_the_demo_police(seeded: tuple[Any, Any]) -> None:
    first, again = seeded
    # The 60 asked for, and the search of journey 4.
    assert (first.created, again.created, again.skipped) == (61, 0, 61)
    searches = StopSearch.objects.all()
    assert searches.count() == 61
    assert searches.filter(legislation="mda_s23").count() > 30
    assert searches.values("county").distinct().count() == 4
    assert not searches.filter(gowisely_given=False).exists()
    assert all(s.officer is not None for s in searches.select_related("officer"))
    cutoff = timezone.now() - dt.timedelta(days=121)
    assert not searches.filter(searched_at__lt=cutoff).exists()
    assert set(searches.values_list("idempotency_key", flat=True)) == {
        *(f"{KEY}{i}" for i in range(60)),
        JOURNEY_4,
    }


def test_each_search_is_recorded_shortly_after_it_was_made(seeded: tuple[Any, Any]) -> None:
    for search in StopSearch.objects.all():
        delay = search.created_at - search.searched_at
        assert dt.timedelta(0) < delay <= dt.timedelta(hours=2), search.reference
        event = AuditEvent.objects.get(
            action=AuditAction.CREATE,
            object_type="stopsearch.stopsearch",
            object_id=str(search.pk),
        )
        assert event.occurred_at == search.created_at


def test_later_outcomes_are_recorded_on_the_day_they_were_decided(
    seeded: tuple[Any, Any],
) -> None:
    first, _again = seeded
    later = OutcomeUpdate.objects.exclude(kind=OutcomeUpdate.Kind.AT_THE_TIME)
    assert later.count() == first.updated > 0
    for update in later:
        assert timezone.localtime(update.recorded_at).date() == update.decided_on


def test_the_samples_of_the_months_that_ended_are_drawn_on_the_first(
    seeded: tuple[Any, Any],
) -> None:
    first, again = seeded
    this_month = timezone.localdate().replace(day=1)
    samples = AuditSample.objects.all()
    assert first.samples == samples.count() > 0
    assert again.samples == 0  # drawn once
    for sample in samples:
        assert sample.month < this_month
        assert timezone.localtime(sample.drawn_at).date() == (
            (sample.month + dt.timedelta(days=32)).replace(day=1)
        )


def test_reviewers_complete_most_of_their_reviews_before_they_are_due(
    seeded: tuple[Any, Any],
) -> None:
    first, again = seeded
    completed = SearchReview.objects.filter(completed_at__isnull=False)
    assert first.reviews == completed.count() > 0
    assert again.reviews == 0  # completed once
    for review in completed:
        assert review.reviewer is not None
        assert timezone.localtime(review.completed_at).date() <= review.due_on
    assert SearchReview.objects.filter(completed_at__isnull=True).exists()  # some are open


def test_the_demo_audit_log_is_one_unbroken_chain(seeded: tuple[Any, Any]) -> None:
    assert verify_chain().broken_at is None


def test_demo_searches_are_refused_outside_demo_and_test(settings: Any) -> None:
    settings.PONTIO_ENV = "production"
    with pytest.raises(ImproperlyConfigured):
        seed_stopsearch(count=1)


def test_the_seed_command_reports_what_it_made(world: dict[str, Any]) -> None:
    out = StringIO()
    call_command("seed_stopsearch", count=3, stdout=out)
    assert out.getvalue().startswith("Stop and search: 4 created")  # and journey 4's


# --- the journeys, walkable by hand --------------------------------------------------------------


def _early_next_month() -> dt.datetime:
    """The 3rd of next month at noon: last month's sample is drawn and not yet due."""
    first = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=3)
    return timezone.make_aware(dt.datetime.combine(first, dt.time(12, 0)))


@pytest.fixture
def walked(world: dict[str, Any]) -> dt.date:
    """The demo as seeded on the 3rd of a month (the date decides which reviews are due)."""
    import time_machine

    from pontio.people.demo import seed_people

    seed_people(count=40, duplicates=0)
    moment = _early_next_month()
    with time_machine.travel(moment, tick=False):
        seed_stopsearch(count=160)
    return moment.date()


def _state(review: SearchReview, today: dt.date) -> str:
    if review.completed_at is not None:
        return "completed with learning" if review.learning else "completed without learning"
    if review.escalated_at is not None:
        return "escalated"
    return "overdue" if review.due_on < today else "open"


def test_the_inspectors_county_has_reviews_in_every_state(walked: dt.date) -> None:
    from pontio.accounts.models import User

    inspector = User.objects.get(username="inspector")
    reviews = SearchReview.objects.filter(
        sample__county_id__in=inspector.county_ids, sample__isnull=False
    )
    states = {_state(review, walked) for review in reviews}
    assert states == {
        "open",
        "overdue",
        "escalated",
        "completed with learning",
        "completed without learning",
    }
    latest = AuditSample.objects.filter(county_id__in=inspector.county_ids).order_by("-month")[0]
    latest_states = {_state(review, walked) for review in latest.reviews.all()}
    assert {"open", "completed with learning"} <= latest_states
    # Open reviews for the inspector and for the independent reviewer to complete.
    open_kinds = set(latest.reviews.filter(completed_at=None).values_list("kind", flat=True))
    assert open_kinds == {"inspector", "independent"}
    # The inspector reviews their county's searches, never their own.
    assert not reviews.filter(search__officer=inspector).exists()


def test_the_panel_has_assigned_reviews_of_searches_with_video(walked: dt.date) -> None:
    panel = SearchReview.objects.filter(kind=SearchReview.Kind.PANEL)
    assert panel.filter(completed_at=None, reviewer__username="panel").exists()
    assert panel.filter(completed_at__isnull=False).exists()
    assert not panel.filter(search__body_worn_video="").exists()


def test_the_officer_has_a_recent_search_to_update_and_refer_from(walked: dt.date) -> None:
    from pontio.stopsearch.actions import ADD_OUTCOME, LINK_PERSON, REFER, actions_for

    search = StopSearch.objects.get(idempotency_key=JOURNEY_4)
    assert search.officer is not None and search.officer.username == "officer"
    assert timezone.localtime(search.searched_at).date() == walked - dt.timedelta(days=7)
    assert (search.found, search.original_outcome, search.current_outcome) == (
        "nothing",
        "nfa",
        "nfa",
    )
    assert search.person_id is None and search.body_worn_video
    assert {ADD_OUTCOME, LINK_PERSON, REFER} <= actions_for(search, search.officer)
