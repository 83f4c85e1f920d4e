"""The referral's consent is one consent record of the person (journey 1): made by the same
service call, shown on the person's page and on the referral."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.scopes import restrict
from pontio.people.models import ConsentRecord
from pontio.referrals import services
from pontio.referrals.models import Referral, Status
from pontio.referrals.tests.helpers import (
    CONTEXT,
    move,
    proposed_service,
    refer,
    referral_data,
    service_named,
)

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_referring_with_consent_records_it_on_the_person(world: dict[str, Any]) -> None:
    officer, person = world["officer"], world["person"]
    referral = refer(officer, person)
    record = ConsentRecord.objects.get(person=person)
    assert referral.consent_id == record.pk
    assert record.purpose == ConsentRecord.Purpose.REFERRAL
    assert record.basis == ConsentRecord.Basis.CONSENT
    assert record.given is True
    assert record.date == timezone.localdate()
    assert record.recorded_by == officer
    audited = AuditEvent.objects.filter(
        object_type="people.consentrecord", object_id=str(record.pk), action="create"
    )
    assert audited.get().person_id == str(person.pk)


def test_sharing_without_consent_records_the_basis_and_the_policy(world: dict[str, Any]) -> None:
    referral = refer(
        world["officer"],
        world["person"],
        consent_given=False,
        lawful_basis="safeguarding",
        policy_reference="DPP-ISP-SM-2024",
    )
    record = referral.consent
    assert record is not None
    assert (record.basis, record.given, record.policy_reference) == (
        "safeguarding",
        False,
        "DPP-ISP-SM-2024",
    )
    # The provider's copy says the same.
    assert (referral.consent_given, referral.lawful_basis) == (False, "safeguarding")


def test_a_refused_referral_records_no_consent(world: dict[str, Any]) -> None:
    data = referral_data(reason="")
    with pytest.raises(ValidationError):
        services.referral_create(
            context=CONTEXT,
            actor=world["officer"],
            person_id=world["person"].pk,
            data=data,
            service_id=proposed_service(world["person"], referral_data()).pk,
        )
    assert not ConsentRecord.objects.exists()


def test_a_retried_send_makes_no_second_consent_record(world: dict[str, Any]) -> None:
    person = world["person"]
    data = referral_data()
    service = proposed_service(person, data)
    for _try in range(2):
        services.referral_create(
            context=CONTEXT,
            actor=world["officer"],
            person_id=person.pk,
            data=data,
            service_id=service.pk,
            idempotency_key="consent-once",
        )
    assert ConsentRecord.objects.filter(person=person).count() == 1


def test_sending_again_elsewhere_rests_on_the_same_consent(world: dict[str, Any]) -> None:
    officer, person = world["officer"], world["person"]
    first = refer(officer, person)
    move(world["caseworker"], first, Status.REJECTED, code="REJ_NEEDS_NOT_MET")
    first.refresh_from_db()
    other = service_named("DDAS Carmarthen")
    second = services.referral_resend(
        context=CONTEXT,
        actor=officer,
        referral_id=first.pk,
        expected_version=first.version,
        service_id=other.pk,
        reason="Closer to where she works.",
    )
    assert second.consent_id == first.consent_id
    assert ConsentRecord.objects.filter(person=person).count() == 1


def test_the_person_page_shows_the_consent_recorded_with_the_referral(
    world: dict[str, Any],
) -> None:
    refer(
        world["officer"],
        world["person"],
        consent_given=False,
        lawful_basis="law_enforcement",
        policy_reference="DPP-ISP-SM-2024",
    )
    page = _text(demo_sign_in("officer").get(reverse("people:detail", args=[world["person"].pk])))
    section = page.split("Consent and information sharing", 1)[1].split("</table>", 1)[0]
    assert "Referral to treatment or support" in section
    assert "Law enforcement purpose" in section
    assert "Policy reference: DPP-ISP-SM-2024" in section
    assert "Rhys Morgan" in section
    assert "Nothing recorded." not in section


def test_the_police_referral_page_shows_the_same_consent_record(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    page = _text(demo_sign_in("officer").get(reverse("referrals:detail", args=[referral.pk])))
    today = timezone.localdate()
    assert "The person consents" in page
    assert f"Recorded on {today.day} {today:%B %Y} by Rhys Morgan, on the person's record" in page


def test_the_provider_sees_the_copy_but_never_reads_the_person_record(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    caseworker = world["caseworker"]
    assert not restrict(ConsentRecord.objects.all(), caseworker, "view").exists()
    page = _text(demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk])))
    assert "The person consents" in page
    assert Referral.objects.get(pk=referral.pk).consent_id is not None
