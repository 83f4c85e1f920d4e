"""Recording a search and updating its outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.factories import county

from pontio.audit.services import AuditContext
from pontio.stopsearch import services
from pontio.stopsearch.models import OutcomeUpdate

CONTEXT = AuditContext.system("test")


def search_data(**changes: Any) -> services.SearchData:
    values: dict[str, Any] = {
        "search_type": "person",
        "searched_at": timezone.now() - dt.timedelta(hours=2),
        "place": "Stepney Street, Llanelli",
        "county": county("W06000010"),
        "legislation": "mda_s23",
        "object_of_search": "controlled_drugs",
        "grounds": "Strong smell of cannabis from him; seen passing a small bag to another man.",
        "gowisely_given": True,
        "outcome": "nfa",
        "gender": "Male",
        "age_range": "18-24",
        "self_defined_ethnicity": "W1",
        "officer_defined_ethnicity": "White",
        "removal_of_more_than_outer_clothing": False,
        "body_worn_video": "BWV-4471-2026",
    }
    values.update(changes)
    return services.SearchData(**values)


def test_a_search_gets_a_receipt_and_its_outcome_at_the_time(world: dict[str, Any]) -> None:
    search = services.search_record(context=CONTEXT, actor=world["officer"], data=search_data())
    assert search.reference.startswith("SS")
    assert search.original_outcome == search.current_outcome == "nfa"
    assert search.outcomes.get().kind == OutcomeUpdate.Kind.AT_THE_TIME


def test_a_search_without_grounds_or_legislation_is_refused(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        services.search_record(
            context=CONTEXT, actor=world["officer"], data=search_data(grounds="", legislation="")
        )
    assert error.value.message_dict["grounds"] == ["Enter the grounds for the search"]
    assert error.value.message_dict["legislation"] == [
        "Choose the power (legislation) used for the search"
    ]


def test_a_later_outcome_is_added_never_overwriting(world: dict[str, Any]) -> None:
    search = services.search_record(context=CONTEXT, actor=world["officer"], data=search_data())
    services.outcome_update(
        context=CONTEXT,
        actor=world["officer"],
        search_id=search.pk,
        expected_version=search.version,
        kind="drug_analysis",
        outcome="summons",
        linked_to_object=True,
        decided_on=timezone.localdate(),
        reason="Lab confirmed 3.2 g of cocaine",
    )
    search.refresh_from_db()
    assert (search.original_outcome, search.current_outcome) == ("nfa", "summons")
    assert search.outcomes.count() == 2


def test_an_outcome_older_than_the_search_is_refused(world: dict[str, Any]) -> None:
    search = services.search_record(context=CONTEXT, actor=world["officer"], data=search_data())
    with pytest.raises(ValidationError) as error:
        services.outcome_update(
            context=CONTEXT,
            actor=world["officer"],
            search_id=search.pk,
            expected_version=search.version,
            kind="later_charge",
            outcome="summons",
            linked_to_object=True,
            decided_on=dt.date(2020, 1, 1),
            reason="Charged",
        )
    assert "cannot be before the search" in error.value.message_dict["decided_on"][0]


def test_another_officer_cannot_update_the_outcome(world: dict[str, Any]) -> None:
    search = services.search_record(context=CONTEXT, actor=world["officer"], data=search_data())
    with pytest.raises(PermissionDenied):
        services.outcome_update(
            context=CONTEXT,
            actor=world["custody.officer"],
            search_id=search.pk,
            expected_version=search.version,
            kind="nfa",
            outcome="nfa",
            linked_to_object=None,
            decided_on=timezone.localdate(),
            reason="x",
        )
