"""The disposals API's writes: the journey through the API, bad input, stale versions and
the denials, on the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.disposals.models import Disposal, DisposalState
from pontio.disposals.tests import helpers

pytestmark = pytest.mark.django_db


def _decision(person: Any, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "person": person.pk,
        "offence": "class_a_possession",
        "offence_date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "offence_summary": "Found with two wraps of cocaine in Llanelli town centre.",
        "admission": "admitted",
        "evidence_to_charge": True,
        "victim_views": "no_victim",
        "outcome": "disposal",
        "disposal_type": "conditional_caution",
        "decision_rationale": "Admitted, first offence, drug use behind it.",
    }
    body.update(changes)
    return body


def _post(client: Any, name: str, body: dict[str, Any], *args: Any) -> Any:
    return client.post(reverse(name, args=args), body, content_type="application/json")


def test_the_whole_journey_through_the_api(world: Any) -> None:
    person = helpers.make_person()
    officer = demo_sign_in("custody.officer")
    made = _post(officer, "api-disposal-create", _decision(person))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["state"] == DisposalState.AWAITING_AUTHORISATION
    pk, version = body["id"], body["version"]
    due = (timezone.localdate() + dt.timedelta(weeks=6)).isoformat()
    condition = _post(
        officer,
        "api-disposal-conditions",
        {
            "version": version,
            "category": "drug_treatment",
            "description": "Attend an assessment with the drug service.",
            "due_date": due,
            "substances": ["cocaine"],
            "contact": {"phone": "07700 900982", "channels": ["phone"]},
        },
        pk,
    )
    assert condition.status_code == 201, condition.content
    version = Disposal.objects.get(pk=pk).version
    # The officer may not authorise (403); the sergeant may.
    assert _post(officer, "api-disposal-authorise", {"version": version}, pk).status_code == 403
    sergeant = demo_sign_in("custody.sergeant")
    authorised = _post(sergeant, "api-disposal-authorise", {"version": version}, pk)
    assert authorised.status_code == 200, authorised.content
    signed = _post(officer, "api-disposal-sign", {"version": authorised.json()["version"]}, pk)
    assert signed.status_code == 200 and signed.json()["state"] == DisposalState.ACTIVE


def test_bad_input_is_refused_by_field_and_nothing_is_saved(world: Any) -> None:
    person = helpers.make_person()
    officer = demo_sign_in("custody.officer")
    refused = _post(
        officer, "api-disposal-create", _decision(person, offence="nonsense", admission="maybe")
    )
    assert refused.status_code == 400
    assert {"offence", "admission"} <= set(refused.json())
    refused = _post(officer, "api-disposal-create", _decision(person, admission="denied"))
    assert refused.status_code == 400 and "admission" in refused.json()
    assert not Disposal.objects.filter(person=person).exists()


def test_a_stale_version_answers_409_with_the_current_one(world: Any) -> None:
    person = helpers.make_person()
    disposal = helpers.record(world["custody.officer"], person)
    sergeant = demo_sign_in("custody.sergeant")
    stale = _post(
        sergeant, "api-disposal-authorise", {"version": disposal.version + 3}, disposal.pk
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == disposal.version
    disposal.refresh_from_db()
    assert disposal.state == DisposalState.AWAITING_AUTHORISATION


def test_outside_the_scope_is_not_found_and_roles_without_the_right_are_refused(
    world: Any,
) -> None:
    person = helpers.make_person()
    disposal = helpers.record(world["custody.officer"], person)
    powys = demo_sign_in("powys.officer")
    assert _post(powys, "api-disposal-sign", {"version": 1}, disposal.pk).status_code == 404
    analyst = demo_sign_in("analyst")
    assert _post(analyst, "api-disposal-create", _decision(person)).status_code == 403
    navigator = demo_sign_in("navigator")
    assert (
        _post(navigator, "api-disposal-breach", {"version": 1, "reason": "x"}, disposal.pk)
    ).status_code == 403
