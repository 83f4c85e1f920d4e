"""Email to the address on the referral, the referral page's panel of messages, and the
outbox's staff notices."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.models import Notification
from pontio.core.notify import notification_send
from pontio.core.recording import AuditAction
from pontio.people.models import Email
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import Referral
from pontio.referrals.panels import panels_for
from pontio.referrals.tests.helpers import accepted, make_person
from pontio.reminders import sending
from pontio.reminders.models import Channel, Kind, PersonMessage
from pontio.reminders.tests.helpers import book, referral_for

pytestmark = pytest.mark.django_db
LANDLINE = "01267 226000"


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _with_email(world: dict[str, Any], *channels: str) -> Referral:
    return accepted(
        world["officer"],
        world["caseworker"],
        make_person(),
        contact=ContactRoute(phone=LANDLINE, email="dafydd@example.com", channels=list(channels)),
    )


def test_the_email_goes_to_the_address_on_the_referral_with_email_consent(
    demo_users: dict[str, Any],
) -> None:
    referral = _with_email(demo_users, "phone", "email")
    # The address the officer confirmed with the consent comes before the person's record.
    Email.objects.create(person_id=referral.person_id, address="old@example.com")
    rows = PersonMessage.objects.filter(appointment=book(demo_users, referral))
    assert {r.channel for r in rows} == {Channel.EMAIL}
    assert {r.to for r in rows} == {"dafydd@example.com"}


def test_no_email_without_email_consent_even_with_an_address(demo_users: dict[str, Any]) -> None:
    referral = _with_email(demo_users, "phone")
    rows = PersonMessage.objects.filter(appointment=book(demo_users, referral))
    assert not rows.filter(channel=Channel.EMAIL).exists()
    assert {r.channel for r in rows} == {Channel.NONE}
    assert {r.to for r in rows} == {""}


def test_the_caseworker_sees_the_messages_on_the_referral_not_their_text(
    demo_users: dict[str, Any], settings: Any
) -> None:
    settings.NOTIFY_API_KEY = ""
    referral = referral_for(demo_users)
    appointment = book(demo_users, referral)
    confirmation = PersonMessage.objects.get(appointment=appointment, kind=Kind.CONFIRMATION)
    sending.send_due(confirmation.due_at)
    page = _text(demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk])))
    panel = page.split('data-panel="reminders"', 1)[1].split("</table>", 1)[0]
    assert "Messages to the person" in page
    assert "Appointment confirmation" in panel and "Reminder two hours before" in panel
    assert "Text message" in panel and "Recorded locally (not sent)" in panel
    assert "12 Stepney Street" not in panel  # the text is not shown
    assert "07700" not in panel


def test_the_police_officer_does_not_see_the_messages(demo_users: dict[str, Any]) -> None:
    referral = referral_for(demo_users)
    book(demo_users, referral)
    page = _text(demo_sign_in("officer").get(reverse("referrals:detail", args=[referral.pk])))
    assert "Messages to the person" not in page
    keys = [p["template"] for p in panels_for(demo_users["officer"], referral)]
    assert "reminders/referral_panel.html" not in keys
    caseworker_keys = [p["template"] for p in panels_for(demo_users["caseworker"], referral)]
    assert "reminders/referral_panel.html" in caseworker_keys


def test_staff_notices_recorded_locally_show_in_the_outbox(
    demo_users: dict[str, Any], settings: Any
) -> None:
    settings.NOTIFY_API_KEY = ""
    officer = demo_users["officer"]
    note = Notification.objects.create(
        template="referral_update",
        language="cy",
        recipient_user_id=officer.pk,
        email_address="officer.private@example.test",
        link="http://testserver/referrals/1/",
    )
    invitation = Notification.objects.create(
        template="account_invitation",
        recipient_user_id=officer.pk,
        email_address="officer.private@example.test",
        link="http://testserver/set-password/NQ/secret-token/",
    )
    for n in (note, invitation):
        assert notification_send(n).status == Notification.Status.RECORDED_LOCALLY
    client = demo_sign_in("admin")
    page = _text(client.get(reverse("reminders:outbox"), {"show": "staff"}))
    assert "Staff notices" in page
    assert "referral_update" in page and "http://testserver/referrals/1/" in page
    assert "Recorded locally" in page and "Cymraeg" in page
    assert officer.username in page
    assert "officer.private@example.test" not in page
    assert "secret-token" not in page
    assert "Not shown: it signs in as the recipient" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="core.notification"
    ).exists()
    # The people tab links to the staff notices and stays as it was.
    people = _text(client.get(reverse("reminders:outbox")))
    assert "?show=staff" in people and "referral_update" not in people


def test_only_administrators_open_the_staff_notices(demo_users: dict[str, Any]) -> None:
    response = demo_sign_in("caseworker").get(reverse("reminders:outbox"), {"show": "staff"})
    assert response.status_code == 403
