"""An auditor searching one person's history finds everything done to their data.

A denied attempt on a referral was once logged with no person, so searching the person's
history missed exactly the access an auditor most needs. Every event about a person's data
now names them (``core.recording.register_subject``), denials included; and the auditor can
find the person by name, date of birth or a record's reference, without their name ever
going into a URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction, find_subjects

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(demo_users: dict[str, Any]) -> Any:
    from pontio.referrals.tests.helpers import make_person, refer

    person = make_person(given="Gwenllian", family="Prydderch", dob=dt.date(1988, 2, 14))
    return refer(demo_users["officer"], person)


def test_a_denied_attempt_on_a_referral_names_the_person(referral: Any) -> None:
    before = AuditEvent.objects.order_by("-sequence").first()
    response = demo_sign_in("powys.caseworker").get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 404
    denied = AuditEvent.objects.filter(
        sequence__gt=before.sequence if before else 0,
        action=AuditAction.DENIED,
        object_type="referrals.referral",
        object_id=str(referral.pk),
    ).get()
    assert denied.person_id == str(referral.person_id)


def test_a_denied_attempt_through_the_api_names_the_person(referral: Any) -> None:
    response = demo_sign_in("powys.caseworker").get(
        reverse("api-referral-detail", args=[referral.pk])
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, object_id=str(referral.pk), person_id=str(referral.person_id)
    ).exists()


def test_a_read_of_a_referral_names_the_person_without_the_view_saying_so(
    referral: Any,
) -> None:
    demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk]))
    read = AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="referrals.referral", object_id=str(referral.pk)
    ).latest("sequence")
    assert read.person_id == str(referral.person_id)


def test_a_denial_for_a_record_that_does_not_exist_names_nobody(demo_users: Any) -> None:
    demo_sign_in("caseworker").get(reverse("referrals:detail", args=[987654]))
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED, object_id="987654").get()
    assert denied.person_id == ""


# --- finding the person ------------------------------------------------------------------


def _find(client: Client, text: str, dob: dt.date | None = None) -> Any:
    data = {"text": text}
    if dob:
        data.update(
            {"date_of_birth_0": dob.day, "date_of_birth_1": dob.month, "date_of_birth_2": dob.year}
        )
    return client.post(reverse("audit:event-list"), data)


def test_the_auditor_finds_the_person_by_name_and_date_of_birth(referral: Any) -> None:
    client = demo_sign_in("auditor")
    response = _find(client, "Prydderch", dt.date(1988, 2, 14))
    page = response.content.decode()
    link = f'/audit/?person_id={referral.person_id}"'
    assert link in page
    assert "Gwenllian Prydderch, born 14 February 1988" in page
    # The history of that person holds the denied attempt too.
    demo_sign_in("powys.caseworker").get(reverse("referrals:detail", args=[referral.pk]))
    history = client.get(reverse("audit:event-list"), {"person_id": referral.person_id})
    assert "Access denied" in history.content.decode()


def test_the_name_is_posted_and_never_put_in_a_url(referral: Any) -> None:
    client = demo_sign_in("auditor")
    page = _find(client, "Gwenllian Prydderch").content.decode()
    assert "?person_id=" in page
    assert "Prydderch" not in "".join(part.split('"')[0] for part in page.split('href="')[1:])
    assert client.get(reverse("audit:event-list"), {"text": "Prydderch"}).status_code == 200


def test_the_auditor_finds_the_person_by_a_referrals_reference(referral: Any) -> None:
    page = _find(demo_sign_in("auditor"), referral.reference.lower()).content.decode()
    assert f"?person_id={referral.person_id}" in page
    assert f"referral {referral.reference}" in page


def test_the_auditor_finds_the_person_by_a_searchs_receipt_reference(
    demo_users: dict[str, Any],
) -> None:
    from pontio.stopsearch.tests.helpers import make_person, record

    person = make_person(given="Bryn", family="Vaughan-Lloyd")
    search = record(demo_users["officer"], person=person)
    page = _find(demo_sign_in("auditor"), search.reference).content.decode()
    assert f"?person_id={person.pk}" in page


def test_showing_who_was_found_is_audited(referral: Any) -> None:
    _find(demo_sign_in("auditor"), "Prydderch")
    assert AuditEvent.objects.filter(
        action=AuditAction.READ,
        object_type="people.person",
        person_id=str(referral.person_id),
        reason="audit log: person search",
    ).exists()


def test_nobody_but_an_auditor_can_use_the_finders(
    referral: Any, demo_users: dict[str, Any]
) -> None:
    for username in ("officer", "custody.sergeant", "admin", "analyst", "caseworker"):
        assert find_subjects(demo_users[username], "Prydderch") == []
        assert find_subjects(demo_users[username], referral.reference) == []
    assert find_subjects(demo_users["auditor"], "Prydderch")


def test_the_find_a_person_form_says_what_is_missing(demo_users: Any) -> None:
    page = _find(demo_sign_in("auditor"), "").content.decode()
    assert "Enter a name or a reference" in page
