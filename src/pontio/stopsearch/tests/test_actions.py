"""What each user may do next with a search or a review (``actions``), and that the
services refuse what the pages do not offer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from tests.factories import UserFactory, county

from pontio.accounts.roles import Role
from pontio.stopsearch import sampling, services
from pontio.stopsearch.actions import (
    ADD_OUTCOME,
    COMPLETE,
    LINK_PERSON,
    READ_FEEDBACK,
    REFER,
    SEND_TO_PANEL,
    actions_for,
)
from pontio.stopsearch.models import SearchReview
from pontio.stopsearch.tests.helpers import CERED, CONTEXT, imported_search, record


def test_the_officer_who_made_the_search_adds_outcomes_refers_and_reads_feedback(
    world: dict[str, Any],
) -> None:
    search = record(world["officer"])
    assert actions_for(search, world["officer"]) == {
        ADD_OUTCOME,
        REFER,
        READ_FEEDBACK,
        LINK_PERSON,
    }


def test_the_sergeant_of_the_area_updates_and_refers_but_reads_no_feedback(
    world: dict[str, Any],
) -> None:
    search = record(world["officer"])  # Carmarthenshire: the sergeant's area
    assert actions_for(search, world["custody.sergeant"]) == {ADD_OUTCOME, REFER, LINK_PERSON}


def test_another_officer_may_do_nothing_with_the_search(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    assert actions_for(search, world["custody.officer"]) == frozenset()


def test_the_inspector_of_the_area_may_also_send_it_to_the_panel(world: dict[str, Any]) -> None:
    search = record(world["officer"], county=county(CERED), place="Aberystwyth")
    assert actions_for(search, world["inspector"]) == {
        ADD_OUTCOME,
        REFER,
        SEND_TO_PANEL,
        LINK_PERSON,
    }


def test_an_imported_search_has_no_outcome_to_add_no_referral_and_no_panel(
    world: dict[str, Any],
) -> None:
    search = imported_search(month=timezone.localdate().replace(day=1))
    wide = UserFactory(roles=[Role.INSPECTOR], force_wide=True)
    assert actions_for(search, wide) == frozenset()
    assert actions_for(search, world["intelligence"]) == frozenset()


def test_the_administrator_may_send_any_search_to_the_panel_and_nothing_else(
    world: dict[str, Any],
) -> None:
    search = record(world["officer"])
    assert actions_for(search, world["admin"]) == {SEND_TO_PANEL}


# --- reviews ------------------------------------------------------------------------------


def _sampled(world: dict[str, Any]) -> tuple[SearchReview, SearchReview]:
    search = record(world["officer"], county=county(CERED), place="Aberystwyth")
    sampling.draw_sample(
        month=search.month, county=county(CERED), rate_percent=100, context=CONTEXT
    )
    return (
        search.reviews.get(kind=SearchReview.Kind.INSPECTOR),
        search.reviews.get(kind=SearchReview.Kind.INDEPENDENT),
    )


def test_the_inspector_completes_the_inspector_review_not_the_independent_one(
    world: dict[str, Any],
) -> None:
    inspector, independent = _sampled(world)
    assert actions_for(inspector, world["inspector"]) == {COMPLETE, SEND_TO_PANEL}
    assert COMPLETE not in actions_for(independent, world["inspector"])


def test_only_the_assigned_panel_member_completes_the_independent_review(
    world: dict[str, Any],
) -> None:
    _inspector, independent = _sampled(world)
    other = UserFactory(roles=[Role.PANEL_MEMBER])
    assert actions_for(independent, world["panel"]) == {COMPLETE}
    assert actions_for(independent, other) == frozenset()


def test_a_completed_review_offers_nothing_to_complete(world: dict[str, Any]) -> None:
    inspector, _independent = _sampled(world)
    done = services.review_complete(
        context=CONTEXT,
        actor=world["inspector"],
        review_id=inspector.pk,
        expected_version=inspector.version,
        answers=services.ReviewAnswers(
            grounds_reasonable=True, record_complete=True, conduct_proportionate=True
        ),
    )
    assert COMPLETE not in actions_for(done, world["inspector"])


def test_the_service_refuses_what_the_page_does_not_offer(world: dict[str, Any]) -> None:
    _inspector, independent = _sampled(world)
    assert COMPLETE not in actions_for(independent, world["inspector"])
    with pytest.raises(PermissionDenied):
        services.review_complete(
            context=CONTEXT,
            actor=world["inspector"],
            review_id=independent.pk,
            expected_version=independent.version,
            answers=services.ReviewAnswers(
                grounds_reasonable=True, record_complete=True, conduct_proportionate=True
            ),
        )


def test_reading_feedback_is_the_searching_officers_alone(world: dict[str, Any]) -> None:
    inspector, _independent = _sampled(world)
    services.review_complete(
        context=CONTEXT,
        actor=world["inspector"],
        review_id=inspector.pk,
        expected_version=inspector.version,
        answers=services.ReviewAnswers(
            grounds_reasonable=True, record_complete=True, conduct_proportionate=True
        ),
    )
    search = inspector.search
    assert services.feedback_read(context=CONTEXT, actor=world["inspector"], search=search) == 0
    assert services.feedback_read(context=CONTEXT, actor=world["officer"], search=search) == 1
    assert services.feedback_read(context=CONTEXT, actor=world["officer"], search=search) == 0
