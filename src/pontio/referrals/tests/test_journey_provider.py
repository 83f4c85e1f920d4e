"""What a caseworker met walking journey 2 on the demo: the close form's words reached the
police, timers were met by the wrong records, accepting left the referral unallocated."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.referrals import services, sla
from pontio.referrals.models import Appointment, Referral, ReferralEvent, Status, TopStage
from pontio.referrals.tests.helpers import (
    CONTEXT,
    accepted,
    move,
    refer,
    treatment_started,
)

pytestmark = pytest.mark.django_db

CLINICAL = "Relapsed after detox; on 30 mg methadone"


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _fresh(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


def _timers(referral: Referral) -> dict[str, sla.TimerState]:
    return {t.name: t for t in sla.timer_states(_fresh(referral), timezone.localdate())}


# --- the close form's words stay with the provider ------------------------------------------


def _closed_with_a_note(world: dict[str, Any]) -> Referral:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    treatment_started(world["caseworker"], referral)
    client = demo_sign_in("caseworker")
    response = client.post(
        reverse("referrals:close", args=[referral.pk]),
        {
            "version": _fresh(referral).version,
            "code": "CLO_PLANNED_COMPLETE",
            "reason": CLINICAL,
            # The end-of-service summary for the police (required once the work started).
            "outcome_against_reason": "achieved",
            "outcome_summary": "Finished the programme.",
        },
    )
    assert response.status_code == 302, _text(response)[:2000]
    return _fresh(referral)


def test_the_close_form_says_what_the_police_will_see(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    page = _text(demo_sign_in("caseworker").get(reverse("referrals:close", args=[referral.pk])))
    assert "Note for your organisation (optional)" in page
    assert "More detail" not in page
    assert (
        "The police will see that the referral is closed, the reason for closure you choose, "
        "whether it was planned, and the date. They will not see this note" in page
    )


def test_the_close_note_is_kept_as_the_providers_note(world: dict[str, Any]) -> None:
    referral = _closed_with_a_note(world)
    event = ReferralEvent.objects.filter(referral=referral, to_status=Status.COMPLETED).get()
    assert (event.reason, event.note) == ("", CLINICAL)
    page = _text(demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk])))
    assert "Note (your organisation only):" in page and CLINICAL in page


def test_the_officer_never_sees_the_close_note_on_the_page(world: dict[str, Any]) -> None:
    referral = _closed_with_a_note(world)
    for username in ("officer", "custody.sergeant"):  # the referrer and a supervisor
        page = _text(demo_sign_in(username).get(reverse("referrals:detail", args=[referral.pk])))
        assert "Planned - treatment complete" in page
        assert CLINICAL not in page, username
        assert "30 mg" not in page


def test_the_officer_never_sees_the_close_note_through_the_api(world: dict[str, Any]) -> None:
    referral = _closed_with_a_note(world)
    url = reverse("api-referral-detail", args=[referral.pk])
    police = demo_sign_in("officer").get(url)
    assert police.status_code == 200
    assert CLINICAL not in police.content.decode()
    assert all("note" not in event for event in police.json()["events"])
    provider = demo_sign_in("caseworker").get(url).json()
    assert CLINICAL in [event["note"] for event in provider["events"]]


def test_a_close_through_the_api_keeps_its_words_from_the_police(world: dict[str, Any]) -> None:
    referral = treatment_started(
        world["caseworker"], accepted(world["officer"], world["caseworker"], world["person"])
    )
    client = demo_sign_in("caseworker")
    response = client.post(
        reverse("api-referral-transition", args=[referral.pk]),
        {
            "to_status": "completed",
            "code": "CLO_PLANNED_COMPLETE",
            "reason": CLINICAL,
            "version": referral.version,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    police = demo_sign_in("officer").get(reverse("api-referral-detail", args=[referral.pk]))
    assert CLINICAL not in police.content.decode()


def test_a_rejection_message_is_meant_for_the_police_and_says_so(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("caseworker")
    page = _text(client.get(reverse("referrals:reject", args=[referral.pk])))
    assert "Message to the referring officer (optional)" in page
    assert "do not write clinical details" in page
    client.post(
        reverse("referrals:reject", args=[referral.pk]),
        {"version": referral.version, "code": "REJ_OUT_OF_AREA", "reason": "Lives in Swansea"},
    )
    police = _text(demo_sign_in("officer").get(reverse("referrals:detail", args=[referral.pk])))
    assert "Lives in Swansea" in police


def test_hold_and_resume_words_stay_with_the_provider(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    move(world["caseworker"], referral, Status.ON_HOLD, code="HOLD_HOSPITAL", reason="Detox ward")
    move(world["caseworker"], referral, Status.IN_PROGRESS, reason="Discharged from detox")
    police = _text(demo_sign_in("officer").get(reverse("referrals:detail", args=[referral.pk])))
    assert "Person is in hospital" in police
    assert "Detox" not in police and "detox" not in police


# --- each timer is met by the event it measures ----------------------------------------------


def _attended_assessment(world: dict[str, Any], referral: Referral) -> None:
    appointment = services.appointment_book(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        kind=Appointment.Kind.ASSESSMENT,
        starts_at=timezone.now() - dt.timedelta(minutes=30),
    )
    services.appointment_record_attendance(
        context=CONTEXT,
        actor=world["caseworker"],
        appointment_id=appointment.pk,
        expected_version=appointment.version,
        attendance=Appointment.Attendance.ATTENDED,
    )


def _top_start(world: dict[str, Any], referral: Referral) -> None:
    services.top_record(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        stage=TopStage.START,
        interview_date=timezone.localdate(),
        main_substance="cocaine",
        values={"cocaine_days": 12},
    )


def test_an_attended_appointment_and_a_start_profile_meet_no_timer(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    _attended_assessment(world, referral)
    _top_start(world, referral)
    timers = _timers(referral)
    assert timers["assessment"].met_on is None and timers["assessment"].running
    assert timers["treatment"].met_on is None and timers["treatment"].running
    page = _text(demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk])))
    timers_table = page.split("Service-level timers", 1)[1].split("</table>", 1)[0]
    assert ">Met<" not in timers_table.split("</thead>", 1)[1]


def test_the_assessment_and_treatment_records_meet_their_timers(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    services.clinical_record_add(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        kind="assessment",
        on=timezone.localdate(),
    )
    timers = _timers(referral)
    assert timers["assessment"].met_on == timezone.localdate()
    assert timers["treatment"].met_on is None
    treatment_started(world["caseworker"], referral)
    assert _timers(referral)["treatment"].met_on == timezone.localdate()


def test_a_planned_completion_needs_a_treatment_start(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    _attended_assessment(world, referral)
    _top_start(world, referral)
    planned = ("CLO_PLANNED_COMPLETE", "CLO_PLANNED_SUBSTANCE_FREE", "CLO_PLANNED_GP_PRESCRIBING")
    for code in planned:
        with pytest.raises(ValidationError, match="needs a recorded treatment start"):
            move(world["caseworker"], referral, Status.COMPLETED, code=code)
    assert _fresh(referral).status == Status.IN_PROGRESS


def test_the_close_page_says_why_a_planned_completion_is_refused(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    _attended_assessment(world, referral)
    client = demo_sign_in("caseworker")
    page = _text(
        client.post(
            reverse("referrals:close", args=[referral.pk]),
            {"version": _fresh(referral).version, "code": "CLO_PLANNED_COMPLETE"},
        )
    )
    assert "“Planned - treatment complete” needs a recorded treatment start" in page
    assert _fresh(referral).status == Status.IN_PROGRESS


def test_referred_on_is_the_coded_exception_and_needs_an_assessment(
    world: dict[str, Any],
) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    _attended_assessment(world, referral)
    with pytest.raises(ValidationError, match="needs a recorded assessment"):
        move(world["caseworker"], referral, Status.COMPLETED, code="CLO_PLANNED_REFERRED_ON")
    services.clinical_record_add(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        kind="assessment",
        on=timezone.localdate(),
    )
    move(world["caseworker"], referral, Status.COMPLETED, code="CLO_PLANNED_REFERRED_ON")
    closed = _fresh(referral)
    assert closed.status == Status.COMPLETED and closed.treatment_started_on is None


def test_unplanned_closures_need_no_record(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    move(world["caseworker"], referral, Status.FAILED, code="CLO_CLIENT_DECLINED")
    assert _fresh(referral).status == Status.FAILED


def test_the_registry_says_what_each_planned_code_needs(world: dict[str, Any]) -> None:
    response = demo_sign_in("caseworker").get(reverse("api-referral-code-list"))
    needs = {row["code"]: row["evidence"] for row in response.json() if row["planned"]}
    assert needs == {
        "CLO_PLANNED_SUBSTANCE_FREE": "treatment_start",
        "CLO_PLANNED_COMPLETE": "treatment_start",
        "CLO_PLANNED_REFERRED_ON": "assessment",
        "CLO_PLANNED_GP_PRESCRIBING": "treatment_start",
    }


# --- accepting allocates the referral to the caseworker who accepts it -----------------------


def test_accepting_allocates_the_referral_to_the_accepting_caseworker(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("caseworker")
    client.post(reverse("referrals:accept", args=[referral.pk]), {"version": referral.version})
    assert _fresh(referral).allocated_to == world["caseworker"]
    page = _text(client.get(reverse("referrals:inbox")))
    row = page.split(f'href="/referrals/{referral.pk}/"', 1)[1].split("</tr>", 1)[0]
    assert "Llinos Williams" in row and "Not allocated" not in row


def test_accepting_keeps_an_allocation_a_manager_made(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    manager = world["provider.manager"]
    services.referral_allocate(
        context=CONTEXT,
        actor=manager,
        referral_id=referral.pk,
        expected_version=referral.version,
        caseworker_id=manager.pk,
    )
    move(world["caseworker"], referral, Status.ACCEPTED)
    assert _fresh(referral).allocated_to == manager


def test_a_manager_who_accepts_leaves_the_allocation_open(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    move(world["provider.manager"], referral, Status.ACCEPTED)
    assert _fresh(referral).allocated_to is None


def test_resuming_a_hold_does_not_allocate(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    move(world["provider.manager"], referral, Status.ACCEPTED)
    move(world["caseworker"], referral, Status.ON_HOLD, code="HOLD_HOSPITAL")
    move(world["caseworker"], referral, Status.ACCEPTED)
    assert _fresh(referral).allocated_to is None
