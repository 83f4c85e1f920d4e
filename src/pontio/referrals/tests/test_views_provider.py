"""The provider's pages: the referral, the moves and the work, and who is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in
from tests.factories import UserFactory

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.core.models import County
from pontio.core.recording import AuditAction
from pontio.referrals.models import (
    Alert,
    Appointment,
    ClinicalRecord,
    ContactAttempt,
    Referral,
    Status,
    TopEntry,
)
from pontio.referrals.tests.helpers import CARMS, POWYS, accepted, move, refer

pytestmark = pytest.mark.django_db

WORK_URLS = (
    "referrals:accept",
    "referrals:reject",
    "referrals:hold",
    "referrals:resume",
    "referrals:close",
    "referrals:contact-attempt-add",
    "referrals:appointment-add",
    "referrals:clinical-add",
    "referrals:top-add",
)


def _text(response: Any) -> str:
    return response.content.decode()


def _denials(referral: Referral) -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.DENIED, object_type="referrals.referral", object_id=str(referral.pk)
    ).count()


def _fresh(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


def _book(world: dict[str, Any], referral: Referral, hours_ago: int = 1) -> Appointment:
    from pontio.referrals import services
    from pontio.referrals.tests.helpers import CONTEXT

    return services.appointment_book(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        kind="assessment",
        starts_at=timezone.now() - dt.timedelta(hours=hours_ago),
        place="Llanelli",
    )


# --- the referral page ---------------------------------------------------------------------


def test_caseworker_sees_everything_needed_to_make_contact(world: dict[str, Any]) -> None:
    referral = refer(
        world["officer"],
        world["person"],
        risk_notes="Dog at the address",
        safeguarding_notes="Child in the household",
    )
    page = _text(demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk])))
    for expected in (
        referral.reference,
        "Dafydd Jones",
        "27 March 1990",
        "07700 900123",
        "Weekday mornings",
        "Asked for help with cocaine use",
        "Dog at the address",
        "Child in the household",
        "The person consents",
        "First contact attempt",
        "working days left",
        "Accept the referral",
        "Reject",
        "Dyfed-Powys Police",
    ):
        assert expected in page, expected


def test_opening_a_new_referral_marks_it_received(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk]))
    assert _fresh(referral).status == Status.RECEIVED


def test_caseworker_accepts_with_the_version_shown(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("caseworker")
    client.get(reverse("referrals:detail", args=[referral.pk]))
    version = _fresh(referral).version
    response = client.post(reverse("referrals:accept", args=[referral.pk]), {"version": version})
    assert response.status_code == 302
    assert _fresh(referral).status == Status.ACCEPTED


def test_rejecting_with_a_code_tells_the_police(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("caseworker")
    page = _text(client.get(reverse("referrals:reject", args=[referral.pk])))
    assert "Person lives outside the area we serve" in page
    response = client.post(
        reverse("referrals:reject", args=[referral.pk]),
        {"version": referral.version, "code": "REJ_OUT_OF_AREA", "reason": "Lives in Swansea"},
    )
    assert response.status_code == 302
    referral = _fresh(referral)
    assert referral.status == Status.REJECTED
    assert referral.status_code.code == "REJ_OUT_OF_AREA"
    assert Alert.objects.filter(referral=referral, recipient=world["officer"]).exists()


def test_hold_and_resume(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    client = demo_sign_in("caseworker")
    client.post(
        reverse("referrals:hold", args=[referral.pk]),
        {"version": referral.version, "code": "HOLD_HOSPITAL"},
    )
    referral = _fresh(referral)
    assert referral.status == Status.ON_HOLD
    page = _text(client.get(reverse("referrals:detail", args=[referral.pk])))
    assert "Resume the work" in page
    client.post(
        reverse("referrals:resume", args=[referral.pk]),
        {"version": referral.version, "to_status": Status.ACCEPTED},
    )
    assert _fresh(referral).status == Status.ACCEPTED


def test_closing_code_decides_the_status(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    client = demo_sign_in("caseworker")
    page = _text(client.get(reverse("referrals:close", args=[referral.pk])))
    assert "Client declined treatment" in page
    assert "Neutral - person died" in page
    client.post(
        reverse("referrals:close", args=[referral.pk]),
        {"version": referral.version, "code": "CLO_CLIENT_DECLINED"},
    )
    referral = _fresh(referral)
    assert referral.status == Status.FAILED
    assert Alert.objects.filter(referral=referral, kind=Alert.Kind.CLOSED).exists()


# --- refusals: specific message, nothing changed, audited ----------------------------------


def test_a_disallowed_move_says_why_and_changes_nothing(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    before = _denials(referral)
    response = demo_sign_in("caseworker").post(
        reverse("referrals:close", args=[referral.pk]),
        {"version": referral.version, "code": "CLO_PLANNED_COMPLETE"},
    )
    assert response.status_code == 200
    assert "A referral that is “Requested” cannot become “Completed”" in _text(response)
    after = _fresh(referral)
    assert (after.status, after.version) == (Status.REQUESTED, referral.version)
    assert _denials(referral) == before + 1


def test_accepting_twice_is_refused_with_the_reason_shown(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    client = demo_sign_in("caseworker")
    response = client.post(
        reverse("referrals:accept", args=[referral.pk]), {"version": referral.version}, follow=True
    )
    assert "A referral that is “Accepted” cannot become “Accepted”" in _text(response)
    assert _fresh(referral).version == referral.version


def test_an_unknown_code_is_refused(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    before = _denials(referral)
    response = demo_sign_in("caseworker").post(
        reverse("referrals:reject", args=[referral.pk]),
        {"version": referral.version, "code": "NOT_A_CODE"},
    )
    assert "“NOT_A_CODE” is not a known reason code" in _text(response)
    assert _fresh(referral).status == Status.REQUESTED
    assert _denials(referral) == before + 1


def test_a_code_of_another_move_is_refused(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    response = demo_sign_in("caseworker").post(
        reverse("referrals:close", args=[referral.pk]),
        {"version": referral.version, "code": "HOLD_HOSPITAL"},
    )
    assert "The reason “Person is in hospital” cannot be used" in _text(response)
    assert _fresh(referral).status == Status.ACCEPTED


def test_a_police_code_is_refused_to_the_provider(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    response = demo_sign_in("caseworker").post(
        reverse("referrals:close", args=[referral.pk]),
        {"version": referral.version, "code": "CAN_SENT_IN_ERROR"},
    )
    assert "Only the police may choose" in _text(response)
    assert _fresh(referral).status == Status.ACCEPTED


def test_a_stale_version_is_refused(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    before = _denials(referral)
    response = demo_sign_in("caseworker").post(
        reverse("referrals:hold", args=[referral.pk]),
        {"version": referral.version - 1, "code": "HOLD_HOSPITAL"},
    )
    assert "Someone else changed this record" in _text(response)
    assert _fresh(referral).status == Status.ACCEPTED
    assert _denials(referral) == before + 1


# --- scope ---------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["powys.caseworker", "navigator"])
def test_another_providers_staff_get_not_found_everywhere_and_it_is_audited(
    world: dict[str, Any], username: str
) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = _book(world, referral)
    client = demo_sign_in(username)
    urls = [reverse("referrals:detail", args=[referral.pk])]
    urls += [reverse(name, args=[referral.pk]) for name in WORK_URLS]
    urls.append(reverse("referrals:appointment-attendance", args=[referral.pk, appointment.pk]))
    for url in urls:
        before = _denials(referral)
        method = client.post if url.endswith("/accept/") else client.get
        assert method(url).status_code == 404, url
        assert _denials(referral) == before + 1, url
    # And a POST to a work page changes nothing.
    client.post(
        reverse("referrals:contact-attempt-add", args=[referral.pk]),
        {"channel": "phone", "outcome": "spoke"},
    )
    assert not ContactAttempt.objects.filter(referral=referral).exists()


def test_a_caseworker_sees_only_their_counties_referrals(world: dict[str, Any]) -> None:
    powys_officer = UserFactory(
        roles=[Role.OFFICER], counties=[POWYS], organisation=world["officer"].organisation
    )
    referral = refer(powys_officer, world["powys_person"])
    assert referral.provider.name == "Kaleidoscope Powys"
    url = reverse("referrals:detail", args=[referral.pk])
    client = demo_sign_in("powys.caseworker")
    assert client.get(url).status_code == 200
    # The same provider's referral for someone in Carmarthenshire is outside Tomos's county.
    Referral.objects.filter(pk=referral.pk).update(county=County.objects.get(ons_code=CARMS))
    before = _denials(referral)
    assert client.get(url).status_code == 404
    assert client.get(reverse("referrals:top-add", args=[referral.pk])).status_code == 404
    assert _denials(referral) == before + 2


@pytest.mark.parametrize("username", ["officer", "custody.sergeant", "analyst", "panel", "admin"])
def test_people_who_are_not_provider_staff_may_not_work_a_referral(
    world: dict[str, Any], username: str
) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    client = demo_sign_in(username)
    before = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
    response = client.get(reverse("referrals:top-add", args=[referral.pk]))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() == before + 1


def test_police_never_reach_clinical_rows(world: dict[str, Any]) -> None:
    from pontio.core.scopes import restrict

    referral = accepted(world["officer"], world["caseworker"], world["person"])
    client = demo_sign_in("caseworker")
    client.post(
        reverse("referrals:clinical-add", args=[referral.pk]),
        {"kind": "assessment", "on_0": "1", "on_1": "1", "on_2": "2000", "notes": "x"},
    )
    today = timezone.localdate()
    client.post(
        reverse("referrals:clinical-add", args=[referral.pk]),
        {
            "kind": "assessment",
            "on_0": today.day,
            "on_1": today.month,
            "on_2": today.year,
            "notes": "Private clinical note",
        },
    )
    assert ClinicalRecord.objects.filter(referral=referral).count() == 1
    for username in ("officer", "custody.sergeant"):
        user = world[username]
        assert not restrict(ClinicalRecord.objects.all(), user, "view").exists()
        assert not restrict(TopEntry.objects.all(), user, "view").exists()


# --- work pages ----------------------------------------------------------------------------


def test_recording_a_successful_contact_starts_the_work(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    today = timezone.localdate()
    response = demo_sign_in("caseworker").post(
        reverse("referrals:contact-attempt-add", args=[referral.pk]),
        {
            "on_0": today.day,
            "on_1": today.month,
            "on_2": today.year,
            "time": "00:01",
            "channel": "phone",
            "outcome": "spoke",
        },
    )
    assert response.status_code == 302
    referral = _fresh(referral)
    assert referral.first_contact_on == today
    assert referral.status == Status.IN_PROGRESS


def test_a_contact_attempt_needs_a_real_time(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    today = timezone.localdate()
    response = demo_sign_in("caseworker").post(
        reverse("referrals:contact-attempt-add", args=[referral.pk]),
        {"on_0": today.day, "on_1": today.month, "on_2": today.year, "time": "25:99"},
    )
    page = _text(response)
    assert "Enter a real time" in page and "Choose how you tried to make contact" in page


def test_work_before_acceptance_is_refused(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    today = timezone.localdate()
    response = demo_sign_in("caseworker").post(
        reverse("referrals:contact-attempt-add", args=[referral.pk]),
        {
            "on_0": today.day,
            "on_1": today.month,
            "on_2": today.year,
            "time": "00:01",
            "channel": "phone",
            "outcome": "spoke",
        },
    )
    assert "Accept the referral before recording work on it" in _text(response)
    assert not ContactAttempt.objects.filter(referral=referral).exists()


def test_booking_and_recording_attendance(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    client = demo_sign_in("caseworker")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("referrals:appointment-add", args=[referral.pk]),
        {
            "kind": "assessment",
            "on_0": tomorrow.day,
            "on_1": tomorrow.month,
            "on_2": tomorrow.year,
            "time": "10:30",
            "place": "Llanelli hub",
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.get(referral=referral).place == "Llanelli hub"
    past = _book(world, referral)
    page = _text(client.get(reverse("referrals:detail", args=[referral.pk])))
    assert reverse("referrals:appointment-attendance", args=[referral.pk, past.pk]) in page
    response = client.post(
        reverse("referrals:appointment-attendance", args=[referral.pk, past.pk]),
        {"version": past.version, "attendance": "dna"},
    )
    assert response.status_code == 302
    assert Appointment.objects.get(pk=past.pk).attendance == "dna"
    assert Alert.objects.filter(referral=referral, kind=Alert.Kind.DID_NOT_ATTEND).exists()


def test_attendance_from_a_stale_page_is_refused(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    past = _book(world, referral)
    response = demo_sign_in("caseworker").post(
        reverse("referrals:appointment-attendance", args=[referral.pk, past.pk]),
        {"version": past.version + 1, "attendance": "attended"},
    )
    assert "Someone else changed this record" in _text(response)
    assert Appointment.objects.get(pk=past.pk).attendance == "booked"


def test_recording_a_top_with_undisclosed_items(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    today = timezone.localdate()
    client = demo_sign_in("caseworker")
    assert "Days injected in the past 28" in _text(
        client.get(reverse("referrals:top-add", args=[referral.pk]))
    )
    response = client.post(
        reverse("referrals:top-add", args=[referral.pk]),
        {
            "stage": "start",
            "interview_date_0": today.day,
            "interview_date_1": today.month,
            "interview_date_2": today.year,
            "main_substance": "cocaine",
            "cocaine_days": "12",
            "shared_equipment": "no",
            "quality_of_life": "8",
        },
    )
    assert response.status_code == 302
    entry = TopEntry.objects.get(referral=referral)
    assert (entry.cocaine_days, entry.alcohol_days, entry.shared_equipment) == (12, None, False)
    assert entry.quality_of_life == 8
    page = _text(client.get(reverse("referrals:detail", args=[referral.pk])))
    assert "Treatment start" in page


def test_a_top_needs_the_main_substance_days(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    today = timezone.localdate()
    response = demo_sign_in("caseworker").post(
        reverse("referrals:top-add", args=[referral.pk]),
        {
            "stage": "start",
            "interview_date_0": today.day,
            "interview_date_1": today.month,
            "interview_date_2": today.year,
            "main_substance": "cocaine",
            "alcohol_days": "40",
        },
    )
    page = _text(response)
    assert "Enter a number of days from 0 to 28" in page
    assert not TopEntry.objects.filter(referral=referral).exists()


def test_manager_allocates_a_caseworker(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("provider.manager")
    response = client.post(
        reverse("referrals:allocate", args=[referral.pk]),
        {"version": referral.version, "caseworker": world["caseworker"].pk},
    )
    assert response.status_code == 302
    assert _fresh(referral).allocated_to == world["caseworker"]


def test_manager_cannot_allocate_someone_of_another_provider(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    response = demo_sign_in("provider.manager").post(
        reverse("referrals:allocate", args=[referral.pk]),
        {"version": referral.version, "caseworker": world["powys.caseworker"].pk},
    )
    assert response.status_code == 200
    assert _fresh(referral).allocated_to is None


def test_caseworker_may_not_allocate(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    response = demo_sign_in("caseworker").get(reverse("referrals:allocate", args=[referral.pk]))
    assert response.status_code == 403


def test_a_finished_referral_offers_no_moves(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    move(world["caseworker"], referral, Status.FAILED, code="CLO_CLIENT_DECLINED")
    page = _text(demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk])))
    assert "Accept the referral" not in page
    assert "Record a contact attempt" not in page


# --- dates that are typing mistakes -----------------------------------------------------------

ATTEMPT = {"time": "10:00", "channel": "phone", "outcome": "spoke"}
DATED_WORK = [
    ("referrals:contact-attempt-add", "on", ATTEMPT),
    ("referrals:appointment-add", "on", {"kind": "assessment", "time": "10:30", "place": "Hub"}),
    ("referrals:clinical-add", "on", {"kind": "assessment", "intervention": "", "notes": ""}),
    ("referrals:top-add", "interview_date", {"stage": "start", "main_substance": "cocaine"}),
]


def _rows(referral: Referral) -> tuple[int, int, int, int]:
    return (
        ContactAttempt.objects.filter(referral=referral).count(),
        Appointment.objects.filter(referral=referral).count(),
        ClinicalRecord.objects.filter(referral=referral).count(),
        TopEntry.objects.filter(referral=referral).count(),
    )


@pytest.mark.parametrize(("url", "field", "other"), DATED_WORK)
@pytest.mark.parametrize(
    ("year", "message"),
    [("99999999999", "The year must include 4 numbers"), ("26", "The year must include 4 numbers")],
)
def test_a_huge_or_short_year_is_refused_on_every_dated_piece_of_work(
    world: dict[str, Any], url: str, field: str, other: dict[str, str], year: str, message: str
) -> None:
    """A year of eleven digits once raised OverflowError: a server error."""
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    before = _rows(referral)
    response = demo_sign_in("caseworker").post(
        reverse(url, args=[referral.pk]),
        {f"{field}_0": "1", f"{field}_1": "2", f"{field}_2": year, **other},
    )
    assert response.status_code == 200
    assert message in _text(response)
    assert _rows(referral) == before


def test_an_appointment_years_ahead_is_refused(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    far = timezone.localdate() + dt.timedelta(days=3 * 365)
    response = demo_sign_in("caseworker").post(
        reverse("referrals:appointment-add", args=[referral.pk]),
        {
            "kind": "assessment",
            "on_0": far.day,
            "on_1": far.month,
            "on_2": far.year,
            "time": "10:30",
            "place": "Hub",
        },
    )
    assert response.status_code == 200
    assert "The date must be on or before" in _text(response)
    assert not Appointment.objects.filter(referral=referral).exists()
