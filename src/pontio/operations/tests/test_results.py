"""Results, totals (``selectors.results_totals``), the forecast providers see, the demand
against the forecast, and links to referrals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pontio.operations import selectors, services
from pontio.operations.models import DrugType, Phase
from pontio.operations.tests.helpers import (
    CARMS,
    CONTEXT,
    POWYS,
    county,
    forecast,
    in_enforcement,
    move,
    new_operation,
    ready_for_enforcement,
    refer,
    share,
)

pytestmark = pytest.mark.django_db


def _result(lead, operation, code=CARMS, arrests=0, charges=0, convictions=0, day=None):
    return services.result_record(
        context=CONTEXT,
        actor=lead,
        operation_id=operation.pk,
        county_id=county(code).pk,
        recorded_on=day or timezone.localdate(),
        arrests=arrests,
        charges=charges,
        convictions=convictions,
    )


def _seizure(lead, operation, drug, pence, code=CARMS, quantity="10", unit="g"):
    return services.seizure_record(
        context=CONTEXT,
        actor=lead,
        operation_id=operation.pk,
        county_id=county(code).pk,
        seized_on=timezone.localdate(),
        drug=drug,
        quantity=Decimal(quantity),
        unit=unit,
        street_value_pence=pence,
    )


def test_results_are_refused_before_enforcement(world):
    lead = world["operations"]
    operation = new_operation(lead)
    with pytest.raises(ValidationError) as error:
        _result(lead, operation, arrests=1)
    assert "enforcement" in str(error.value)


def test_totals_add_up_by_county_and_type(world):
    lead = world["operations"]
    operation = in_enforcement(lead, CARMS, POWYS)
    _result(lead, operation, arrests=10, charges=8)
    _result(lead, operation, POWYS, arrests=2, convictions=1)
    _seizure(lead, operation, DrugType.COCAINE, 1_250_050)
    _seizure(lead, operation, DrugType.COCAINE, 100, quantity="2.5")
    _seizure(lead, operation, DrugType.CANNABIS, 40_000, code=POWYS, quantity="3", unit="plants")
    today = timezone.localdate()
    analyst = world["analyst"]
    totals = selectors.results_totals(analyst, today - dt.timedelta(days=1), today)
    assert (totals.operations, totals.arrests, totals.charges, totals.convictions) == (1, 12, 8, 1)
    assert totals.street_value_pence == 1_290_150
    assert [s.drug for s in totals.seizures] == [DrugType.CANNABIS, DrugType.COCAINE]
    cocaine = totals.seizures[1]
    assert (cocaine.seizures, cocaine.street_value_pence) == (2, 1_250_150)
    assert cocaine.quantities == {"g": Decimal("12.5")}
    carms = selectors.results_totals(analyst, today, today, county(CARMS))
    assert (carms.arrests, carms.convictions, carms.street_value_pence) == (10, 0, 1_250_150)
    # Outside the period: nothing.
    before = selectors.results_totals(
        analyst, today - dt.timedelta(days=30), today - dt.timedelta(days=1)
    )
    assert (before.operations, before.arrests, before.street_value_pence) == (0, 0, 0)


def test_totals_are_for_those_who_may_count(world):
    lead = world["operations"]
    operation = in_enforcement(lead)
    _result(lead, operation, arrests=3)
    today = timezone.localdate()
    for username in ("caseworker", "officer", "intelligence"):
        assert selectors.results_totals(world[username], today, today).arrests == 0
    assert selectors.results_totals(world["operations"], today, today).arrests == 3


def test_bad_results_are_refused_with_reasons(world):
    lead = world["operations"]
    operation = in_enforcement(lead)
    with pytest.raises(ValidationError) as error:
        _result(lead, operation, POWYS, arrests=1)
    assert "county" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _result(lead, operation)
    assert "arrests" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _result(lead, operation, arrests=1, day=timezone.localdate() + dt.timedelta(days=1))
    assert "recorded_on" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _seizure(lead, operation, "tea", 100)
    assert "drug" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        _seizure(lead, operation, DrugType.HEROIN, -1)
    assert "street_value" in error.value.error_dict


def test_providers_see_their_counties_shared_forecast_only(world):
    lead = world["operations"]
    operation = new_operation(lead, CARMS, POWYS, code_name="Kestrel")
    move(lead, operation, Phase.COVERT)
    forecast(lead, operation, CARMS, referrals=12, safeguarding=3)
    forecast(lead, operation, POWYS, referrals=4, safeguarding=1)
    # Not shared yet: nobody sees it.
    assert selectors.provider_forecast(world["caseworker"]) == []
    shared = share(lead, operation)
    assert {o.name for o in shared} >= {"Dyfed Drug and Alcohol Service", "Kaleidoscope Powys"}
    mine = selectors.provider_forecast(world["caseworker"])  # DDAS, Carmarthenshire
    assert [(r.county, r.expected_referrals, r.expected_safeguarding) for r in mine] == [
        ("Carmarthenshire", 12, 3)
    ]
    powys = selectors.provider_forecast(world["powys.caseworker"])
    assert [(r.county, r.expected_referrals) for r in powys] == [("Powys", 4)]
    # The police see nothing through the provider's door.
    assert selectors.provider_forecast(world["officer"]) == []


def test_referrals_made_during_enforcement_are_suggested_and_linked(world):
    lead = world["operations"]
    before = refer(world["officer"], world["person"], pathway="stop_search")
    operation = in_enforcement(lead)
    during = refer(world["officer"], world["person"], pathway="stop_search")
    suggested = list(selectors.suggested_referrals(lead, operation))
    assert during in suggested and before not in suggested
    with pytest.raises(ValidationError):
        services.referrals_link(
            context=CONTEXT, actor=lead, operation_id=operation.pk, referral_ids=[before.pk]
        )
    services.referrals_link(
        context=CONTEXT, actor=lead, operation_id=operation.pk, referral_ids=[during.pk]
    )
    assert during not in list(selectors.suggested_referrals(lead, operation))
    demand = selectors.demand_comparison(lead, operation)
    assert [(r.county, r.forecast_referrals, r.actual_referrals) for r in demand.rows] == [
        ("Carmarthenshire", 12, 1)
    ]
    assert demand.total.actual_referrals == 1


def test_the_dashboard_demand_counts_forecast_and_links(world):
    lead = world["operations"]
    operation = ready_for_enforcement(lead, new_operation(lead))
    move(lead, operation, Phase.ENFORCEMENT)
    referral = refer(world["officer"], world["person"], pathway="stop_search")
    services.referrals_link(
        context=CONTEXT, actor=lead, operation_id=operation.pk, referral_ids=[referral.pk]
    )
    today = timezone.localdate()
    found = selectors.demand_in_period(world["analyst"], today, today)
    assert (found.total.forecast_referrals, found.total.actual_referrals) == (12, 1)
    assert (
        selectors.demand_in_period(world["caseworker"], today, today).total.forecast_referrals == 0
    )
