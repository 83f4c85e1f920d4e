"""Appointments' way (in person, phone, video), rescheduling with a reason and its history,
and the end-of-service summary for the police (``services.appointments``,
``services.summary``), with the figure that counts it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction
from pontio.referrals import metrics, services
from pontio.referrals.metrics.periods import quarter_of
from pontio.referrals.models import Appointment, AppointmentChange, Referral, Status
from pontio.referrals.services.appointments import appointment_reschedule
from pontio.referrals.tests.helpers import CONTEXT, accepted, move, treatment_started

pytestmark = pytest.mark.django_db

REASON = "The person asked for a later time: childcare."
CLOSING_NOTE = "Methadone titration finished; liver function tests normal."
SUMMARY = "Took part in every session and finished the programme."


def _text(response: Any) -> str:
    return response.content.decode()


def _fresh(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


def _book(world: dict[str, Any], referral: Referral, days: int = 3, **kw: Any) -> Appointment:
    return services.appointment_book(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        kind=Appointment.Kind.ASSESSMENT,
        starts_at=timezone.now() + dt.timedelta(days=days),
        **kw,
    )


def _reschedule(
    world: dict[str, Any], appointment: Appointment, actor: Any = None, **kw: Any
) -> AppointmentChange:
    appointment.refresh_from_db()
    values: dict[str, Any] = {
        "starts_at": appointment.starts_at + dt.timedelta(days=1),
        "mode": Appointment.Mode.PHONE,
        "place": "",
        "reason": REASON,
        "expected_version": appointment.version,
        **kw,
    }
    return appointment_reschedule(
        context=CONTEXT,
        actor=actor or world["caseworker"],
        appointment_id=appointment.pk,
        **values,
    )


def _denials() -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED).count()


# --- booking with a way ---------------------------------------------------------------------


def test_booking_keeps_the_way_and_defaults_to_in_person(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    assert _book(world, referral).mode == Appointment.Mode.IN_PERSON
    video = _book(world, referral, mode=Appointment.Mode.VIDEO)
    assert (video.mode, video.place) == (Appointment.Mode.VIDEO, "")
    with pytest.raises(ValidationError) as error:
        _book(world, referral, mode="carrier-pigeon")
    assert "mode" in error.value.message_dict


def test_the_booking_page_and_the_api_take_the_way(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    client = demo_sign_in("caseworker")
    day = timezone.localdate() + dt.timedelta(days=2)
    response = client.post(
        reverse("referrals:appointment-add", args=[referral.pk]),
        {
            "kind": "assessment",
            "on_0": day.day,
            "on_1": day.month,
            "on_2": day.year,
            "time": "10:30",
            "mode": "phone",
        },
    )
    assert response.status_code == 302, _text(response)[:3000]
    assert Appointment.objects.get(referral=referral).mode == Appointment.Mode.PHONE
    answer = client.post(
        reverse("api-referral-appointments", args=[referral.pk]),
        json.dumps(
            {
                "kind": "review",
                "starts_at": (timezone.now() + dt.timedelta(days=4)).isoformat(),
                "mode": "video",
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["mode"] == "video" and answer.json()["changes"] == []


# --- rescheduling: the rules --------------------------------------------------------------


def test_rescheduling_moves_the_appointment_and_keeps_the_history(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral, place="Carmarthen hub")
    was = appointment.starts_at
    change = _reschedule(world, appointment)
    appointment.refresh_from_db()
    assert appointment.starts_at == was + dt.timedelta(days=1)
    assert (appointment.mode, appointment.place) == (Appointment.Mode.PHONE, "")
    assert (change.from_starts_at, change.to_starts_at) == (was, appointment.starts_at)
    assert (change.from_mode, change.to_mode) == (Appointment.Mode.IN_PERSON, "phone")
    assert (change.from_place, change.to_place) == ("Carmarthen hub", "")
    assert change.reason == REASON and change.actor == world["caseworker"]
    assert appointment.version == 2
    # Audited: the change and the appointment's update, with the person.
    events = AuditEvent.objects.filter(person_id=str(referral.person_id))
    assert events.filter(object_type="referrals.appointmentchange", action="create").exists()
    assert events.filter(object_type="referrals.appointment", action="update").exists()
    # A second move adds to the history.
    _reschedule(world, appointment, mode=Appointment.Mode.VIDEO)
    assert appointment.changes.count() == 2


@pytest.mark.parametrize(
    "attendance",
    [
        Appointment.Attendance.CANCELLED,
        Appointment.Attendance.ATTENDED,
        Appointment.Attendance.DID_NOT_ATTEND,
    ],
)
def test_only_a_booked_appointment_moves(world: dict[str, Any], attendance: str) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral)
    Appointment.objects.filter(pk=appointment.pk).update(attendance=attendance)
    with pytest.raises(ValidationError, match="Only a booked appointment can be rescheduled"):
        _reschedule(world, appointment)
    assert not AppointmentChange.objects.exists()


def test_a_reason_is_required(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral)
    with pytest.raises(ValidationError) as error:
        _reschedule(world, appointment, reason="   ")
    assert error.value.message_dict["reason"] == ["Enter why the appointment is being rescheduled"]


def test_the_dates_follow_the_booking_rules(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral)
    before_sent = timezone.make_aware(dt.datetime.combine(referral.sent_on, dt.time(9)))
    with pytest.raises(ValidationError, match="before the referral was sent"):
        _reschedule(world, appointment, starts_at=before_sent - dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="on or before"):
        _reschedule(world, appointment, starts_at=timezone.now() + dt.timedelta(days=3650))


def test_something_must_change(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral, place="Hub")
    with pytest.raises(ValidationError, match="nothing has changed"):
        _reschedule(
            world,
            appointment,
            starts_at=appointment.starts_at,
            mode=appointment.mode,
            place=" Hub ",
        )
    # The place alone is a change; an in-person appointment may lose its place (as booking).
    change = _reschedule(
        world, appointment, starts_at=appointment.starts_at, mode="in_person", place=""
    )
    assert change.to_place == ""


def test_a_stale_version_is_refused(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral)
    _reschedule(world, appointment)
    with pytest.raises(StaleVersionError):
        _reschedule(world, appointment, expected_version=1)
    assert appointment.changes.count() == 1


def test_a_closed_referral_has_nothing_to_reschedule(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral)
    move(world["caseworker"], referral, Status.FAILED, code="CLO_CLIENT_DECLINED")
    with pytest.raises(ValidationError, match="closed"):
        _reschedule(world, appointment)


@pytest.mark.parametrize("username", ["officer", "powys.caseworker", "navigator"])
def test_the_police_and_other_providers_may_not_reschedule(
    world: dict[str, Any], username: str
) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral)
    with pytest.raises(PermissionDenied):
        _reschedule(world, appointment, actor=world[username])
    client = demo_sign_in(username)
    url = reverse("referrals:appointment-reschedule", args=[referral.pk, appointment.pk])
    before = _denials()
    assert client.get(url).status_code in (403, 404)
    assert _denials() == before + 1
    api = reverse("api-referral-appointment-reschedule", args=[referral.pk, appointment.pk])
    response = client.post(
        api,
        json.dumps({"starts_at": timezone.now().isoformat(), "mode": "phone", "reason": "x"}),
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    assert not AppointmentChange.objects.exists()


# --- rescheduling: the page, the police page, the API -------------------------------------


def test_the_page_reschedules_by_phone_and_shows_the_history(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral, place="Carmarthen hub")
    client = demo_sign_in("caseworker")
    detail = _text(client.get(reverse("referrals:detail", args=[referral.pk])))
    url = reverse("referrals:appointment-reschedule", args=[referral.pk, appointment.pk])
    assert url in detail
    page = _text(client.get(url))
    assert "It has not been rescheduled." in page
    day = timezone.localdate() + dt.timedelta(days=5)
    post = {
        "version": appointment.version,
        "on_0": day.day,
        "on_1": day.month,
        "on_2": day.year,
        "time": "14:30",
        "mode": "phone",
        "place": "",
        "reason": "",
    }
    refused = _text(client.post(url, post))
    assert "Enter why the appointment is being rescheduled" in refused
    response = client.post(url, {**post, "reason": REASON})
    assert response.status_code == 302
    detail = _text(client.get(reverse("referrals:detail", args=[referral.pk]), follow=True))
    assert "Rescheduled 1 time" in detail and REASON in detail and "By phone" in detail
    # The same version again is stale: refused, nothing more recorded.
    stale = _text(client.post(url, {**post, "reason": REASON, "time": "15:00"}))
    assert "Someone else changed this record" in stale
    assert appointment.changes.count() == 1


def test_the_police_see_the_way_and_that_it_moved_never_why(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral, place="Carmarthen hub")
    _reschedule(world, appointment)
    page = _text(demo_sign_in("officer").get(reverse("referrals:detail", args=[referral.pk])))
    assert "By phone" in page
    assert "Rescheduled on" in page
    assert REASON not in page and "Carmarthen hub" not in page
    answer = demo_sign_in("officer").get(reverse("api-referral-detail", args=[referral.pk]))
    shown = answer.json()["appointments"][0]
    assert shown["mode"] == "phone" and len(shown["rescheduled"]) == 1
    assert REASON not in json.dumps(answer.json())


def test_the_api_reschedules_and_answers_with_the_changes(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral)
    client = demo_sign_in("caseworker")
    url = reverse("api-referral-appointment-reschedule", args=[referral.pk, appointment.pk])
    body = {
        "starts_at": (appointment.starts_at + dt.timedelta(hours=2)).isoformat(),
        "mode": "video",
        "reason": REASON,
        "version": appointment.version,
    }
    answer = client.post(url, json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.json()
    data = answer.json()
    assert data["mode"] == "video" and data["version"] == 2
    assert [c["reason"] for c in data["changes"]] == [REASON]
    stale = client.post(url, json.dumps(body), content_type="application/json")
    assert stale.status_code == 409
    refused = client.post(
        url, json.dumps({**body, "version": 2, "reason": ""}), content_type="application/json"
    )
    assert refused.status_code == 400 and "reason" in refused.json()
    detail = client.get(reverse("api-referral-detail", args=[referral.pk])).json()
    assert detail["appointments"][0]["changes"][0]["to_mode"] == "video"


def test_the_provider_page_keeps_its_queries(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    for days in (2, 3, 4):
        _reschedule(world, _book(world, referral, days=days))
    client = demo_sign_in("caseworker")
    url = reverse("referrals:detail", args=[referral.pk])
    client.get(url)
    with django_assert_max_num_queries(60):
        assert client.get(url).status_code == 200
    police = demo_sign_in("officer")
    police.get(url)
    with django_assert_max_num_queries(60):
        assert police.get(url).status_code == 200


# --- the end-of-service summary -----------------------------------------------------------


def _in_progress(world: dict[str, Any]) -> Referral:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    return treatment_started(world["caseworker"], referral)


def _close_page(client: Any, referral: Referral, **data: Any) -> Any:
    return client.post(
        reverse("referrals:close", args=[referral.pk]),
        {"version": _fresh(referral).version, "code": "CLO_PLANNED_COMPLETE", **data},
    )


def test_closing_after_the_work_started_needs_the_outcome_and_summary(
    world: dict[str, Any],
) -> None:
    referral = _in_progress(world)
    client = demo_sign_in("caseworker")
    page = _text(_close_page(client, referral))
    assert "Choose how far the support met the reason for the referral" in page
    assert "Enter a short summary for the police" in page
    assert "do not include clinical detail" in page
    assert _fresh(referral).status == Status.IN_PROGRESS
    too_long = _text(
        _close_page(client, referral, outcome_against_reason="achieved", outcome_summary="x" * 1001)
    )
    assert "Enter 1000 characters or fewer" in too_long
    response = _close_page(
        client,
        referral,
        outcome_against_reason="achieved",
        outcome_summary=SUMMARY,
        reason=CLOSING_NOTE,
    )
    assert response.status_code == 302
    closed = _fresh(referral)
    assert (closed.status, closed.outcome_against_reason) == (Status.COMPLETED, "achieved")
    assert closed.outcome_summary == SUMMARY
    update = AuditEvent.objects.filter(
        object_type="referrals.referral", object_id=str(referral.pk), action="update"
    ).latest("pk")
    assert update.person_id == str(referral.person_id)


def test_neutral_and_before_work_closures_need_no_outcome(world: dict[str, Any]) -> None:
    client = demo_sign_in("caseworker")
    neutral = _in_progress(world)
    assert _close_page(client, neutral, code="CLO_MOVED_AWAY").status_code == 302
    assert _fresh(neutral).status == Status.CANCELLED
    never_reached = accepted(world["officer"], world["caseworker"], world["person"])
    assert _close_page(client, never_reached, code="CLO_CLIENT_UNAWARE").status_code == 302
    assert _fresh(never_reached).outcome_against_reason == ""


def test_the_outcome_belongs_to_a_closure_only(world: dict[str, Any]) -> None:
    referral = _in_progress(world)
    with pytest.raises(ValidationError, match="only when you close"):
        services.referral_transition(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            expected_version=referral.version,
            to_status=Status.ON_HOLD,
            code="HOLD_HOSPITAL",
            outcome_against_reason="achieved",
        )
    with pytest.raises(ValidationError, match="achieved, partly achieved or not achieved"):
        services.referral_transition(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            expected_version=referral.version,
            to_status=Status.COMPLETED,
            code="CLO_PLANNED_COMPLETE",
            outcome_against_reason="brilliant",
        )


def test_the_police_see_the_summary_but_never_the_closing_note(world: dict[str, Any]) -> None:
    referral = _in_progress(world)
    _close_page(
        demo_sign_in("caseworker"),
        referral,
        outcome_against_reason="partly",
        outcome_summary=SUMMARY,
        reason=CLOSING_NOTE,
    )
    officer = demo_sign_in("officer")
    page = _text(officer.get(reverse("referrals:detail", args=[referral.pk])))
    assert "Partly achieved" in page and SUMMARY in page
    assert CLOSING_NOTE not in page
    data = officer.get(reverse("api-referral-detail", args=[referral.pk])).json()
    assert (data["outcome_against_reason"], data["outcome_summary"]) == ("partly", SUMMARY)
    assert CLOSING_NOTE not in json.dumps(data)
    provider = _text(
        demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk]))
    )
    assert "End-of-service summary for the police" in provider and SUMMARY in provider


def test_the_api_closes_with_a_summary(world: dict[str, Any]) -> None:
    referral = _in_progress(world)
    answer = demo_sign_in("caseworker").post(
        reverse("api-referral-transition", args=[referral.pk]),
        json.dumps(
            {
                "to_status": "completed",
                "code": "CLO_PLANNED_COMPLETE",
                "version": _fresh(referral).version,
                "outcome_against_reason": "not",
                "outcome_summary": SUMMARY,
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["outcome_against_reason"] == "not"


# --- the figure ---------------------------------------------------------------------------


def _closed_with(world: dict[str, Any], outcome: str) -> Referral:
    referral = _in_progress(world)
    services.referral_transition(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        expected_version=referral.version,
        to_status=Status.COMPLETED,
        code="CLO_PLANNED_COMPLETE",
        outcome_against_reason=outcome,
        outcome_summary=SUMMARY if outcome else "",
    )
    return referral


def test_the_figures_count_outcomes_among_closed_referrals(world: dict[str, Any]) -> None:
    for outcome in ("achieved", "achieved", "partly", "not", ""):
        _closed_with(world, outcome)
    accepted(world["officer"], world["caseworker"], world["person"])  # open: not counted
    rows = [
        {"status": "completed", "status_code__kind": "closure", "outcome_against_reason": o}
        for o in ("achieved", "partly")
    ] + [{"status": "cancelled", "status_code__kind": "cancellation"}]
    assert metrics.outcome_counts(rows) == metrics.OutcomeCounts(achieved=1, partly=1)
    period = quarter_of(timezone.localdate())
    summary = metrics.summary(metrics.cohort_for(world["provider.manager"]), period, period.end)
    assert summary.outcomes == metrics.OutcomeCounts(
        achieved=2, partly=1, not_achieved=1, not_recorded=1
    )
    assert summary.outcomes.closed == 5
    exact = metrics.shown_figures(summary, {}, None, suppress=False)
    assert exact.outcomes["achieved"] == "2" and exact.outcomes["closed"] == "5"
    # Aggregate viewers: small counts are suppressed, as the other figures.
    suppressed = metrics.shown_figures(summary, {}, None, suppress=True)
    assert suppressed.outcomes["achieved"] == metrics.fewer_than()
    page = demo_sign_in("provider.manager").get(reverse("referrals:metrics"))
    assert "Outcome against the reason for the referral" in _text(page)
    assert page.context["outcomes"]["closed"] == "5"


def test_a_hidden_outcome_cannot_be_worked_out_from_its_total() -> None:
    rows = [
        {
            "status": "completed",
            "status_code__kind": "closure",
            "outcome_against_reason": "achieved" if i < 9 else "not",
            "pathway": "custody" if i < 7 else "street",
        }
        for i in range(10)
    ]
    total = metrics.outcome_counts(rows)
    layout = metrics.Layout()
    from pontio.referrals.metrics.tables import _add_outcomes

    summary = metrics.Summary(
        referrals=10,
        first_contact=metrics.Timing(0, None, None),
        no_first_contact=0,
        assessed=metrics.Rate(0, 0),
        treatment_within_window=metrics.Rate(0, 0),
        reduced_use=metrics.UseChange(),
        outcomes=total,
    )
    _add_outcomes(layout, summary, {})
    hidden = metrics.protect(layout)
    # 9 achieved, 1 not achieved of 10: the 1 is small, so the 9 (10 - 9 = 1) is hidden too.
    assert ("outcome", "", "not_achieved") in hidden
    assert ("outcome", "", "achieved") in hidden


def test_the_demo_seeder_runs_twice_without_duplicating(world: dict[str, Any]) -> None:
    from pontio.referrals.demo import daily_appointments

    for _ in range(3):
        referral = _in_progress(world)
        _book(world, referral, mode=Appointment.Mode.IN_PERSON)
    closed = _in_progress(world)
    move(world["caseworker"], closed, Status.COMPLETED, code="CLO_PLANNED_COMPLETE")
    now = timezone.now()
    made = daily_appointments.seed(CONTEXT, now)
    assert made > 0
    assert AppointmentChange.objects.exists()
    assert Referral.objects.exclude(outcome_summary="").exists()
    assert daily_appointments.seed(CONTEXT, now) == 0


def test_the_demo_seeder_acts_on_the_demo_referrals(world: dict[str, Any]) -> None:
    from pontio.referrals.demo import SCENARIOS, daily_appointments, seed_referrals
    from pontio.referrals.tests.helpers import make_person

    for n in range(3):
        make_person(f"Demo{n}", "Person")
    seed_referrals(count=len(SCENARIOS) * 2)
    now = timezone.now()
    made = daily_appointments.seed(CONTEXT, now)
    remote = Appointment.objects.exclude(mode=Appointment.Mode.IN_PERSON).count()
    summaries = Referral.objects.exclude(outcome_summary="").count()
    assert made == remote + AppointmentChange.objects.count() + summaries
    assert remote == 2 and summaries == 3 and AppointmentChange.objects.count() == 2
    assert daily_appointments.seed(CONTEXT, now) == 0
