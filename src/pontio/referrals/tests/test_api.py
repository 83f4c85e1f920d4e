"""The referrals API: the same services, scopes and party rules as the pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.referrals.models import Alert, Referral, Status
from pontio.referrals.tests.helpers import move, refer

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


# --- create -------------------------------------------------------------------------------


def test_create_without_an_idempotency_key_is_refused_and_nothing_is_made(
    world: dict[str, Any],
) -> None:
    client = demo_sign_in("officer")
    response = post(client, reverse("api-referral-list"), body(world))
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Referral.objects.exists()


def test_create_sends_the_referral_to_the_proposed_service(world: dict[str, Any]) -> None:
    response = create(demo_sign_in("officer"), body(world))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == Status.REQUESTED
    assert data["provider_name"] == "Dyfed Drug and Alcohol Service"
    assert data["party"] == "police"
    assert Referral.objects.get().reference == data["reference"]


def test_a_retry_with_the_same_key_returns_the_same_referral_and_makes_no_second(
    world: dict[str, Any],
) -> None:
    client = demo_sign_in("officer")
    first = create(client, body(world), key="retry-me")
    again = create(client, body(world), key="retry-me")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert Referral.objects.count() == 1
    assert create(client, body(world), key="another").status_code == 201
    assert Referral.objects.count() == 2


def test_a_referral_without_a_working_contact_route_is_refused_with_what_is_missing(
    world: dict[str, Any],
) -> None:
    client = demo_sign_in("officer")
    before = denials()
    response = create(client, body(world, contact={"channels": ["phone"]}))
    assert response.status_code == 400
    assert response.json()["contact"]["channels"] == [
        "You chose phone or text: enter a phone number"
    ]
    assert not Referral.objects.exists()
    assert denials() == before + 1


def test_a_referral_with_no_route_at_all_says_so(world: dict[str, Any]) -> None:
    response = create(
        demo_sign_in("officer"), body(world, contact={"channels": ["in_person"], "phone": "x"})
    )
    assert response.status_code == 400
    errors = response.json()["contact"]
    assert errors["phone"] == ["Enter a UK phone number, like 01267 226000 or 07700 900982"]


def test_bad_codes_are_refused_by_field(world: dict[str, Any]) -> None:
    response = create(
        demo_sign_in("officer"),
        body(world, substances=["moonshine"], county="W99999999", consent_given=False),
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["substances"] == ["“moonshine” is not a known substance code"]
    assert "county" in errors


def test_the_police_must_give_a_lawful_basis_without_consent(world: dict[str, Any]) -> None:
    response = create(demo_sign_in("officer"), body(world, consent_given=False))
    assert response.status_code == 400
    errors = response.json()
    assert "lawful_basis" in errors and "policy_reference" in errors


def test_a_person_outside_the_officers_area_cannot_be_referred_and_the_attempt_is_audited(
    world: dict[str, Any],
) -> None:
    client = demo_sign_in("officer")  # Carmarthenshire only
    before = denials()
    response = create(client, body(world, person=world["powys_person"].pk))
    assert response.status_code == 400
    assert response.json()["person"] == ["There is no person with this id that you may refer"]
    assert denials() == before + 1
    assert not Referral.objects.exists()


def test_providers_cannot_create_referrals(world: dict[str, Any]) -> None:
    before = denials()
    response = create(demo_sign_in("caseworker"), body(world))
    assert response.status_code == 403
    assert denials() == before + 1


# --- read -----------------------------------------------------------------------------------


def test_the_list_is_scoped_and_filtered(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    mine = [refer(world["officer"], world["person"]) for _ in range(3)]
    refer(world["custody.officer"], world["person"])
    client = demo_sign_in("officer")
    # Sign-in checks, the audit event and the page: the same for one row or fifty.
    with django_assert_max_num_queries(14):
        listing = client.get(reverse("api-referral-list")).json()
    # What breaches first; these are due on the same day, so the first sent comes first.
    assert [row["id"] for row in listing["results"]] == [r.pk for r in mine]
    assert listing["results"][0]["county"] == "W06000010"
    assert listing["results"][0]["breached"] is False
    filtered = client.get(reverse("api-referral-list"), {"status": "completed"}).json()
    assert filtered["count"] == 0
    provider = demo_sign_in("caseworker").get(reverse("api-referral-list"), {"breach": "any"})
    assert provider.json()["count"] == 0
    assert demo_sign_in("caseworker").get(reverse("api-referral-list")).json()["count"] == 4


def test_an_unknown_filter_value_is_refused(world: dict[str, Any]) -> None:
    response = demo_sign_in("officer").get(reverse("api-referral-list"), {"status": "lost"})
    assert response.status_code == 400
    assert response.json()["status"] == ["Choose a referral status"]


def test_another_providers_referral_is_not_found_and_the_attempt_audited(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("powys.caseworker")
    before = denials()
    response = client.get(reverse("api-referral-detail", args=[referral.pk]))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    denial = AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("-sequence").first()
    assert denials() == before + 1 and denial.object_id == str(referral.pk)
    moved = transition(client, referral.pk, to_status="accepted", version=referral.version)
    assert moved.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == Status.REQUESTED


def test_every_read_is_audited_with_the_person(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    demo_sign_in("officer").get(reverse("api-referral-detail", args=[referral.pk]))
    read = AuditEvent.objects.filter(action=AuditAction.READ, object_id=str(referral.pk)).last()
    assert read is not None and read.person_id == str(world["person"].pk)


def test_the_providers_first_read_marks_the_referral_received(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    data = demo_sign_in("caseworker").get(reverse("api-referral-detail", args=[referral.pk]))
    assert data.json()["status"] == Status.RECEIVED
    assert data.json()["contact"]["phone"] == "+447700900123"


def test_officers_who_did_not_refer_and_other_roles_are_refused(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    url = reverse("api-referral-detail", args=[referral.pk])
    assert demo_sign_in("custody.officer").get(url).status_code == 404
    for username in ("analyst", "panel", "auditor", "admin"):
        before = denials()
        assert demo_sign_in(username).get(url).status_code == 403, username
        assert denials() == before + 1


def test_the_code_registry_lists_every_code_with_its_rules(world: dict[str, Any]) -> None:
    codes = demo_sign_in("caseworker").get(reverse("api-referral-code-list")).json()
    planned = next(c for c in codes if c["code"] == "CLO_PLANNED_COMPLETE")
    assert planned["kind"] == "closure" and planned["leads_to"] == "completed"
    assert planned["chosen_by"] == "provider" and planned["planned"] is True
    assert {"stops_timer", "next_actor", "label_en", "label_cy"} <= set(planned)


# --- transitions ---------------------------------------------------------------------------


def test_the_provider_accepts_with_the_current_version(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    response = transition(
        demo_sign_in("caseworker"), referral.pk, to_status="accepted", version=referral.version
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.ACCEPTED
    assert response.json()["version"] == referral.version + 1


def test_a_move_the_lifecycle_does_not_allow_is_refused_with_the_reason(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    before = denials()
    response = transition(
        demo_sign_in("caseworker"),
        referral.pk,
        to_status="completed",
        code="CLO_PLANNED_COMPLETE",
        version=referral.version,
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "A referral that is “Requested” cannot become “Completed”"
    ]
    assert response.json()["code"] == "transition_not_allowed"
    assert denials() == before + 1
    assert version_of(referral.pk) == referral.version


def test_an_unknown_code_is_refused(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    response = transition(
        demo_sign_in("caseworker"),
        referral.pk,
        to_status="rejected",
        code="REJ_BECAUSE",
        version=referral.version,
    )
    assert response.status_code == 400
    assert response.json()["code"] == ["“REJ_BECAUSE” is not a known reason code"]


def test_a_stale_version_is_a_conflict_that_says_what_to_do(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("caseworker")
    stale = referral.version
    assert transition(client, referral.pk, to_status="accepted", version=stale).status_code == 200
    before = denials()
    response = transition(
        client, referral.pk, to_status="on-hold", code="HOLD_HOSPITAL", version=stale
    )
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "stale_version" and data["version"] == stale + 1
    assert f"version {stale + 1}" in data["detail"]
    assert Referral.objects.get(pk=referral.pk).status == Status.ACCEPTED
    assert denials() == before + 1


def test_a_missing_version_is_refused(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    response = transition(demo_sign_in("caseworker"), referral.pk, to_status="accepted")
    assert response.status_code == 400
    assert "version" in response.json()


def test_the_officer_withdraws_with_a_police_code(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    response = transition(
        demo_sign_in("officer"),
        referral.pk,
        to_status="cancelled",
        code="CAN_SENT_IN_ERROR",
        version=referral.version,
    )
    assert response.status_code == 200
    assert response.json()["status_code"]["code"] == "CAN_SENT_IN_ERROR"


def test_a_withdrawal_cannot_claim_the_referral_was_re_sent(world: dict[str, Any]) -> None:
    """Only the re-send service closes a referral as "re-sent to another provider"."""
    referral = refer(world["officer"], world["person"])
    response = transition(
        demo_sign_in("officer"),
        referral.pk,
        to_status="cancelled",
        code="CAN_TRANSFERRED",
        version=referral.version,
    )
    assert response.status_code == 400
    assert response.json()["code"] == [
        "To close it as re-sent, send the referral to another provider"
    ]
    referral.refresh_from_db()
    assert referral.status == "requested"


def test_the_police_cannot_record_provider_work(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("officer")
    before = denials()
    response = post(
        client,
        reverse("api-referral-clinical-records", args=[referral.pk]),
        {"kind": "assessment", "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    assert denials() == before + 1


# --- the whole loop ---------------------------------------------------------------------------


def test_the_whole_loop_through_the_api_and_the_officer_reads_the_outcome(
    world: dict[str, Any],
) -> None:
    officer = demo_sign_in("officer")
    made = create(officer, body(world), key="loop")
    assert made.status_code == 201
    pk = made.json()["id"]
    caseworker = demo_sign_in("caseworker")

    def url(name: str, *args: int) -> str:
        return reverse(name, args=[pk, *args])

    def ok(response: Any, status: int = 201) -> dict[str, Any]:
        assert response.status_code == status, response.json()
        return dict(response.json())

    ok(transition(caseworker, pk, to_status="accepted", version=version_of(pk)), 200)
    now = timezone.now()
    attempt = ok(
        post(
            caseworker,
            url("api-referral-contact-attempts"),
            {"at": now.isoformat(), "channel": "phone", "outcome": "spoke", "notes": "Keen"},
        )
    )
    assert attempt["referral_version"] == version_of(pk)
    appointment = ok(
        post(
            caseworker,
            url("api-referral-appointments"),
            {
                "kind": "assessment",
                "starts_at": (now - dt.timedelta(minutes=5)).isoformat(),
                "place": "Llanelli",
            },
        )
    )
    attended = ok(
        post(
            caseworker,
            url("api-referral-attendance", appointment["id"]),
            {"attendance": "attended", "version": appointment["version"]},
        ),
        200,
    )
    assert attended["attendance"] == "attended"
    stale = post(
        caseworker,
        url("api-referral-attendance", appointment["id"]),
        {"attendance": "dna", "version": appointment["version"]},
    )
    assert stale.status_code == 409
    today = timezone.localdate().isoformat()
    # An attended appointment is not the assessment: the timer waits for the record of it.
    assert version_of(pk) and Referral.objects.get(pk=pk).assessed_on is None
    ok(
        post(
            caseworker,
            url("api-referral-clinical-records"),
            {"kind": "assessment", "on": today},
        )
    )
    ok(
        post(
            caseworker,
            url("api-referral-clinical-records"),
            {"kind": "treatment_start", "on": today, "intervention": "Psychosocial"},
        )
    )
    ok(
        post(
            caseworker,
            url("api-referral-top-entries"),
            {
                "stage": "start",
                "interview_date": today,
                "main_substance": "cocaine",
                "cocaine_days": 12,
                "quality_of_life": 8,
            },
        )
    )
    ok(
        post(
            caseworker,
            url("api-referral-top-entries"),
            {
                "stage": "review",
                "interview_date": today,
                "main_substance": "cocaine",
                "cocaine_days": 3,
            },
        )
    )
    provider_view = ok(caseworker.get(url("api-referral-detail")), 200)
    assert provider_view["status"] == Status.IN_PROGRESS
    assert [t["stage"] for t in provider_view["top_entries"]] == ["start", "review"]
    assert provider_view["contact_attempts"][0]["notes"] == "Keen"
    closed = ok(
        transition(
            caseworker,
            pk,
            to_status="completed",
            code="CLO_PLANNED_COMPLETE",
            version=provider_view["version"],
        ),
        200,
    )
    assert closed["status"] == Status.COMPLETED

    outcome = ok(officer.get(url("api-referral-detail")), 200)
    assert outcome["status"] == Status.COMPLETED
    assert outcome["status_code"]["code"] == "CLO_PLANNED_COMPLETE"
    assert outcome["party"] == "police"
    assert not CLINICAL_KEYS & set(outcome)
    assert outcome["contact_attempts"] == [
        {"at": attempt["at"], "channel": "phone", "outcome": "spoke"}
    ]
    assert {"starts_at", "kind", "mode", "attendance", "rescheduled"} == set(
        outcome["appointments"][0]
    )
    assert [t["name"] for t in outcome["timers"]] == ["first_contact", "assessment", "treatment"]
    assert Alert.objects.filter(recipient=world["officer"], kind=Alert.Kind.CLOSED).exists()


def test_police_detail_has_no_clinical_fields_even_for_supervisors(world: dict[str, Any]) -> None:
    referral = refer(world["custody.sergeant"], world["person"])
    move(world["caseworker"], referral, Status.ACCEPTED)
    data = demo_sign_in("custody.sergeant").get(reverse("api-referral-detail", args=[referral.pk]))
    assert data.status_code == 200
    assert not CLINICAL_KEYS & set(data.json())


# --- the OpenAPI description --------------------------------------------------------------------


def test_the_schema_documents_the_referral_endpoints(world: dict[str, Any]) -> None:
    response = demo_sign_in("officer").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    for path in (
        "/api/v1/referrals/",
        "/api/v1/referrals/{id}/",
        "/api/v1/referrals/{id}/transition/",
        "/api/v1/referrals/{id}/appointments/{aid}/attendance/",
        "/api/v1/referrals/codes/",
    ):
        assert path in schema["paths"], path
    create_op = schema["paths"]["/api/v1/referrals/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in create_op["parameters"])


@pytest.mark.parametrize("username", ["officer", "caseworker"])
def test_post_only_endpoints_answer_405_to_a_get(world: dict[str, Any], username: str) -> None:
    referral = refer(world["officer"], world["person"])
    url = reverse("api-referral-transition", args=[referral.pk])
    assert demo_sign_in(username).get(url).status_code == 405


# --- the list: paged by limit and offset, searched by reference (journey 13) ------------------


def test_the_list_is_paged_by_limit_and_offset(world: dict[str, Any]) -> None:
    made = [refer(world["officer"], world["person"]) for _ in range(5)]
    client = demo_sign_in("caseworker")
    first = client.get(reverse("api-referral-list"), {"limit": 2}).json()
    assert first["count"] == 5
    assert [row["id"] for row in first["results"]] == [r.pk for r in made[:2]]
    assert "offset=2" in first["next"] and first["previous"] is None
    rest = client.get(reverse("api-referral-list"), {"limit": 2, "offset": 4}).json()
    assert [row["id"] for row in rest["results"]] == [made[4].pk]
    assert rest["next"] is None


def test_the_list_limit_has_a_ceiling(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    refer(world["officer"], world["person"])
    response = demo_sign_in("caseworker").get(
        reverse("api-referral-list"), {"limit": 100000, "offset": 1}
    )
    assert response.status_code == 200
    # The link back names the limit used: the ceiling, not the one asked for.
    assert "limit=200" in response.json()["previous"]


def test_the_list_is_searched_by_reference_with_the_inbox_filter(world: dict[str, Any]) -> None:
    wanted = refer(world["officer"], world["person"])
    refer(world["officer"], world["person"])
    client = demo_sign_in("caseworker")
    found = client.get(reverse("api-referral-list"), {"search": wanted.reference}).json()
    assert [row["reference"] for row in found["results"]] == [wanted.reference]
    page = client.get(reverse("referrals:inbox"), {"search": wanted.reference})
    assert [r.reference for r in page.context["page"]] == [wanted.reference]
    refused = client.get(reverse("api-referral-list"), {"search": "Dafydd Jones"})
    assert refused.status_code == 400
    assert "search" in refused.json()


def test_the_list_paging_and_search_are_in_the_openapi_description(world: dict[str, Any]) -> None:
    schema = demo_sign_in("officer").get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/referrals/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"limit", "offset", "search", "status", "breach", "awaiting", "allocated"} <= names
    assert "names are never searched" in operation["description"]
    assert "limit (rows per answer, 50 unless given, at most 200)" in operation["description"]
