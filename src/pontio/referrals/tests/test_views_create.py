"""Making a referral from a person record, in two steps, and who may not."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.models import County
from pontio.core.recording import AuditAction
from pontio.directory.models import Substance
from pontio.people.models import Person, Phone
from pontio.referrals.models import Referral, ReferralDraft, Status
from pontio.referrals.tests.helpers import (
    CARMS,
    make_person,
    proposed_service,
    refer,
    referral_data,
    service_named,
)

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _denials(**kwargs: Any) -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED, **kwargs).count()


def _details(**changes: Any) -> dict[str, Any]:
    """What an officer types on step 1 (a phone route, consent given)."""
    values: dict[str, Any] = {
        "pathway": "voluntary",
        "source_reference": "WC-2026-114",
        "reason": "Asked for help with cocaine use after a welfare check.",
        "substances": [Substance.objects.get(code="cocaine").pk],
        "risk_notes": "",
        "safeguarding_notes": "",
        "consent_given": "yes",
        "lawful_basis": "",
        "policy_reference": "",
        "preferred_language": "en",
        "contact_channels": ["phone"],
        "contact_times": "Weekday mornings",
        "contact_phone": "07700 900123",
        "address_line_1": "",
        "address_line_2": "",
        "address_town": "",
        "address_postcode": "",
        "release_plan": "",
        "county": County.objects.get(ons_code=CARMS).pk,
    }
    values.update(changes)
    return values


def _create_url(person: Person) -> str:
    return reverse("referrals:create", args=[person.pk])


def _provider_url(person: Person) -> str:
    return reverse("referrals:create-provider", args=[person.pk])


def _through_step_1(client: Client, person: Person, **changes: Any) -> None:
    response = client.post(_create_url(person), _details(**changes))
    assert response.status_code == 302, _text(response)[:3000]
    assert response["Location"] == _provider_url(person)


# --- create: the happy path -------------------------------------------------------------------


def test_step_1_is_prefilled_from_the_person_record(world: dict[str, Any]) -> None:
    person = world["person"]
    Phone.objects.create(person=person, number="+447700900456", kind=Phone.Kind.MOBILE)
    page = _text(demo_sign_in("officer").get(_create_url(person)))
    assert 'value="07700 900456"' in page
    assert 'value="1 Heol y Bryn"' in page and 'value="SA15 1AA"' in page
    county = County.objects.get(ons_code=CARMS)
    assert f'<option value="{county.pk}" selected>' in page
    assert "Only if the person does not consent." in page


def test_an_officer_refers_a_person_in_two_steps_and_sees_it_requested(
    world: dict[str, Any],
) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    _through_step_1(client, person)
    # Nothing typed travels in the URL: it waits in the officer's draft, on the server.
    assert ReferralDraft.objects.get(owner=world["officer"], person=person).data["contact_phone"]
    page = _text(client.get(_provider_url(person)))
    proposed = proposed_service(person, referral_data())
    assert f"Pontio proposes {proposed.display_name}" in page
    assert "Serves Carmarthenshire" in page and "Works with Cocaine" in page
    assert f'value="{proposed.pk}" aria-describedby="service-{proposed.pk}-hint" checked' in page
    assert "Asked for help with cocaine use after a welfare check." in page  # the summary
    response = client.post(_provider_url(person), {"service": proposed.pk})
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.service == proposed and referral.referred_by == world["officer"]
    assert referral.contact_phone == "+447700900123"
    assert not ReferralDraft.objects.filter(person=person).exists()  # sent: deleted
    detail = _text(client.get(response["Location"]))
    assert f"Referral {referral.reference} has been sent to {referral.provider.name}." in detail
    assert "Requested" in detail


def test_sending_twice_makes_one_referral(world: dict[str, Any]) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    _through_step_1(client, person)
    client.get(_provider_url(person))
    draft = ReferralDraft.objects.get(person=person)
    key = draft.idempotency_key
    assert key
    service = proposed_service(person, referral_data())
    first = client.post(_provider_url(person), {"service": service.pk, "key": key})
    # Another device still holding the draft sends it again: the draft (and its key) is
    # the same one, so it finds the referral already made.
    draft.save()
    second = client.post(_provider_url(person), {"service": service.pk, "key": key})
    # And a plain double click, after the draft was deleted.
    third = client.post(_provider_url(person), {"service": service.pk, "key": key})
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"] == third["Location"]
    assert "This referral has already been sent." in _text(client.get(third["Location"]))


def test_change_link_returns_to_step_1_with_what_was_typed(world: dict[str, Any]) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    _through_step_1(client, person, contact_times="After 6pm only")
    page = _text(client.get(_create_url(person)))
    assert 'value="After 6pm only"' in page


def test_step_2_without_step_1_goes_back_to_step_1(world: dict[str, Any]) -> None:
    response = demo_sign_in("officer").get(_provider_url(world["person"]))
    assert response["Location"] == _create_url(world["person"])


def test_step_2_lists_services_that_cannot_take_it_with_why(world: dict[str, Any]) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    _through_step_1(client, person)
    page = _text(client.get(_provider_url(person)))
    assert "Services that cannot take this referral" in page
    assert "DDAS young people's service is for people aged 11 to 25; the person is 36" in page
    assert "does not take referrals through Pontio" in page


# --- create: refusals -------------------------------------------------------------------------


def _step_1_errors(client: Client, person: Person, **changes: Any) -> str:
    response = client.post(_create_url(person), _details(**changes))
    assert response.status_code == 200
    return _text(response)


def test_phone_chosen_without_a_number_says_what_is_missing(world: dict[str, Any]) -> None:
    page = _step_1_errors(demo_sign_in("officer"), world["person"], contact_phone="")
    assert "You chose phone or text: enter a phone number" in page
    assert Referral.objects.count() == 0


def test_no_way_of_contact_is_refused(world: dict[str, Any]) -> None:
    page = _step_1_errors(
        demo_sign_in("officer"), world["person"], contact_phone="", contact_channels=[]
    )
    assert "Choose at least one way to contact the person" in page
    assert (
        "The provider has no way to contact the person. Enter a UK phone number, a full "
        "address (first line, town and postcode) or a custody release plan" in page
    )


def test_in_person_without_a_release_plan_is_refused(world: dict[str, Any]) -> None:
    page = _step_1_errors(
        demo_sign_in("officer"), world["person"], contact_phone="", contact_channels=["in_person"]
    )
    assert "You chose in person: enter the custody release plan" in page


def test_every_problem_shows_at_once(world: dict[str, Any]) -> None:
    page = _step_1_errors(
        demo_sign_in("officer"), world["person"], consent_given="", reason="", contact_phone=""
    )
    assert "Choose yes if the person consents to the referral" in page
    assert "Enter the reason for the referral" in page
    assert "You chose phone or text: enter a phone number" in page
    assert "choose the lawful basis for sharing without consent" not in page


def test_an_empty_post_shows_the_errors(world: dict[str, Any]) -> None:
    response = demo_sign_in("officer").post(_create_url(world["person"]))
    assert response.status_code == 200
    assert "Choose yes if the person consents to the referral" in _text(response)


def test_an_invalid_phone_number_is_refused(world: dict[str, Any]) -> None:
    page = _step_1_errors(demo_sign_in("officer"), world["person"], contact_phone="12345")
    assert "Enter a UK phone number, like 01267 226000 or 07700 900982" in page


def test_a_partial_address_is_refused_field_by_field(world: dict[str, Any]) -> None:
    page = _step_1_errors(
        demo_sign_in("officer"),
        world["person"],
        contact_phone="",
        contact_channels=["letter"],
        address_line_1="4 Stryd Fawr",
    )
    assert "Enter the town or city" in page
    assert "Enter the postcode" in page
    assert '<a href="#id_address_town">Enter the town or city</a>' in page


def test_no_consent_needs_a_lawful_basis_and_a_policy_reference(world: dict[str, Any]) -> None:
    client = demo_sign_in("officer")
    page = _step_1_errors(client, world["person"], consent_given="no")
    assert (
        "The person has not consented: choose the lawful basis for sharing without consent" in page
    )
    assert (
        "Enter the policy reference for sharing without consent, like the information "
        "sharing protocol" in page
    )
    # With both, the referral goes on (the basis is shown in the summary).
    _through_step_1(
        client,
        world["person"],
        consent_given="no",
        lawful_basis="safeguarding",
        policy_reference="WASPI ISP 2024/17",
    )
    page = _text(client.get(_provider_url(world["person"])))
    assert "WASPI ISP 2024/17" in page


def test_choosing_an_ineligible_service_by_editing_the_form_is_refused_and_logged(
    world: dict[str, Any],
) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    _through_step_1(client, person)
    client.get(_provider_url(person))
    young = service_named("DDAS young people's service")
    before = _denials(person_id=str(person.pk))
    response = client.post(_provider_url(person), {"service": young.pk})
    assert response.status_code == 200
    assert (
        "This service cannot take the referral: DDAS young people's service is for people "
        "aged 11 to 25; the person is 36" in _text(response)
    )
    assert Referral.objects.count() == 0
    assert _denials(person_id=str(person.pk)) == before + 1


def test_a_person_of_another_county_needs_break_glass_and_the_denial_is_logged(
    world: dict[str, Any],
) -> None:
    other = world["powys_person"]
    client = demo_sign_in("officer")
    before = _denials(object_id=str(other.pk))
    response = client.get(_create_url(other))
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("accounts:break-glass", args=["people.person", other.pk])
    )
    assert _denials(object_id=str(other.pk)) == before + 1
    response = client.post(_create_url(other), _details())
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("accounts:break-glass", args=["people.person", other.pk])
    )
    assert Referral.objects.count() == 0


def test_a_merged_or_unknown_person_is_not_found(world: dict[str, Any]) -> None:
    merged = make_person("Old", "Record", is_active=False)
    client = demo_sign_in("officer")
    before = _denials(object_id=str(merged.pk))
    assert client.get(_create_url(merged)).status_code == 404
    assert _denials(object_id=str(merged.pk)) == before + 1
    assert client.get(reverse("referrals:create", args=[999999])).status_code == 404


@pytest.mark.parametrize("username", ["caseworker", "provider.manager", "analyst", "panel"])
def test_providers_and_oversight_cannot_refer_or_withdraw(
    world: dict[str, Any], username: str
) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in(username)
    for url in (
        _create_url(world["person"]),
        _provider_url(world["person"]),
        reverse("referrals:withdraw", args=[referral.pk]),
        reverse("referrals:resend", args=[referral.pk]),
        reverse("referrals:alerts"),
    ):
        before = _denials()
        assert client.get(url).status_code == 403, url
        assert _denials() == before + 1
    assert client.post(reverse("referrals:withdraw", args=[referral.pk])).status_code == 403
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED


def test_the_welsh_success_banner_names_the_provider_in_welsh(world: dict[str, Any]) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    client.get("/language/cy/")
    _through_step_1(client, person)
    page = _text(client.get(_provider_url(person)))
    assert "GCAD Llanelli" in page  # the page names the service in Welsh ...
    response = client.post(_provider_url(person), {"service": service_named("DDAS Llanelli").pk})
    detail = _text(client.get(response["Location"]))
    referral = Referral.objects.get()
    banner = detail.split("govuk-notification-banner--success", 1)[1].split("</main>", 1)[0]
    banner = banner.split("govuk-notification-banner__content", 1)[1].split("</div>", 1)[0]
    # ... and so do the banner and the page's provider row: never the English name.
    assert "Gwasanaeth Cyffuriau ac Alcohol Dyfed" in banner
    assert referral.reference in banner
    assert "Dyfed Drug and Alcohol Service" not in detail
