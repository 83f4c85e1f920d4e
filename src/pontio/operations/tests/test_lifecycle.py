"""The phases and the rules that move them (``operations.lifecycle``), through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pontio.core.concurrency import StaleVersionError
from pontio.operations import lifecycle, services
from pontio.operations.models import Evaluation, OperationEvent, Phase
from pontio.operations.tests.helpers import (
    CARMS,
    CONTEXT,
    DDAS,
    POWYS,
    brief,
    forecast,
    fresh,
    move,
    new_operation,
    ready_for_enforcement,
    share,
)

pytestmark = pytest.mark.django_db


def test_an_operation_starts_in_planning_with_a_reference(world):
    operation = new_operation(world["operations"])
    assert operation.phase == Phase.PLANNING
    assert operation.reference.startswith(f"OP-{timezone.localdate().year}-")
    assert list(
        OperationEvent.objects.filter(operation=operation).values_list("to_phase", flat=True)
    ) == [Phase.PLANNING]


def test_phases_move_one_step_at_a_time(world):
    lead = world["operations"]
    operation = new_operation(lead)
    with pytest.raises(ValidationError) as error:
        move(lead, operation, Phase.ENFORCEMENT)
    assert "phase" in error.value.error_dict
    move(lead, operation, Phase.COVERT)
    with pytest.raises(ValidationError):
        move(lead, operation, Phase.PLANNING)


def test_enforcement_needs_a_briefing_and_a_shared_forecast(world):
    lead = world["operations"]
    operation = new_operation(lead)
    move(lead, operation, Phase.COVERT)
    with pytest.raises(ValidationError) as error:
        move(lead, operation, Phase.ENFORCEMENT)
    messages = error.value.error_dict["phase"][0].messages + [
        m for e in error.value.error_dict["phase"][1:] for m in e.messages
    ]
    assert any("briefing" in m for m in messages)
    assert any("expected referrals" in m for m in messages)
    brief(lead, operation)
    forecast(lead, operation)
    with pytest.raises(ValidationError) as error:
        move(lead, operation, Phase.ENFORCEMENT)
    assert "Share the forecast" in str(error.value)
    share(lead, operation)
    moved = move(lead, operation, Phase.ENFORCEMENT)
    assert moved.phase == Phase.ENFORCEMENT
    assert moved.enforcement_started_at is not None


def test_changing_the_forecast_after_sharing_unshares_it(world):
    lead = world["operations"]
    operation = ready_for_enforcement(lead, new_operation(lead))
    assert operation.forecast_shared_at is not None
    forecast(lead, operation, referrals=20)
    assert fresh(operation).forecast_shared_at is None
    with pytest.raises(ValidationError):
        move(lead, operation, Phase.ENFORCEMENT)


def test_the_forecast_is_fixed_from_enforcement(world):
    lead = world["operations"]
    operation = move(lead, ready_for_enforcement(lead, new_operation(lead)), Phase.ENFORCEMENT)
    with pytest.raises(ValidationError) as error:
        forecast(lead, operation, referrals=99)
    assert "fixed" in str(error.value)


def test_a_phase_date_is_never_in_the_future_nor_before_the_last(world):
    lead = world["operations"]
    operation = new_operation(lead)
    with pytest.raises(ValidationError) as error:
        move(lead, operation, Phase.COVERT, at=timezone.now() + dt.timedelta(days=1))
    assert "started_at" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        move(lead, operation, Phase.COVERT, at=operation.planning_started_at - dt.timedelta(days=1))
    assert "started_at" in error.value.error_dict


def test_closing_asks_each_briefed_organisation_once(world):
    lead = world["operations"]
    operation = move(lead, ready_for_enforcement(lead, new_operation(lead)), Phase.ENFORCEMENT)
    brief(lead, operation)  # DDAS a second time
    brief(lead, operation, name="Hywel Dda University Health Board")
    move(lead, operation, Phase.AFTERCARE)
    move(lead, operation, Phase.CLOSED)
    asked = set(
        Evaluation.objects.filter(operation=operation).values_list("organisation__name", flat=True)
    )
    assert asked == {DDAS, "Hywel Dda University Health Board"}


def test_a_stale_edit_is_refused(world):
    lead = world["operations"]
    operation = new_operation(lead)
    version = operation.version
    services.operation_update(
        context=CONTEXT,
        actor=lead,
        operation_id=operation.pk,
        expected_version=version,
        code_name="Kestrel II",
        objective="",
        county_ids=[c.pk for c in operation.counties.all()],
    )
    with pytest.raises(StaleVersionError):
        services.operation_update(
            context=CONTEXT,
            actor=lead,
            operation_id=operation.pk,
            expected_version=version,
            code_name="Kestrel III",
            objective="",
            county_ids=[c.pk for c in operation.counties.all()],
        )
    assert fresh(operation).code_name == "Kestrel II"


def test_only_leads_of_the_area_run_operations(world, make_user):
    from pontio.accounts.roles import Role

    operation = new_operation(world["operations"], CARMS)
    powys_lead = make_user(roles=[Role.OPERATIONS_LEAD], counties=[POWYS])
    with pytest.raises(PermissionDenied):
        move(powys_lead, operation, Phase.COVERT)
    with pytest.raises(PermissionDenied):
        move(world["caseworker"], operation, Phase.COVERT)
    with pytest.raises(ValidationError) as error:
        new_operation(powys_lead, CARMS)
    assert "counties" in error.value.error_dict


def test_the_lifecycle_module_names_what_each_phase_allows(world):
    operation = new_operation(world["operations"])
    assert lifecycle.forecast_editable(operation)
    assert not lifecycle.results_recordable(operation)
    assert not lifecycle.evaluation_open(operation)
    assert lifecycle.next_phase(Phase.AFTERCARE) == Phase.CLOSED
    assert lifecycle.next_phase(Phase.CLOSED) is None
