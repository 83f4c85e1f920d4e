"""The referrals API refuses bad input clearly: a reused Idempotency-Key, wrong filter values;
who may read a re-sent referral; and what the OpenAPI description says."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.referrals.models import Referral
from pontio.referrals.tests.helpers import refer

CLINICAL_KEYS = {
    "clinical_records",
    "top_entries",
    "contact",
    "risk_notes",
    "safeguarding_notes",
    "assessed_on",
    "treatment_started_on",
}


def body(world: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "person": world["person"].pk,
        "pathway": "voluntary",
        "reason": "Asked for help with cocaine use after a welfare check.",
        "substances": ["cocaine"],
        "consent_given": True,
        "preferred_language": "en",
        "contact": {"phone": "07700 900123", "channels": ["phone", "text"], "times": "Mornings"},
    }
    data.update(changes)
    return data


def post(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def create(client: Client, data: dict[str, Any], key: str = "key-1") -> Any:
    return post(client, reverse("api-referral-list"), data, **{"Idempotency-Key": key})


def denials() -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED).count()


def transition(client: Client, referral_id: int, **data: Any) -> Any:
    return post(client, reverse("api-referral-transition", args=[referral_id]), data)


def version_of(referral_id: int) -> int:
    return Referral.objects.get(pk=referral_id).version


# --- bad input ----------------------------------------------------------------------------------


def test_a_reused_key_with_a_different_referral_is_refused_and_the_same_one_still_returns(
    world: dict[str, Any],
) -> None:
    client = demo_sign_in("officer")
    first = create(client, body(world), key="reuse-me")
    assert first.status_code == 201
    before = denials()
    other = create(client, body(world, reason="A different referral altogether."), key="reuse-me")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert "used for a different referral" in other.json()["detail"]
    assert denials() == before + 1
    assert Referral.objects.count() == 1
    again = create(client, body(world), key="reuse-me")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_an_idempotency_key_over_80_characters_is_refused(world: dict[str, Any]) -> None:
    response = create(demo_sign_in("officer"), body(world), key="k" * 81)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_too_long"
    assert not Referral.objects.exists()


def test_an_unknown_county_filter_is_refused(world: dict[str, Any]) -> None:
    response = demo_sign_in("officer").get(reverse("api-referral-list"), {"county": "Sir Gâr"})
    assert response.status_code == 400
    assert response.json() == {"county": ["Choose a county of the force area"]}


def test_the_resent_referral_is_named_only_to_those_who_may_see_it(world: dict[str, Any]) -> None:
    from pontio.referrals import services
    from pontio.referrals.tests.helpers import CONTEXT, service_named

    old = refer(world["officer"], world["person"])
    other = "DDAS Llanelli" if old.service.name != "DDAS Llanelli" else "DDAS Carmarthen"
    new = services.referral_resend(
        context=CONTEXT,
        actor=world["custody.sergeant"],
        referral_id=old.pk,
        expected_version=old.version,
        service_id=service_named(other).pk,
        reason="Closer to home",
    )
    url = reverse("api-referral-detail", args=[old.pk])
    assert demo_sign_in("custody.sergeant").get(url).json()["resent_as"] == new.pk
    # The officer made the old referral, not the new one (their sergeant sent it).
    assert demo_sign_in("officer").get(url).json()["resent_as"] is None


def _schema(world: dict[str, Any]) -> dict[str, Any]:
    response = demo_sign_in("officer").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return dict(response.json())


def test_every_referral_operation_documents_its_refusals(world: dict[str, Any]) -> None:
    schema = _schema(world)
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/referrals/")
        for method, operation in item.items()
        if method in ("get", "post")
    ]
    # The loop (10) and the daily work (notes, amendments, questions, caseload, work due,
    # drafts, appointment changes: 18).
    assert len(operations) == 28
    for path, method, operation in operations:
        answers = set(operation["responses"])
        assert "403" in answers, (path, method)
        # A record named in the path may not be found; the list (paged by limit and
        # offset, so there is no page to miss), sending a referral and the code registry
        # never answer 404.
        if "{" in path:
            assert "404" in answers, (path, method)
        else:
            assert "404" not in answers, (path, method)
    create_answers = schema["paths"]["/api/v1/referrals/"]["post"]["responses"]
    assert {"200", "201", "400", "403", "422"} <= set(create_answers)


def test_the_reason_code_is_nullable_in_the_schema(world: dict[str, Any]) -> None:
    components = _schema(world)["components"]["schemas"]
    assert components["ReferralSummary"]["properties"]["status_code"]["nullable"] is True
    for name in ("PoliceReferral", "ProviderReferral"):
        assert components[name]["properties"]["status_code"]["nullable"] is True
    assert components["Event"]["properties"]["code"]["nullable"] is True


def test_the_list_answers_a_referral_without_a_code_with_null(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    row = demo_sign_in("officer").get(reverse("api-referral-list")).json()["results"][0]
    assert row["status_code"] is None
