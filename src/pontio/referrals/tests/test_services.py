"""Creating and changing referrals: rules, idempotency, concurrency, audit, denials."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pontio.audit.models import AuditEvent
from pontio.core.concurrency import StaleVersionError
from pontio.core.models import Notification
from pontio.referrals import services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import Referral, Status
from pontio.referrals.tests.helpers import (
    CONTEXT,
    accepted,
    make_person,
    move,
    proposed_service,
    refer,
    referral_data,
    service_named,
)


def _create(
    actor: Any, person: Any, key: str = "", service: Any = None, **changes: Any
) -> tuple[Referral, bool]:
    data = referral_data(**changes)
    service = service or proposed_service(person, data)
    return services.referral_create(
        context=CONTEXT,
        actor=actor,
        person_id=person.pk,
        data=data,
        service_id=service.pk,
        idempotency_key=key,
    )


def test_a_referral_is_saved_with_its_first_event_and_audit_record(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    assert referral.reference.startswith("PR")
    assert referral.events.count() == 1
    event = AuditEvent.objects.filter(object_type="referrals.referral", action="create").get()
    assert event.person_id == str(world["person"].pk)
    assert referral.contact_phone == "+447700900123"
    assert referral.age_at_referral is not None


def test_the_same_idempotency_key_never_makes_two_referrals(world: dict[str, Any]) -> None:
    first, created = _create(world["officer"], world["person"], key="abc-123")
    again, created_again = _create(world["officer"], world["person"], key="abc-123")
    assert created and not created_again
    assert first.pk == again.pk
    assert Referral.objects.count() == 1


def test_a_referral_without_consent_needs_a_lawful_basis_and_policy(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        _create(world["officer"], world["person"], consent_given=False)
    assert set(error.value.message_dict) == {"lawful_basis", "policy_reference"}
    referral, _ = _create(
        world["officer"],
        world["person"],
        consent_given=False,
        lawful_basis="safeguarding",
        policy_reference="DPP ISP SM-2024/3",
    )
    assert referral.lawful_basis == "safeguarding"


def test_a_referral_without_a_contact_route_is_refused_and_nothing_is_saved(
    world: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError) as error:
        _create(world["officer"], world["person"], contact=ContactRoute(channels=["phone"]))
    assert (
        "You chose phone or text: enter a phone number"
        in error.value.message_dict["contact_channels"]
    )
    assert Referral.objects.count() == 0


def test_an_ineligible_service_is_refused_with_the_reason(world: dict[str, Any]) -> None:
    young = service_named("DDAS young people's service")
    with pytest.raises(ValidationError) as error:
        _create(world["officer"], world["person"], service=young)
    assert "the person is" in error.value.message_dict["service"][0]
    assert Referral.objects.count() == 0


def test_an_officer_cannot_refer_a_person_outside_their_area(world: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        _create(world["officer"], world["powys_person"])


def test_a_provider_cannot_create_a_referral(world: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        _create(world["caseworker"], world["person"])


def test_a_stale_version_is_refused_and_nothing_changes(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(StaleVersionError):
        services.referral_transition(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            expected_version=referral.version + 5,
            to_status=Status.ACCEPTED,
        )
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED


@pytest.mark.parametrize(
    "username",
    ["powys.caseworker", "navigator", "panel", "analyst", "auditor", "admin", "intelligence"],
)
def test_nobody_outside_the_provider_can_move_its_referral(
    world: dict[str, Any], username: str
) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(PermissionDenied):
        move(world[username], referral, Status.ACCEPTED)
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED


def test_an_officer_who_did_not_refer_cannot_withdraw(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(PermissionDenied):
        move(world["custody.officer"], referral, Status.CANCELLED, code="CAN_SENT_IN_ERROR")


def test_the_area_sergeant_may_withdraw_as_supervisor(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    move(world["custody.sergeant"], referral, Status.CANCELLED, code="CAN_SENT_IN_ERROR")
    referral.refresh_from_db()
    assert referral.status == Status.CANCELLED


def test_work_cannot_be_recorded_before_acceptance(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(ValidationError, match="Accept the referral"):
        services.contact_attempt_add(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            at=timezone.now(),
            channel="phone",
            outcome="no_answer",
        )


def test_a_did_not_attend_alerts_the_officer_and_their_supervisor(world: dict[str, Any]) -> None:
    import datetime as dt

    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = services.appointment_book(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        kind="assessment",
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )
    services.appointment_record_attendance(
        context=CONTEXT,
        actor=world["caseworker"],
        appointment_id=appointment.pk,
        expected_version=appointment.version,
        attendance="dna",
    )
    recipients = set(
        referral.alerts.filter(kind="dna").values_list("recipient__username", flat=True)
    )
    assert recipients == {"officer", "custody.sergeant"}
    assert Notification.objects.filter(template="referral_update").count() == 2
    assert all("/referrals/" in n.link for n in Notification.objects.all())


def test_notifications_carry_a_link_and_nothing_personal(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    notes = Notification.objects.filter(template="referral_received")
    assert notes.exists()
    for note in notes:
        assert world["person"].family_name not in note.link
        assert note.link.rstrip("/").split("/")[-1].isdigit()


def test_a_treatment_start_needs_an_assessment_first(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    with pytest.raises(ValidationError, match="Record the assessment first"):
        services.clinical_record_add(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            kind="treatment_start",
            on=timezone.localdate(),
        )


def test_top_values_out_of_range_are_refused_by_field(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    with pytest.raises(ValidationError) as error:
        services.top_record(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            stage="start",
            interview_date=timezone.localdate(),
            main_substance="cocaine",
            values={"cocaine_days": 29, "quality_of_life": 21},
        )
    assert error.value.message_dict["cocaine_days"] == ["Enter a number of days from 0 to 28"]
    assert error.value.message_dict["quality_of_life"] == ["Enter a score from 0 to 20"]


def test_a_review_needs_a_start_profile(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    with pytest.raises(ValidationError) as error:
        services.top_record(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            stage="review",
            interview_date=timezone.localdate(),
            main_substance="cocaine",
            values={"cocaine_days": 3},
        )
    assert error.value.message_dict["stage"] == ["Record the start profile first"]


def test_resending_cancels_the_old_referral_and_links_both(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    other = next(
        o.service
        for o in __import__("pontio.referrals.routing", fromlist=["route"]).route(
            services.need_for(world["person"], services.data_of(referral))
        )
        if o.eligible and o.service.pk != referral.service_id
    )
    new = services.referral_resend(
        context=CONTEXT,
        actor=world["officer"],
        referral_id=referral.pk,
        expected_version=referral.version,
        service_id=other.pk,
        reason="Closer to home",
    )
    referral.refresh_from_db()
    assert referral.status == Status.CANCELLED
    assert referral.status_code.code == "CAN_TRANSFERRED"
    assert new.transferred_from_id == referral.pk
    assert new.service_id == other.pk
    with pytest.raises(ValidationError, match="already been sent again"):
        services.referral_resend(
            context=CONTEXT,
            actor=world["officer"],
            referral_id=referral.pk,
            expected_version=referral.version,
            service_id=other.pk,
            reason="again",
        )


def test_a_person_without_an_address_needs_a_county(world: dict[str, Any]) -> None:
    nowhere = make_person(given="Owain", family="Rees", county_code=None)
    with pytest.raises(ValidationError) as error:
        services.check_referral_data(referral_data(), nowhere)
    assert "county" in error.value.message_dict


def test_a_withdrawal_tells_the_providers_staff_by_link(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    before = Notification.objects.filter(template="referral_update").count()
    move(world["officer"], referral, Status.CANCELLED, code="CAN_CONSENT_WITHDRAWN")
    sent = Notification.objects.filter(template="referral_update")
    assert sent.count() > before
    assert {n.recipient_user_id for n in sent} <= {
        u.pk for u in services.provider_recipients(referral)
    }
