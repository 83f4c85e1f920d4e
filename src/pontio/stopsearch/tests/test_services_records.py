"""Recording a search and updating its outcome (``services.records``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pontio.audit.models import AuditEvent
from pontio.core.dates import EARLIEST_EVENT
from pontio.stopsearch import analysis, policeuk, selectors, services
from pontio.stopsearch.models import OutcomeUpdate, StopSearch
from pontio.stopsearch.tests.helpers import CONTEXT, imported_search, record, search_data


def test_a_search_gets_a_receipt_and_its_outcome_at_the_time(world: dict[str, Any]) -> None:
    search = record(world["officer"])
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


# --- plausible dates ----------------------------------------------------------------------


def test_a_search_dated_1800_is_refused_and_reaches_neither_figures_nor_export(
    world: dict[str, Any],
) -> None:
    old = dt.datetime(1800, 6, 1, 14, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as error:
        services.search_record(
            context=CONTEXT, actor=world["officer"], data=search_data(searched_at=old)
        )
    assert error.value.message_dict["searched_at"] == [
        "The date must be on or after 1 January 2000"
    ]
    assert not StopSearch.objects.exists()
    assert analysis.rows_for(world["inspector"]).count() == 0
    assert selectors.publication(world["admin"]).count() == 0


def test_a_search_on_the_earliest_day_is_accepted(world: dict[str, Any]) -> None:
    first = timezone.make_aware(dt.datetime.combine(EARLIEST_EVENT, dt.time(9)))
    assert record(world["officer"], searched_at=first).month == EARLIEST_EVENT


def test_a_search_in_the_future_is_refused_by_the_service(world: dict[str, Any]) -> None:
    later = timezone.now() + dt.timedelta(minutes=30)
    with pytest.raises(ValidationError) as error:
        services.search_record(
            context=CONTEXT, actor=world["officer"], data=search_data(searched_at=later)
        )
    assert error.value.message_dict["searched_at"] == ["The search cannot be in the future"]


def test_the_plausible_moments_of_a_search_are_from_2000_to_now() -> None:
    now = dt.datetime(2026, 3, 27, 14, 30, tzinfo=dt.UTC)
    assert services.check_searched_at(now, now) == now
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.check_searched_at(now + dt.timedelta(seconds=1), now)
    with pytest.raises(ValidationError, match="on or after 1 January 2000"):
        services.check_searched_at(dt.datetime(1999, 12, 31, 12, tzinfo=dt.UTC), now)


def test_the_import_refuses_a_row_dated_before_2000_with_its_row_and_column(db: Any) -> None:
    header = ",".join(policeuk.STOP_SEARCH_HEADER)
    row = (
        "Person search,1800-01-05T10:00:00+00:00,,,,,Male,over 34,White - White British (W1),"
        "White,Misuse of Drugs Act 1971 (section 23),Controlled drugs,"
        "Nothing found - no further action,,"
    )
    batch = policeuk.import_file(
        "1800-01-dyfed-powys-stop-and-search.csv", f"{header}\n{row}\n".encode()
    )
    assert (batch.imported, batch.rejected) == (0, 1)
    assert (batch.errors[0]["row"], batch.errors[0]["column"]) == (2, "Date")
    assert batch.errors[0]["message"] == "The date must be on or after 1 January 2000"
    assert not StopSearch.objects.exists()


# --- outcomes -----------------------------------------------------------------------------


def outcome(world: dict[str, Any], search: StopSearch, **changes: Any) -> OutcomeUpdate:
    values: dict[str, Any] = {
        "context": CONTEXT,
        "actor": world["officer"],
        "search_id": search.pk,
        "expected_version": search.version,
        "kind": "drug_analysis",
        "outcome": "summons",
        "linked_to_object": True,
        "decided_on": timezone.localdate(),
        "reason": "Lab confirmed 3.2 g of cocaine",
    }
    values.update(changes)
    return services.outcome_update(**values)


def test_a_later_outcome_is_added_never_overwriting(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    outcome(world, search)
    search.refresh_from_db()
    assert (search.original_outcome, search.current_outcome) == ("nfa", "summons")
    assert search.outcomes.count() == 2


def test_an_outcome_older_than_the_search_is_refused(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    with pytest.raises(ValidationError) as error:
        outcome(world, search, decided_on=dt.date(2020, 1, 1))
    assert "cannot be before the search" in error.value.message_dict["decided_on"][0]


def test_an_outcome_in_the_future_is_refused(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    with pytest.raises(ValidationError) as error:
        outcome(world, search, decided_on=timezone.localdate() + dt.timedelta(days=1))
    assert error.value.message_dict["decided_on"] == ["The date cannot be in the future"]
    assert search.outcomes.count() == 1


def test_another_officer_cannot_update_the_outcome(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    with pytest.raises(PermissionDenied):
        outcome(world, search, actor=world["custody.officer"])


def test_an_imported_search_cannot_get_a_later_outcome(world: dict[str, Any]) -> None:
    search = imported_search(month=timezone.localdate().replace(day=1))
    with pytest.raises(PermissionDenied):
        outcome(world, search, actor=world["intelligence"])


# --- idempotency --------------------------------------------------------------------------


def test_the_same_key_twice_returns_the_search_already_recorded(world: dict[str, Any]) -> None:
    first, created = services.search_record(
        context=CONTEXT, actor=world["officer"], data=search_data(), idempotency_key="k-1"
    )
    events = AuditEvent.objects.count()
    again, created_again = services.search_record(
        context=CONTEXT,
        actor=world["officer"],
        data=search_data(place="Somewhere else, Llanelli"),
        idempotency_key="k-1",
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert StopSearch.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_the_same_key_from_another_officer_is_another_search(world: dict[str, Any]) -> None:
    services.search_record(
        context=CONTEXT, actor=world["officer"], data=search_data(), idempotency_key="k-1"
    )
    _search, created = services.search_record(
        context=CONTEXT, actor=world["custody.officer"], data=search_data(), idempotency_key="k-1"
    )
    assert created
    assert StopSearch.objects.count() == 2


def test_without_a_key_each_call_records_a_search(world: dict[str, Any]) -> None:
    record(world["officer"])
    record(world["officer"])
    assert StopSearch.objects.count() == 2
