"""The disposals and diversion contracts API: read only, scoped like the pages, audited."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in
from tests.factories import make_person

from pontio.audit.models import AuditEvent
from pontio.core.models import County
from pontio.disposals.models import Disposal, DisposalType, GravityOffence

CARMS = "W06000010"
_numbers = itertools.count(1)


def make_disposal(world: dict[str, Any], **changes: Any) -> Disposal:
    """A disposal awaiting authorisation in Carmarthenshire, decided by the custody
    sergeant, made directly (the decision services are tested on their own)."""
    values: dict[str, Any] = {
        "reference": f"OOCD-T{next(_numbers):05d}",
        "person": make_person(county_code=CARMS),
        "county": County.objects.get(ons_code=CARMS),
        "offence": GravityOffence.objects.get(code="class_a_possession"),
        "offence_date": timezone.localdate() - dt.timedelta(days=3),
        "offence_summary": "Found with two wraps of cocaine.",
        "admission": "admitted",
        "base_score": 2,
        "gravity_score": 2,
        "victim_views": "no_victim",
        "recommended_outcome": "disposal",
        "recommendation_reason": "Score 2: conditional caution.",
        "outcome": "disposal",
        "disposal_type": DisposalType.objects.get(code="conditional_caution"),
        "decision_rationale": "Admitted, first offence.",
        "decided_by": world["custody.sergeant"],
        "decided_at": timezone.now(),
        "state": "awaiting_authorisation",
    }
    values.update(changes)
    return Disposal.objects.create(**values)


def _references(response: Any) -> list[str]:
    return [row["reference"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_the_custody_sergeant_of_the_county_sees_the_disposal_in_the_api_list(world):
    disposal = make_disposal(world)
    response = demo_sign_in("custody.sergeant").get(reverse("api-disposal-list"))
    assert response.status_code == 200
    assert _references(response) == [disposal.reference]
    assert response.json()["results"][0]["disposal_type"] == "conditional_caution"
    assert AuditEvent.objects.filter(
        action="read", object_type="disposals.disposal", reason__startswith="api list"
    ).exists()


@pytest.mark.django_db
def test_the_api_list_filters_by_disposal_type_and_state(world):
    disposal = make_disposal(world)
    make_disposal(world, state="closed", outcome="nfa", disposal_type=None)
    client = demo_sign_in("custody.sergeant")
    url = reverse("api-disposal-list")
    by_type = client.get(url, {"disposal_type": "conditional_caution"})
    assert _references(by_type) == [disposal.reference]
    by_state = client.get(url, {"state": "closed"})
    assert disposal.reference not in _references(by_state)
    assert len(_references(by_state)) == 1


@pytest.mark.django_db
def test_a_filter_value_not_in_the_choices_is_refused_by_field(world):
    response = demo_sign_in("custody.sergeant").get(
        reverse("api-disposal-list"), {"disposal_type": "no_such_type"}
    )
    assert response.status_code == 400
    assert "disposal_type" in response.json()


@pytest.mark.parametrize("username", ["powys.officer", "navigator"])
@pytest.mark.django_db
def test_a_powys_officer_and_the_navigator_do_not_see_a_carmarthenshire_disposal(world, username):
    disposal = make_disposal(world)
    client = demo_sign_in(username)
    assert _references(client.get(reverse("api-disposal-list"))) == []
    detail = client.get(reverse("api-disposal-detail", args=[disposal.pk]))
    assert detail.status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_id=str(disposal.pk)).exists()


@pytest.mark.django_db
def test_the_analyst_who_reads_aggregates_only_is_refused_the_list(world):
    make_disposal(world)
    client = demo_sign_in("analyst")
    assert client.get(reverse("api-disposal-list")).status_code == 403
    assert client.get(reverse("api-contract-list")).status_code == 403


@pytest.mark.django_db
def test_the_detail_read_is_audited_with_the_person(world):
    disposal = make_disposal(world)
    response = demo_sign_in("custody.sergeant").get(
        reverse("api-disposal-detail", args=[disposal.pk])
    )
    assert response.status_code == 200
    assert response.json()["reference"] == disposal.reference
    assert response.json()["conditions"] == []
    assert AuditEvent.objects.filter(
        action="read", object_id=str(disposal.pk), person_id=str(disposal.person_id)
    ).exists()


@pytest.mark.django_db
def test_the_contract_list_answers_the_police_of_the_area_with_no_contracts_yet(world):
    response = demo_sign_in("custody.sergeant").get(reverse("api-contract-list"))
    assert response.status_code == 200
    assert response.json()["results"] == []
