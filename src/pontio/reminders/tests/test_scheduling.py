"""Consent, language and the schedule of confirmations and reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from pontio.people.models import Email
from pontio.referrals.models import Appointment, Referral
from pontio.referrals.services.appointments import appointment_reschedule
from pontio.referrals.tests.helpers import CONTEXT
from pontio.reminders import sending
from pontio.reminders.consent import uk_mobile
from pontio.reminders.models import Channel, Kind, MessageStatus, PersonMessage
from pontio.reminders.tests.helpers import book, referral_for

pytestmark = pytest.mark.django_db


def _messages(appointment: Appointment) -> dict[str, PersonMessage]:
    return {
        m.kind: m
        for m in PersonMessage.objects.filter(
            appointment=appointment, for_starts_at=appointment.starts_at
        )
    }


def test_booking_makes_a_confirmation_now_and_reminders_2_days_and_2_hours_before(
    demo_users: dict[str, Any],
) -> None:
    referral = referral_for(demo_users)
    before = timezone.now()
    appointment = book(demo_users, referral)
    found = _messages(appointment)
    assert set(found) == {Kind.CONFIRMATION, Kind.REMINDER_2_DAYS, Kind.REMINDER_2_HOURS}
    assert all(m.channel == Channel.SMS for m in found.values())
    assert all(m.status == MessageStatus.SCHEDULED for m in found.values())
    assert found[Kind.CONFIRMATION].due_at >= before
    assert found[Kind.CONFIRMATION].due_at <= timezone.now()
    assert found[Kind.REMINDER_2_DAYS].due_at == appointment.starts_at - dt.timedelta(days=2)
    assert found[Kind.REMINDER_2_HOURS].due_at == appointment.starts_at - dt.timedelta(hours=2)
    assert found[Kind.CONFIRMATION].to == "+447700900123"


def test_a_reminder_already_in_the_past_is_not_made(demo_users: dict[str, Any]) -> None:
    referral = referral_for(demo_users)
    appointment = book(demo_users, referral, timezone.now() + dt.timedelta(days=1))
    assert set(_messages(appointment)) == {Kind.CONFIRMATION, Kind.REMINDER_2_HOURS}


def test_no_text_without_text_consent(demo_users: dict[str, Any]) -> None:
    referral = referral_for(demo_users, channels=("phone",))
    appointment = book(demo_users, referral)
    rows = list(PersonMessage.objects.filter(appointment=appointment))
    assert [(r.channel, r.status) for r in rows] == [
        (Channel.NONE, MessageStatus.NOT_SENT_NO_CONSENT)
    ]
    assert not PersonMessage.objects.filter(channel=Channel.SMS).exists()
    assert rows[0].to == ""


def test_no_text_to_a_landline_even_with_consent(demo_users: dict[str, Any]) -> None:
    referral = referral_for(demo_users, phone="01267 226000")
    appointment = book(demo_users, referral)
    assert not PersonMessage.objects.filter(appointment=appointment, channel=Channel.SMS).exists()
    assert uk_mobile("01267 226000") == ""
    assert uk_mobile("07911 123456") == "+447911123456"


def _agree(referral: Referral, *channels: str) -> None:
    # Set directly: these referrals were made without an email way (the person record has it).
    Referral.objects.filter(pk=referral.pk).update(contact_channels=list(channels))


def test_email_only_with_email_consent_and_an_address(demo_users: dict[str, Any]) -> None:
    without = referral_for(demo_users, channels=("phone",))
    Email.objects.create(person_id=without.person_id, address="dafydd@example.com")
    assert not PersonMessage.objects.filter(
        appointment=book(demo_users, without), channel=Channel.EMAIL
    ).exists()
    consented = referral_for(demo_users, channels=("phone",))
    _agree(consented, "phone", "email")
    Email.objects.create(person_id=consented.person_id, address="dafydd@example.com")
    rows = PersonMessage.objects.filter(appointment=book(demo_users, consented))
    assert {r.channel for r in rows} == {Channel.EMAIL}
    assert {r.to for r in rows} == {"dafydd@example.com"}


def test_text_preferred_when_both_are_agreed(demo_users: dict[str, Any]) -> None:
    referral = referral_for(demo_users, channels=("text",))
    _agree(referral, "text", "email")
    Email.objects.create(person_id=referral.person_id, address="dafydd@example.com")
    rows = PersonMessage.objects.filter(appointment=book(demo_users, referral))
    assert {r.channel for r in rows} == {Channel.SMS}


def test_welsh_referral_gets_welsh_text_and_english_gets_english(
    demo_users: dict[str, Any],
) -> None:
    cy = book(demo_users, referral_for(demo_users, language="cy"))
    en = book(demo_users, referral_for(demo_users, language="en"))
    cy_body = _messages(cy)[Kind.CONFIRMATION].body
    en_body = _messages(en)[Kind.CONFIRMATION].body
    assert _messages(cy)[Kind.CONFIRMATION].language == "cy"
    # The date is rendered in the person's language (Django's Welsh month and day names) ...
    assert "Rhagfyr" in cy_body or "Ionawr" in cy_body or "Dydd" in cy_body
    assert "Dydd" not in en_body and "Rhagfyr" not in en_body
    # ... and so are Pontio's own words, once the Welsh catalogue has them (cy-reminders.json).
    with translation.override("cy"):
        welsh = gettext("Date: %(date)s") != "Date: %(date)s"
    if welsh:
        assert "Date:" not in cy_body
    assert "Date:" in en_body
    assert "12 Stepney Street, Llanelli" in en_body


def test_reschedule_moves_the_reminders(demo_users: dict[str, Any]) -> None:
    appointment = book(demo_users, referral_for(demo_users))
    old = appointment.starts_at
    new = old + dt.timedelta(days=2)
    appointment.refresh_from_db()
    appointment_reschedule(
        context=CONTEXT,
        actor=demo_users["caseworker"],
        appointment_id=appointment.pk,
        expected_version=appointment.version,
        starts_at=new,
        mode=Appointment.Mode.PHONE,
        place="",
        reason="The person asked for a later day.",
    )
    appointment.refresh_from_db()
    stale = PersonMessage.objects.filter(appointment=appointment, for_starts_at=old)
    assert {m.status for m in stale if m.kind != Kind.CONFIRMATION} == {MessageStatus.CANCELLED}
    fresh = _messages(appointment)
    assert fresh[Kind.REMINDER_2_DAYS].due_at == new - dt.timedelta(days=2)
    assert fresh[Kind.REMINDER_2_HOURS].due_at == new - dt.timedelta(hours=2)
    assert fresh[Kind.CONFIRMATION].status == MessageStatus.SCHEDULED
    assert "by phone" in fresh[Kind.REMINDER_2_HOURS].body


def test_cancelling_stops_the_reminders(demo_users: dict[str, Any]) -> None:
    from pontio.referrals import services

    appointment = book(demo_users, referral_for(demo_users))
    appointment.refresh_from_db()
    services.appointment_record_attendance(
        context=CONTEXT,
        actor=demo_users["caseworker"],
        appointment_id=appointment.pk,
        expected_version=appointment.version,
        attendance=Appointment.Attendance.CANCELLED,
    )
    rows = PersonMessage.objects.filter(appointment=appointment)
    assert {m.status for m in rows} == {MessageStatus.CANCELLED}
    assert sending.send_due(appointment.starts_at - dt.timedelta(hours=1)) == 0


def test_withdrawn_consent_stops_a_queued_message(demo_users: dict[str, Any]) -> None:
    referral = referral_for(demo_users)
    appointment = book(demo_users, referral)
    referral.refresh_from_db()
    referral.contact_channels = ["phone"]
    referral.save()
    sms = PersonMessage.objects.filter(appointment=appointment, channel=Channel.SMS)
    assert {m.status for m in sms} == {MessageStatus.CANCELLED}
    sending.send_due(appointment.starts_at - dt.timedelta(minutes=90))
    assert not PersonMessage.objects.filter(status=MessageStatus.RECORDED_LOCALLY).exists()
