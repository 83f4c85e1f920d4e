"""One limit for free text (``services.MAX_TEXT``), checked by the services, so that a page and
the API refuse the same text with the same message, and nothing longer is ever saved."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.referrals import services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import ClinicalRecord, ContactAttempt, Referral, Status
from pontio.referrals.tests.helpers import CONTEXT, accepted, refer, referral_data

TOO_LONG = "x" * (services.MAX_TEXT + 1)
HUGE = "y" * 100_000
MESSAGE = "Enter 4000 characters or fewer"


def test_the_limit_is_4000_characters() -> None:
    assert services.MAX_TEXT == 4000
    assert services.too_long_message() == MESSAGE


@pytest.mark.parametrize("name", ["reason", "risk_notes", "safeguarding_notes"])
def test_a_referral_refuses_long_free_text_by_field(world: dict[str, Any], name: str) -> None:
    with pytest.raises(ValidationError) as error:
        services.check_referral_data(referral_data(**{name: TOO_LONG}), world["person"])
    assert error.value.message_dict[name] == [MESSAGE]


def test_text_of_exactly_the_limit_is_taken(world: dict[str, Any]) -> None:
    exact = "z" * services.MAX_TEXT
    data = services.check_referral_data(referral_data(reason=exact), world["person"])
    assert data.reason == exact


def test_a_long_release_plan_is_refused(world: dict[str, Any]) -> None:
    route = ContactRoute(release_plan=TOO_LONG, channels=["in_person"])
    with pytest.raises(ValidationError) as error:
        services.check_referral_data(referral_data(contact=route), world["person"])
    assert error.value.message_dict["release_plan"] == [MESSAGE]


def test_long_reasons_for_a_move_or_a_resend_are_refused(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    for actor, to_status, code in (
        (world["caseworker"], Status.REJECTED, "REJ_NEEDS_NOT_MET"),
        (world["officer"], Status.CANCELLED, "CAN_SENT_IN_ERROR"),
    ):
        with pytest.raises(ValidationError) as error:
            services.referral_transition(
                context=CONTEXT,
                actor=actor,
                referral_id=referral.pk,
                expected_version=referral.version,
                to_status=to_status,
                code=code,
                reason=TOO_LONG,
            )
        assert error.value.message_dict == {"reason": [MESSAGE]}
    with pytest.raises(ValidationError) as error:
        services.referral_resend(
            context=CONTEXT,
            actor=world["officer"],
            referral_id=referral.pk,
            expected_version=referral.version,
            service_id=referral.service_id + 1,
            reason=TOO_LONG,
        )
    assert error.value.message_dict == {"reason": [MESSAGE]}
    assert Referral.objects.get(pk=referral.pk).status == Status.REQUESTED


def test_long_notes_of_the_providers_work_are_refused(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    with pytest.raises(ValidationError) as error:
        services.contact_attempt_add(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            at=timezone.now(),
            channel="phone",
            outcome="spoke",
            notes=TOO_LONG,
        )
    assert error.value.message_dict == {"notes": [MESSAGE]}
    with pytest.raises(ValidationError) as error:
        services.clinical_record_add(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            kind="assessment",
            on=timezone.localdate(),
            notes=TOO_LONG,
        )
    assert error.value.message_dict == {"notes": [MESSAGE]}
    assert not ContactAttempt.objects.exists() and not ClinicalRecord.objects.exists()


def test_short_fields_are_refused_when_too_long_never_cut(world: dict[str, Any]) -> None:
    """Columns shorter than ``MAX_TEXT`` refuse longer text with their own limit: a service
    never cuts what was typed (the API reaches the services without the forms' limits)."""
    with pytest.raises(ValidationError) as error:
        services.check_referral_data(
            referral_data(contact_times="m" * 201, source_reference="S" * 41), world["person"]
        )
    assert error.value.message_dict == {
        "contact_times": ["Enter 200 characters or fewer"],
        "source_reference": ["Enter 40 characters or fewer"],
    }
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    with pytest.raises(ValidationError) as error:
        services.appointment_book(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            kind="assessment",
            starts_at=timezone.now(),
            place="p" * 201,
        )
    assert error.value.message_dict == {"place": ["Enter 200 characters or fewer"]}
    with pytest.raises(ValidationError) as error:
        services.clinical_record_add(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            kind="assessment",
            on=timezone.localdate(),
            intervention="i" * 121,
        )
    assert error.value.message_dict == {"intervention": ["Enter 120 characters or fewer"]}
    assert not ClinicalRecord.objects.exists()
    assert not referral.appointments.exists()


# --- the same message on the page and through the API ------------------------------------------


def _post_json(client: Any, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_contact_notes_are_refused_alike_on_the_page_and_through_the_api(
    world: dict[str, Any],
) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    client = demo_sign_in("caseworker")
    today = timezone.localdate()
    page = client.post(
        reverse("referrals:contact-attempt-add", args=[referral.pk]),
        {
            "on_0": today.day,
            "on_1": today.month,
            "on_2": today.year,
            "time": "00:01",
            "channel": "phone",
            "outcome": "spoke",
            "notes": HUGE,
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors == {"notes": [MESSAGE]}
    api = _post_json(
        client,
        reverse("api-referral-contact-attempts", args=[referral.pk]),
        {"at": timezone.now().isoformat(), "channel": "phone", "outcome": "spoke", "notes": HUGE},
    )
    assert api.status_code == 400
    assert api.json() == {"notes": [MESSAGE]}
    assert not ContactAttempt.objects.exists()


def test_clinical_notes_are_refused_through_the_api(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    api = _post_json(
        demo_sign_in("caseworker"),
        reverse("api-referral-clinical-records", args=[referral.pk]),
        {"kind": "assessment", "on": timezone.localdate().isoformat(), "notes": HUGE},
    )
    assert api.status_code == 400
    assert api.json() == {"notes": [MESSAGE]}


def test_a_referrals_reason_is_refused_alike_on_the_page_and_through_the_api(
    world: dict[str, Any],
) -> None:
    from pontio.referrals.tests.test_views_create import _details

    client = demo_sign_in("officer")
    page = client.post(
        reverse("referrals:create", args=[world["person"].pk]), _details(reason=HUGE)
    )
    assert page.status_code == 200
    assert page.context["form"].errors["reason"] == [MESSAGE]
    api = _post_json(
        client,
        reverse("api-referral-list"),
        {
            "person": world["person"].pk,
            "pathway": "voluntary",
            "reason": HUGE,
            "substances": ["cocaine"],
            "consent_given": True,
            "contact": {"phone": "07700 900123", "channels": ["phone"], "release_plan": HUGE},
            "risk_notes": HUGE,
        },
        **{"Idempotency-Key": "long"},
    )
    assert api.status_code == 400
    errors = api.json()
    assert errors["reason"] == [MESSAGE] and errors["risk_notes"] == [MESSAGE]
    assert errors["contact"]["release_plan"] == [MESSAGE]
    assert not Referral.objects.exists()


def test_a_long_reason_for_a_move_is_refused_through_the_api(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    api = _post_json(
        demo_sign_in("caseworker"),
        reverse("api-referral-transition", args=[referral.pk]),
        {"to_status": "rejected", "code": "REJ_NEEDS_NOT_MET", "reason": HUGE, "version": 1},
    )
    assert api.status_code == 400
    assert api.json() == {"reason": [MESSAGE]}
    page = demo_sign_in("caseworker").post(
        reverse("referrals:reject", args=[referral.pk]),
        {"version": referral.version, "code": "REJ_NEEDS_NOT_MET", "reason": HUGE},
    )
    assert page.context["form"].errors == {"reason": [MESSAGE]}
    assert Referral.objects.get(pk=referral.pk).status == Status.REQUESTED
