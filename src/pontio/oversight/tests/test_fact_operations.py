"""Fact 7 read from the operations' results: convictions, and the street value of the Class A
drugs seized (Misuse of Drugs Act 1971, Sch. 2 Part I), through the reader's scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pontio.operations import services
from pontio.operations.models import DrugType
from pontio.operations.tests.helpers import CARMS, CONTEXT, county, in_enforcement
from pontio.oversight.facts import compute_fact

pytestmark = pytest.mark.django_db


def _record(lead: Any, convictions: int) -> None:
    operation = in_enforcement(lead, CARMS)
    today = timezone.localdate()
    services.result_record(
        context=CONTEXT,
        actor=lead,
        operation_id=operation.pk,
        county_id=county(CARMS).pk,
        recorded_on=today,
        arrests=convictions + 3,
        charges=convictions + 1,
        convictions=convictions,
    )
    for drug, pence in ((DrugType.HEROIN, 100_000), (DrugType.CANNABIS, 50_000)):
        services.seizure_record(
            context=CONTEXT,
            actor=lead,
            operation_id=operation.pk,
            county_id=county(CARMS).pk,
            seized_on=today,
            drug=drug,
            quantity=Decimal("10"),
            unit="g",
            street_value_pence=pence,
        )


def _fact(user: Any):
    today = timezone.localdate()
    return compute_fact("operations", user=user, start=today.replace(day=1), end=today, county=None)


def test_convictions_and_class_a_only(demo_users: dict[str, Any]) -> None:
    _record(demo_users["operations"], convictions=7)
    result = _fact(demo_users["analyst"])
    assert result.missing is None
    assert result.value_text == "7 convicted; £1,000 of Class A disrupted"
    assert "£1,500 of all drugs" in result.explanation
    assert result.base_value == 7 and result.end_value == 1000
    assert ["Heroin", "Yes", "1", "£1,000"] in result.table_rows
    assert ["Cannabis", "No", "1", "£500"] in result.table_rows


def test_a_small_number_of_convictions_is_suppressed_for_the_analyst(
    demo_users: dict[str, Any],
) -> None:
    _record(demo_users["operations"], convictions=3)
    analyst = _fact(demo_users["analyst"])
    assert analyst.value_text is not None and analyst.value_text.startswith("fewer than 5")
    assert analyst.base_value is None
    lead = _fact(demo_users["operations"])  # who may open the operation sees it exactly
    assert lead.value_text is not None and lead.value_text.startswith("3 convicted")


def test_who_may_count_no_operation_sees_no_figure(demo_users: dict[str, Any]) -> None:
    _record(demo_users["operations"], convictions=7)
    result = _fact(demo_users["inspector"])
    assert result.value_text is None and result.missing
