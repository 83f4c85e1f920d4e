"""Amending a sent referral and the provider's questions to the police: rules, timers,
denials, pages, API and the demo seeder."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.concurrency import StaleVersionError
from pontio.core.models import Notification
from pontio.core.recording import AuditAction
from pontio.core.working_days import add_working_days, working_days_between
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import (
    Alert,
    InformationRequest,
    Party,
    Referral,
    ReferralAmendment,
    Status,
)
from pontio.referrals.services import amend as service
from pontio.referrals.services.create import data_of
from pontio.referrals.tests.helpers import CONTEXT, accepted, move, refer

pytestmark = pytest.mark.django_db

TIMER_FIELDS = (
    "first_contact_due",
    "assessment_due",
    "treatment_due",
    "first_contact_on",
    "assessed_on",
    "treatment_started_on",
    "held_since",
    "timer_stopped_on",
    "status",
)


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _amend(actor: Any, referral: Referral, reason: str = "", **changes: Any) -> ReferralAmendment:
    referral.refresh_from_db()
    return service.referral_amend(
        context=CONTEXT,
        actor=actor,
        referral_id=referral.pk,
        expected_version=referral.version,
        changes=changes,
        reason=reason,
    )


def _ask(actor: Any, referral: Referral, code: str = "HOLD_CONTACT_DETAILS", question: str = "?"):
    referral.refresh_from_db()
    return service.information_request(
        context=CONTEXT,
        actor=actor,
        referral_id=referral.pk,
        expected_version=referral.version,
        code=code,
        question=question,
    )


def _answer(actor: Any, asked: InformationRequest, answer: str = "Yes", **changes: Any):
    asked.refresh_from_db()
    return service.information_answer(
        context=CONTEXT,
        actor=actor,
        request_id=asked.pk,
        expected_version=asked.version,
        answer=answer,
        amend_changes=changes or None,
    )


def _codes(error: ValidationError) -> set[str]:
    found = set()
    for messages in error.error_dict.values() if hasattr(error, "error_dict") else [[error]]:
        for message in messages:
            found.add(message.code)
    return found


# --- the new fields at creation ---------------------------------------------------------


def test_support_interpreter_and_accessibility_needs_are_sent_and_checked(world) -> None:
    referral = refer(
        world["officer"],
        world["person"],
        support_needs="Help with housing",
        interpreter_language=" Polish ",
        accessibility_needs="Hard of hearing",
    )
    assert (referral.support_needs, referral.interpreter_language) == (
        "Help with housing",
        "Polish",
    )
    assert data_of(referral).accessibility_needs == "Hard of hearing"
    with pytest.raises(ValidationError) as caught:
        refer(world["officer"], world["person"], interpreter_language="x" * 61)
    assert "interpreter_language" in caught.value.error_dict


def test_the_api_takes_the_new_fields(world) -> None:
    client = demo_sign_in("officer")
    data = {
        "person": world["person"].pk,
        "pathway": "voluntary",
        "reason": "Asked for help.",
        "substances": ["cocaine"],
        "consent_given": True,
        "preferred_language": "en",
        "contact": {"phone": "07700 900123", "channels": ["phone"], "times": ""},
        "interpreter_language": "Arabic",
    }
    response = client.post(
        reverse("api-referral-list"),
        json.dumps(data),
        content_type="application/json",
        headers={"Idempotency-Key": "amend-1"},
    )
    assert response.status_code == 201, response.content
    assert Referral.objects.get(pk=response.json()["id"]).interpreter_language == "Arabic"


# --- amendments ---------------------------------------------------------------------------


def test_an_amendment_records_each_change_bumps_the_version_audits_and_tells_the_provider(
    world,
) -> None:
    referral = refer(world["officer"], world["person"])
    version = referral.version
    sent = Notification.objects.filter(template="referral_amended").count()
    amendment = _amend(
        world["officer"],
        referral,
        reason="Wrong number",
        contact_phone="07700 900456",
        support_needs="Housing",
    )
    referral.refresh_from_db()
    assert referral.contact_phone == "+447700900456"
    assert referral.version == version + 1
    assert amendment.changes == [
        {"field": "contact_phone", "before": "07700 900123", "after": "07700 900456"},
        {"field": "support_needs", "before": "", "after": "Housing"},
    ]
    assert amendment.actor_organisation_id == world["officer"].organisation_id
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="referrals.referralamendment"
    ).exists()
    assert Notification.objects.filter(template="referral_amended").count() > sent


def test_an_amendment_does_not_touch_the_timers(world) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    before = {f: getattr(referral, f) for f in TIMER_FIELDS}
    _amend(world["officer"], referral, contact_phone="07700 900456", risk_notes="Dog")
    referral.refresh_from_db()
    assert {f: getattr(referral, f) for f in TIMER_FIELDS} == before


def test_emptying_the_only_contact_route_is_refused_and_changes_nothing(world) -> None:
    referral = refer(world["officer"], world["person"])
    version = referral.version
    with pytest.raises(ValidationError) as caught:
        _amend(world["officer"], referral, contact_phone="", contact_channels=["letter"])
    assert "no_contact_route" in _codes(caught.value)
    referral.refresh_from_db()
    assert referral.contact_phone == "+447700900123"
    assert referral.version == version
    assert not ReferralAmendment.objects.filter(referral=referral).exists()


def test_a_phone_channel_without_a_phone_and_a_bad_phone_are_refused(world) -> None:
    referral = refer(
        world["officer"],
        world["person"],
        contact=ContactRoute(
            phone="07700 900123",
            address_line_1="1 High Street",
            address_town="Llanelli",
            address_postcode="SA15 1AA",
            channels=["phone", "letter"],
        ),
    )
    with pytest.raises(ValidationError) as caught:
        _amend(world["officer"], referral, contact_phone="")
    assert "contact_channels" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        _amend(world["officer"], referral, contact_phone="12345")
    assert "contact_phone" in caught.value.error_dict


def test_nothing_changed_unknown_fields_and_long_text_are_refused(world) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(ValidationError) as caught:
        _amend(world["officer"], referral, contact_phone="07700 900123")
    assert caught.value.code == "nothing_changed"
    with pytest.raises(ValidationError) as caught:
        _amend(world["officer"], referral, reason_code="x")
    assert "not_amendable" in _codes(caught.value)
    with pytest.raises(ValidationError) as caught:
        _amend(world["officer"], referral, risk_notes="x" * 4001)
    assert "risk_notes" in caught.value.error_dict


def test_only_the_police_in_scope_amend_an_open_referral_with_the_current_version(world) -> None:
    referral = refer(world["officer"], world["person"])
    for name in ("caseworker", "powys.officer", "analyst"):
        with pytest.raises(PermissionDenied):
            _amend(world[name], referral, contact_phone="07700 900456")
    with pytest.raises(StaleVersionError):
        service.referral_amend(
            context=CONTEXT,
            actor=world["officer"],
            referral_id=referral.pk,
            expected_version=referral.version - 1 or 99,
            changes={"contact_phone": "07700 900456"},
        )
    # a supervisor in the area may amend
    _amend(world["custody.sergeant"], referral, contact_times="Evenings")
    move(world["officer"], referral, Status.CANCELLED, code="CAN_NO_LONGER_NEEDED")
    with pytest.raises(ValidationError) as caught:
        _amend(world["officer"], referral, contact_times="Afternoons")
    assert caught.value.code == "closed"


# --- information requests -----------------------------------------------------------------


def test_asking_does_not_change_the_status_and_the_police_act_next_and_are_alerted(
    world,
) -> None:
    referral = refer(world["officer"], world["person"])
    asked = _ask(world["caseworker"], referral, "HOLD_AWAITING_INFO", "Which GP?")
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED
    assert referral.next_actor == Party.POLICE
    assert Alert.objects.filter(
        referral=referral, kind=Alert.Kind.INFO_REQUESTED, recipient=world["officer"]
    ).exists()
    _answer(world["officer"], asked, "Dr Jones")
    referral.refresh_from_db()
    assert referral.next_actor == Party.PROVIDER
    asked.refresh_from_db()
    assert asked.answered_by == world["officer"] and asked.answer == "Dr Jones"


def _waited(referral: Referral, days: int) -> InformationRequest:
    asked = InformationRequest.objects.get(referral=referral, answered_at__isnull=True)
    InformationRequest.objects.filter(pk=asked.pk).update(
        asked_at=timezone.now() - dt.timedelta(days=days)
    )
    return asked


def test_the_stopping_code_moves_the_first_contact_due_date_back_by_the_working_days_waited(
    world,
) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    before = {f: getattr(referral, f) for f in TIMER_FIELDS}
    _ask(world["caseworker"], referral, "HOLD_CONTACT_DETAILS")
    asked = _waited(referral, 7)
    _answer(world["officer"], asked)
    referral.refresh_from_db()
    today = timezone.localdate()
    waited = working_days_between(today - dt.timedelta(days=7), today)
    assert waited > 0
    assert referral.first_contact_due == add_working_days(before["first_contact_due"], waited)
    assert referral.assessment_due == before["assessment_due"]
    assert referral.treatment_due == before["treatment_due"]
    assert referral.status == before["status"]


def test_the_code_that_keeps_the_timer_running_moves_nothing(world) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    due = referral.first_contact_due
    _ask(world["caseworker"], referral, "HOLD_AWAITING_INFO")
    _answer(world["officer"], _waited(referral, 7))
    referral.refresh_from_db()
    assert referral.first_contact_due == due


def test_a_met_first_contact_timer_is_not_moved(world) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    Referral.objects.filter(pk=referral.pk).update(first_contact_on=timezone.localdate())
    due = referral.first_contact_due
    _ask(world["caseworker"], referral, "HOLD_CONTACT_DETAILS")
    _answer(world["officer"], _waited(referral, 7))
    referral.refresh_from_db()
    assert referral.first_contact_due == due


def test_asking_refusals(world) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(ValidationError) as caught:
        _ask(world["caseworker"], referral, question="  ")
    assert "question" in caught.value.error_dict
    for code in ("HOLD_HOSPITAL", "REJ_OUT_OF_AREA", "nonsense", ""):
        with pytest.raises(ValidationError) as caught:
            _ask(world["caseworker"], referral, code=code)
        assert "code" in caught.value.error_dict
    with pytest.raises(PermissionDenied):
        _ask(world["officer"], referral)
    with pytest.raises(PermissionDenied):
        _ask(world["powys.caseworker"], referral)
    _ask(world["caseworker"], referral)
    with pytest.raises(ValidationError) as caught:
        _ask(world["caseworker"], referral, "HOLD_AWAITING_INFO")
    assert caught.value.code == "request_open"
    with pytest.raises(StaleVersionError):
        service.information_request(
            context=CONTEXT,
            actor=world["caseworker"],
            referral_id=referral.pk,
            expected_version=1,
            code="HOLD_AWAITING_INFO",
            question="?",
        )


def test_answering_refusals_and_answering_with_an_amendment(world) -> None:
    referral = refer(world["officer"], world["person"])
    asked = _ask(world["caseworker"], referral)
    with pytest.raises(PermissionDenied):
        _answer(world["caseworker"], asked)
    with pytest.raises(PermissionDenied):
        _answer(world["powys.officer"], asked)
    with pytest.raises(ValidationError) as caught:
        _answer(world["officer"], asked, answer="")
    assert "answer" in caught.value.error_dict
    with pytest.raises(StaleVersionError):
        service.information_answer(
            context=CONTEXT,
            actor=world["officer"],
            request_id=asked.pk,
            expected_version=asked.version + 5,
            answer="x",
        )
    with pytest.raises(ValidationError) as caught:
        _answer(world["officer"], asked, "Gone", contact_phone="", contact_channels=["letter"])
    assert "no_contact_route" in _codes(caught.value)
    asked.refresh_from_db()
    assert asked.answered_at is None
    _answer(world["officer"], asked, "New number", contact_phone="07700 900999")
    referral.refresh_from_db()
    assert referral.contact_phone == "+447700900999"
    assert referral.amendments.count() == 1
    with pytest.raises(ValidationError) as caught:
        _answer(world["officer"], asked)
    assert caught.value.code == "answered"


# --- pages --------------------------------------------------------------------------------


def test_the_officer_amends_on_the_page_and_the_caseworker_sees_the_changelog(world) -> None:
    referral = refer(world["officer"], world["person"])
    officer = demo_sign_in("officer")
    url = reverse("referrals:amend", args=[referral.pk])
    page = officer.get(reverse("referrals:detail", args=[referral.pk]))
    assert url in _text(page)
    form = officer.get(url)
    assert form.status_code == 200 and "07700 900123" in _text(form)
    data = {
        "version": referral.version,
        "contact_phone": "07700 900456",
        "contact_channels": ["phone", "text"],
        "contact_times": "Weekday mornings",
    }
    response = officer.post(url, data)
    assert response.status_code == 302, _text(response)
    caseworker = demo_sign_in("caseworker")
    text = _text(caseworker.get(reverse("referrals:detail", args=[referral.pk])))
    assert "Amendments" in text and "07700 900456" in text and "Phone number" in text
    # the same version again is stale; nothing changed is refused
    stale = officer.post(url, data)
    assert stale.status_code == 200 and "Someone else changed" in _text(stale)


def test_the_amend_page_is_refused_to_the_provider_and_out_of_scope(world) -> None:
    referral = refer(world["officer"], world["person"])
    url = reverse("referrals:amend", args=[referral.pk])
    assert demo_sign_in("caseworker").get(url).status_code == 403
    assert demo_sign_in("powys.officer").get(url).status_code == 404


def test_ask_and_answer_on_the_pages(world) -> None:
    referral = refer(world["officer"], world["person"])
    caseworker = demo_sign_in("caseworker")
    detail = reverse("referrals:detail", args=[referral.pk])
    ask_url = reverse("referrals:information-request", args=[referral.pk])
    assert ask_url in _text(caseworker.get(detail))
    referral.refresh_from_db()
    empty = caseworker.post(
        ask_url, {"version": referral.version, "code": "HOLD_CONTACT_DETAILS", "question": ""}
    )
    assert "Enter what you need from the police" in _text(empty)
    response = caseworker.post(
        ask_url,
        {"version": referral.version, "code": "HOLD_CONTACT_DETAILS", "question": "Number?"},
    )
    assert response.status_code == 302
    asked = InformationRequest.objects.get(referral=referral)
    officer = demo_sign_in("officer")
    answer_url = reverse("referrals:information-answer", args=[referral.pk, asked.pk])
    assert answer_url in _text(officer.get(detail))
    assert officer.get(answer_url).status_code == 200
    referral.refresh_from_db()
    done = officer.post(
        answer_url,
        {
            "version": asked.version,
            "answer": "Try 07700 900777",
            "contact_phone": "07700 900777",
            "contact_channels": ["phone", "text"],
            "contact_times": "Weekday mornings",
        },
    )
    assert done.status_code == 302, _text(done)
    text = _text(caseworker.get(detail))
    assert "Try 07700 900777" in text and "07700 900777" in text
    assert demo_sign_in("caseworker").get(answer_url).status_code == 403


# --- API ----------------------------------------------------------------------------------


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_api(world, django_assert_max_num_queries) -> None:
    referral = refer(world["officer"], world["person"])
    officer = demo_sign_in("officer")
    url = reverse("api-referral-amendments", args=[referral.pk])
    made = _post(
        officer, url, {"version": referral.version, "changes": {"contact_phone": "07700 900456"}}
    )
    assert made.status_code == 201, made.content
    assert made.json()["changes"][0]["after"] == "07700 900456"
    stale = _post(officer, url, {"version": referral.version, "changes": {"risk_notes": "x"}})
    assert stale.status_code == 409
    referral.refresh_from_db()
    none = _post(
        officer,
        url,
        {"version": referral.version, "changes": {"contact_phone": "", "contact_channels": []}},
    )
    assert none.status_code == 400
    assert demo_sign_in("powys.officer").get(url).status_code == 404
    caseworker = demo_sign_in("caseworker")
    with django_assert_max_num_queries(25):
        listed = caseworker.get(url)
    assert listed.status_code == 200 and len(listed.json()) == 1
    refused = _post(caseworker, url, {"version": referral.version, "changes": {"risk_notes": "x"}})
    assert refused.status_code == 403

    ask = reverse("api-referral-information-requests", args=[referral.pk])
    wrong = _post(
        caseworker, ask, {"version": referral.version, "code": "HOLD_HOSPITAL", "question": "?"}
    )
    assert wrong.status_code == 400 and "code" in wrong.json()
    asked = _post(
        caseworker,
        ask,
        {"version": referral.version, "code": "HOLD_AWAITING_INFO", "question": "GP?"},
    )
    assert asked.status_code == 201, asked.content
    rid = asked.json()["id"]
    answer = reverse("api-referral-information-answer", args=[referral.pk, rid])
    assert _post(caseworker, answer, {"version": 1, "answer": "x"}).status_code == 403
    assert _post(officer, answer, {"version": 99, "answer": "x"}).status_code == 409
    done = _post(officer, answer, {"version": asked.json()["version"], "answer": "Dr Jones"})
    assert done.status_code == 200, done.content
    assert officer.get(ask).json()[0]["answer"] == "Dr Jones"


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_seeder_runs_twice_without_duplicating(world) -> None:
    from pontio.referrals.demo import daily_amend

    for _ in range(3):
        accepted(world["officer"], world["caseworker"], world["person"])
    now = timezone.now()
    made = daily_amend.seed(CONTEXT, now)
    assert made >= 3
    counts = (ReferralAmendment.objects.count(), InformationRequest.objects.count())
    assert daily_amend.seed(CONTEXT, now) == 0
    assert (ReferralAmendment.objects.count(), InformationRequest.objects.count()) == counts
    assert InformationRequest.objects.filter(answered_at__isnull=True).count() == 1
