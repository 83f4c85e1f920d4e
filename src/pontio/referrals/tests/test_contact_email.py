"""Email as a way to contact the person: the address the officer confirms on the referral."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.referrals.contact import ContactRoute, check_contact_route
from pontio.referrals.models import Referral, ReferralDraft
from pontio.referrals.services import amend as amend_service
from pontio.referrals.tests.helpers import CONTEXT, accepted, proposed_service, referral_data
from pontio.referrals.tests.test_api import body, create
from pontio.referrals.tests.test_views_create import _create_url, _details, _provider_url

pytestmark = pytest.mark.django_db
CHOSEN_WITHOUT = "You chose email: enter an email address"
BAD_ADDRESS = "Enter an email address in the correct format, like name@example.com"


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_route_needs_an_address_for_email_and_refuses_a_malformed_one() -> None:
    with pytest.raises(ValidationError) as missing:
        check_contact_route(ContactRoute(phone="07700 900123", channels=["phone", "email"]))
    assert missing.value.message_dict == {"contact_channels": [CHOSEN_WITHOUT]}
    with pytest.raises(ValidationError) as malformed:
        check_contact_route(
            ContactRoute(phone="07700 900123", email="dafydd@", channels=["phone", "email"])
        )
    assert malformed.value.message_dict == {"contact_email": [BAD_ADDRESS]}
    cleaned = check_contact_route(
        ContactRoute(phone="07700 900123", email=" dafydd@example.com ", channels=["email"])
    )
    assert cleaned.email == "dafydd@example.com"


def test_the_form_says_an_address_is_needed_when_email_is_chosen(world: dict[str, Any]) -> None:
    client = demo_sign_in("officer")
    response = client.post(
        _create_url(world["person"]), _details(contact_channels=["phone", "email"])
    )
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert CHOSEN_WITHOUT in page
    assert 'id="id_contact_email"' in page
    assert not Referral.objects.exists()
    bad = _text(
        client.post(
            _create_url(world["person"]),
            _details(contact_channels=["phone", "email"], contact_email="not an address"),
        )
    )
    assert f'<a href="#id_contact_email">{BAD_ADDRESS}</a>' in bad
    assert not Referral.objects.exists()


def test_the_email_goes_through_the_draft_to_the_referral_and_the_providers_page(
    world: dict[str, Any],
) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    response = client.post(
        _create_url(person),
        _details(contact_channels=["phone", "email"], contact_email="dafydd@example.com"),
    )
    assert response.status_code == 302
    assert ReferralDraft.objects.get(person=person).data["contact_email"] == "dafydd@example.com"
    summary = _text(client.get(_provider_url(person)))
    assert "dafydd@example.com" in summary
    service = proposed_service(person, referral_data())
    client.post(_provider_url(person), {"service": service.pk})
    referral = Referral.objects.get()
    assert referral.contact_email == "dafydd@example.com"
    assert referral.contact_channels == ["phone", "email"]
    page = _text(demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk])))
    assert "Email address" in page and "dafydd@example.com" in page


def test_the_api_takes_contact_email_and_shows_it_to_the_provider(world: dict[str, Any]) -> None:
    contact = {
        "phone": "07700 900123",
        "email": "dafydd@example.com",
        "channels": ["phone", "email"],
        "times": "",
    }
    response = create(demo_sign_in("officer"), body(world, contact=contact))
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get()
    assert referral.contact_email == "dafydd@example.com"
    shown = demo_sign_in("caseworker").get(reverse("api-referral-detail", args=[referral.pk]))
    assert shown.json()["contact"]["email"] == "dafydd@example.com"


def test_the_api_names_the_email_errors_under_contact(world: dict[str, Any]) -> None:
    client = demo_sign_in("officer")
    missing = create(client, body(world, contact={"phone": "07700 900123", "channels": ["email"]}))
    assert missing.status_code == 400
    assert missing.json()["contact"]["channels"] == [CHOSEN_WITHOUT]
    bad = create(
        client,
        body(world, contact={"phone": "07700 900123", "email": "x@", "channels": ["email"]}),
        key="key-2",
    )
    assert bad.status_code == 400
    assert bad.json()["contact"]["email"] == [BAD_ADDRESS]
    assert not Referral.objects.exists()


def test_an_amendment_changes_the_email_and_keeps_the_rule(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])

    def amend(**changes: Any) -> None:
        referral.refresh_from_db()
        amend_service.referral_amend(
            context=CONTEXT,
            actor=world["officer"],
            referral_id=referral.pk,
            expected_version=referral.version,
            changes=changes,
            reason="",
        )

    with pytest.raises(ValidationError) as caught:
        amend(contact_channels=["phone", "email"])
    assert caught.value.message_dict["contact_channels"] == [CHOSEN_WITHOUT]
    amend(contact_channels=["phone", "email"], contact_email="dafydd@example.com")
    referral.refresh_from_db()
    assert referral.contact_email == "dafydd@example.com"
    assert "email" in referral.contact_channels
