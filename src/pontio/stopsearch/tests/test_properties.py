"""Properties of recording a search and adding a later outcome, over generated input
(Hypothesis).

- a PACE Code A record an officer may save always makes exactly one search, with its
  outcome at the time and its audit event, and reads back as the rules clean it;
- a later outcome always adds one outcome (never overwriting the first), makes it the
  search's current outcome when it is the latest, and is audited;
- a later outcome breaking one rule is always refused on that field, and nothing changes;
- a later outcome naming a version that is not the search's is always refused, and
  nothing changes.

Each example runs in a savepoint rolled back at its end.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from tests.properties import ci_settings, rolled_back

from pontio.audit.models import AuditEvent
from pontio.core.concurrency import StaleVersionError
from pontio.stopsearch import services
from pontio.stopsearch.models import OutcomeUpdate, StopSearch
from pontio.stopsearch.tests.helpers import CONTEXT, search_data
from pontio.stopsearch.vocab import (
    CURRENT_OUTCOMES,
    AgeRange,
    Found,
    Legislation,
    ObjectOfSearch,
    OfficerEthnicity,
    Outcome,
    SearchGender,
    SearchType,
)

pytestmark = pytest.mark.django_db

CI = ci_settings(max_examples=25)

TEXT = st.characters(categories=("L", "M", "N", "P", "Zs"))
LATER_KINDS = [k for k in OutcomeUpdate.Kind.values if k != OutcomeUpdate.Kind.AT_THE_TIME]


def _linked(draw: st.DrawFn, outcome: str) -> bool | None:
    return None if outcome == Outcome.NFA else draw(st.booleans())


@st.composite
def valid_searches(draw: st.DrawFn) -> services.SearchData:
    outcome = draw(st.sampled_from(CURRENT_OUTCOMES))
    search_type = draw(st.sampled_from(SearchType.values))
    hours = draw(st.integers(1, 24 * 60))
    return search_data(
        search_type=search_type,
        searched_at=timezone.now() - dt.timedelta(hours=hours),
        place=draw(st.text(TEXT, min_size=1, max_size=200).filter(lambda s: s.strip() != "")),
        legislation=draw(st.sampled_from(Legislation.values)),
        object_of_search=draw(st.sampled_from(ObjectOfSearch.values)),
        grounds=draw(
            st.text(TEXT, min_size=30, max_size=600).filter(lambda s: len(s.strip()) >= 30)
        ),
        found=draw(st.sampled_from(Found.values)),
        outcome=outcome,
        outcome_linked=_linked(draw, outcome),
        vehicle_registration=draw(st.sampled_from(["CU23 ABC", "ab12cde", " WX70 XYZ "])),
        gender=draw(st.sampled_from(SearchGender.values)),
        age_range=draw(st.sampled_from(AgeRange.values)),
        officer_defined_ethnicity=draw(st.sampled_from(OfficerEthnicity.values)),
        removal_of_more_than_outer_clothing=draw(st.booleans()),
    )


def _record(world: dict[str, Any], data: services.SearchData) -> StopSearch:
    search, created = services.search_record(context=CONTEXT, actor=world["officer"], data=data)
    assert created
    return search


@st.composite
def later_outcomes(draw: st.DrawFn) -> dict[str, Any]:
    outcome = draw(st.sampled_from(CURRENT_OUTCOMES))
    return {
        "kind": draw(st.sampled_from(LATER_KINDS)),
        "outcome": outcome,
        "linked_to_object": _linked(draw, outcome),
        "decided_on": timezone.localdate(),
        "reason": draw(st.text(TEXT, min_size=1, max_size=300).filter(lambda s: s.strip() != "")),
    }


def _outcome_defects() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    today = timezone.localdate()
    return st.one_of(
        st.sampled_from(["", "at_time", "lab"]).map(lambda v: ("kind", {"kind": v})),
        st.sampled_from(["", "charged", "NFA"]).map(lambda v: ("outcome", {"outcome": v})),
        st.just(("linked_to_object", {"outcome": "arrest", "linked_to_object": None})),
        st.dates(min_value=today + dt.timedelta(days=1)).map(
            lambda d: ("decided_on", {"decided_on": d})
        ),
        st.dates(max_value=today - dt.timedelta(days=90)).map(
            lambda d: ("decided_on", {"decided_on": d})
        ),
        st.just(("decided_on", {"decided_on": None})),
        st.sampled_from(["", "   "]).map(lambda v: ("reason", {"reason": v})),
    )


def _add(world: dict[str, Any], search: StopSearch, version: int, **values: Any) -> OutcomeUpdate:
    return services.outcome_update(
        context=CONTEXT,
        actor=world["officer"],
        search_id=search.pk,
        expected_version=version,
        **values,
    )


def _state(search: StopSearch) -> tuple[Any, ...]:
    search.refresh_from_db()
    return (search.version, search.current_outcome, search.current_linked, search.outcomes.count())


@CI
@given(data=valid_searches())
def test_a_valid_search_is_recorded_once_with_its_outcome_and_audit(
    world: dict[str, Any], data: services.SearchData
) -> None:
    with rolled_back():
        searches, outcomes, events = (
            StopSearch.objects.count(),
            OutcomeUpdate.objects.count(),
            AuditEvent.objects.count(),
        )
        search = _record(world, dataclasses.replace(data))
        assert StopSearch.objects.count() == searches + 1
        assert OutcomeUpdate.objects.count() == outcomes + 1
        assert AuditEvent.objects.count() > events
        assert AuditEvent.objects.filter(
            object_type="stopsearch.stopsearch", object_id=str(search.pk)
        ).exists()
        cleaned = services.check_search_data(dataclasses.replace(data))
        search.refresh_from_db()
        assert (search.original_outcome, search.current_outcome) == (cleaned.outcome,) * 2
        assert search.current_linked == cleaned.outcome_linked
        assert search.grounds == cleaned.grounds
        assert search.place == cleaned.place
        assert search.vehicle_registration == cleaned.vehicle_registration
        assert search.gender == cleaned.gender


@CI
@given(data=valid_searches(), later=later_outcomes())
def test_a_later_outcome_is_added_never_overwriting_and_is_audited(
    world: dict[str, Any], data: services.SearchData, later: dict[str, Any]
) -> None:
    with rolled_back():
        search = _record(world, data)
        version, first = search.version, search.original_outcome
        events = AuditEvent.objects.count()
        update = _add(world, search, version, **later)
        assert _state(search) == (
            version + 1,
            later["outcome"],
            later["linked_to_object"],
            2,
        )
        assert search.original_outcome == first
        assert update.reason == later["reason"].strip()
        assert AuditEvent.objects.count() == events + 2


@CI
@given(data=valid_searches(), later=later_outcomes(), defect=_outcome_defects())
def test_a_later_outcome_breaking_a_rule_is_refused_on_that_field_and_changes_nothing(
    world: dict[str, Any],
    data: services.SearchData,
    later: dict[str, Any],
    defect: tuple[str, dict[str, Any]],
) -> None:
    field, change = defect
    with rolled_back():
        search = _record(world, data)
        before, events = _state(search), AuditEvent.objects.count()
        with pytest.raises(ValidationError) as caught:
            _add(world, search, search.version, **{**later, **change})
        assert field in caught.value.message_dict, caught.value.message_dict
        assert _state(search) == before
        assert AuditEvent.objects.count() == events


@CI
@given(data=valid_searches(), later=later_outcomes(), wrong=st.integers(-2, 40))
def test_a_later_outcome_naming_another_version_is_refused_and_changes_nothing(
    world: dict[str, Any], data: services.SearchData, later: dict[str, Any], wrong: int
) -> None:
    with rolled_back():
        search = _record(world, data)
        if wrong == search.version:
            wrong += 1
        before, events = _state(search), AuditEvent.objects.count()
        with pytest.raises(StaleVersionError):
            _add(world, search, wrong, **later)
        assert _state(search) == before
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("field", "limit", "extra"),
    [("operation_name", 120, {"part_of_operation": True}), ("body_worn_video", 60, {})],
)
def test_a_value_longer_than_its_column_is_refused_not_cut_short(
    field: str, limit: int, extra: dict[str, Any]
) -> None:
    data = dataclasses.replace(search_data(), **extra, **{field: "x" * (limit + 1)})
    with pytest.raises(ValidationError) as refused:
        services.check_search_data(data)
    assert field in refused.value.message_dict
    fits = dataclasses.replace(search_data(), **extra, **{field: "x" * limit})
    assert getattr(services.check_search_data(fits), field) == "x" * limit
