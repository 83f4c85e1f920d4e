"""Sending a referral: the one proposal, the one idempotency rule, the one field list."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pontio.directory.models import Service
from pontio.referrals import routing, services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.forms.police import ReferralForm, data_from_draft, draft_of
from pontio.referrals.models import Referral
from pontio.referrals.tests.helpers import CONTEXT, make_person, referral_data


def _send(world: dict[str, Any], key: str = "", **changes: Any) -> tuple[Referral, bool]:
    service = changes.pop("service", None)
    return services.referral_create(
        context=CONTEXT,
        actor=world["officer"],
        person_id=changes.pop("person", world["person"]).pk,
        data=referral_data(**changes),
        service_id=service.pk if service else None,
        idempotency_key=key,
    )


# --- the proposal ---------------------------------------------------------------------------


def test_the_options_and_the_proposal_come_from_the_routing_rules(world: dict[str, Any]) -> None:
    person, data = world["person"], referral_data()
    options, proposed = services.service_options(person, data)
    expected = routing.route(services.need_for(person, data))
    assert [o.service.pk for o in options] == [o.service.pk for o in expected]
    assert proposed is not None and proposed.service == routing.proposal(expected).service
    assert proposed.eligible


def test_sending_without_a_service_sends_to_the_proposed_one(world: dict[str, Any]) -> None:
    _options, proposed = services.service_options(world["person"], referral_data())
    referral, created = _send(world)
    assert created and proposed is not None
    assert referral.service == proposed.service == referral.proposed_service


def test_sending_to_another_eligible_service_keeps_the_proposal_on_record(
    world: dict[str, Any],
) -> None:
    options, proposed = services.service_options(world["person"], referral_data())
    other = next(o.service for o in options if o.eligible and o.service != proposed.service)
    referral, _created = _send(world, service=other)
    assert referral.service == other and referral.proposed_service == proposed.service


def test_when_no_service_can_take_it_sending_without_a_service_says_so(
    world: dict[str, Any],
) -> None:
    Service.objects.update(status=Service.Status.INACTIVE)
    with pytest.raises(ValidationError) as error:
        _send(world)
    assert error.value.message_dict == {
        "service": ["No service can take this referral: choose one from the directory"]
    }


# --- idempotency -----------------------------------------------------------------------------


def test_the_same_key_and_the_same_referral_return_the_first(world: dict[str, Any]) -> None:
    first, created = _send(world, key="k-1")
    again, created_again = _send(world, key="k-1")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and Referral.objects.count() == 1


def test_a_retry_without_a_service_matches_the_service_first_chosen(
    world: dict[str, Any],
) -> None:
    options, proposed = services.service_options(world["person"], referral_data())
    other = next(o.service for o in options if o.eligible and o.service != proposed.service)
    first, _created = _send(world, key="k-2", service=other)
    again, created = _send(world, key="k-2")
    assert not created and again.pk == first.pk


@pytest.mark.parametrize(
    "changes",
    [
        {"reason": "Another reason altogether."},
        {"pathway": "custody"},
        {"contact": ContactRoute(phone="07700 900999", channels=["phone"])},
        {"consent_given": False, "lawful_basis": "safeguarding", "policy_reference": "ISP 1"},
    ],
)
def test_the_same_key_with_a_different_referral_is_refused(
    world: dict[str, Any], changes: dict[str, Any]
) -> None:
    _send(world, key="k-3")
    with pytest.raises(ValidationError) as error:
        _send(world, key="k-3", **changes)
    assert error.value.code == "idempotency_key_reused"
    assert Referral.objects.count() == 1


def test_the_same_key_for_another_person_or_service_is_refused(world: dict[str, Any]) -> None:
    first, _created = _send(world, key="k-4")
    options, _proposed = services.service_options(world["person"], referral_data())
    other = next(o.service for o in options if o.eligible and o.service != first.service)
    for changes in ({"person": make_person("Megan", "Rees")}, {"service": other}):
        with pytest.raises(ValidationError) as error:
            _send(world, key="k-4", **changes)
        assert error.value.code == "idempotency_key_reused"
    assert Referral.objects.count() == 1


def test_another_officer_may_use_the_same_key(world: dict[str, Any]) -> None:
    _send(world, key="shared")
    referral, created = services.referral_create(
        context=CONTEXT,
        actor=world["custody.officer"],
        person_id=world["person"].pk,
        data=referral_data(),
        idempotency_key="shared",
    )
    assert created and referral.referred_by == world["custody.officer"]


def test_the_page_second_click_finds_the_referral_by_its_key_alone(world: dict[str, Any]) -> None:
    first, _created = _send(world, key="k-5")
    assert services.repeated_send(actor=world["officer"], key="k-5") == first
    assert services.repeated_send(actor=world["officer"], key="other") is None
    # The lookup goes through the officer's scope: another officer's key finds nothing.
    assert services.repeated_send(actor=world["custody.officer"], key="k-5") is None


def test_an_idempotency_key_must_be_given_when_required_and_short(world: dict[str, Any]) -> None:
    assert services.check_idempotency_key("  abc ", required=True) == "abc"
    assert services.check_idempotency_key("", required=False) == ""
    with pytest.raises(ValidationError) as missing:
        services.check_idempotency_key("  ", required=True)
    assert missing.value.code == "idempotency_key_required"
    with pytest.raises(ValidationError) as long:
        services.check_idempotency_key("x" * 81, required=False)
    assert long.value.code == "idempotency_key_too_long"


# --- one field list ----------------------------------------------------------------------------


def test_the_flat_field_names_are_the_referrals_own(world: dict[str, Any]) -> None:
    model_fields = {f.name for f in Referral._meta.get_fields()}
    assert set(services.FLAT_FIELDS) <= model_fields
    names = {f.name for f in fields(services.ReferralData)} - {"contact"}
    names |= set(services.CONTACT_FIELDS.values())
    assert names == set(services.FLAT_FIELDS)


def test_data_survive_the_draft_and_the_referral_unchanged(world: dict[str, Any]) -> None:
    data = services.check_referral_data(
        referral_data(risk_notes="Dog at the address", source_reference="WC-1"), world["person"]
    )
    assert data_from_draft(draft_of(data)) == data
    referral, _created = _send(world, risk_notes="Dog at the address", source_reference="WC-1")
    assert services.data_of(referral) == data


def test_the_draft_is_the_forms_initial_values(world: dict[str, Any]) -> None:
    data = services.check_referral_data(referral_data(), world["person"])
    draft = draft_of(data)
    assert set(draft) <= set(ReferralForm.base_fields)
    assert draft["consent_given"] == "yes" and draft["contact_channels"] == ["phone", "text"]
