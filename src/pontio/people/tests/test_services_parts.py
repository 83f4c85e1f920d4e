"""Parts of a person record (services.parts): phones, emails, addresses, flags, consent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.factories import CARMARTHENSHIRE, POWYS, UserFactory, county

from pontio.accounts.roles import Role
from pontio.core.concurrency import StaleVersionError
from pontio.people import services
from pontio.people.models import (
    Address,
    ConsentRecord,
    CustodyNumber,
    Email,
    Flag,
    Phone,
)
from pontio.people.tests.helpers import CONTEXT, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> Any:
    return UserFactory(roles=[Role.OFFICER], force_wide=True)


@pytest.fixture
def sergeant() -> Any:
    return UserFactory(roles=[Role.CUSTODY_SERGEANT], force_wide=True)


def _messages(error: ValidationError, field: str) -> list[str]:
    return error.message_dict[field]


# --- phones, emails, postcodes, addresses ----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "e164", "kind"),
    [
        ("01267 226000", "+441267226000", "landline"),
        ("07700 900982", "+447700900982", "mobile"),
        ("+44 1632 960123", "+441632960123", "landline"),
        ("07912 345678", "+447912345678", "mobile"),
    ],
)
def test_uk_phone_numbers_are_stored_in_e164(
    officer: Any, typed: str, e164: str, kind: str
) -> None:
    person = make_person()
    phone = services.phone_add(context=CONTEXT, actor=officer, person_id=person.pk, number=typed)
    assert (phone.number, phone.kind) == (e164, kind)


@pytest.mark.parametrize("typed", ["12345", "not a number", "+33 1 42 68 53 00", "07700 90098"])
def test_invalid_phone_numbers_are_refused(officer: Any, typed: str) -> None:
    person = make_person()
    with pytest.raises(ValidationError) as caught:
        services.phone_add(context=CONTEXT, actor=officer, person_id=person.pk, number=typed)
    assert _messages(caught.value, "number") == [
        "Enter a UK phone number, like 01267 226000 or 07700 900982"
    ]
    assert not Phone.objects.exists()


def test_email_is_validated(officer: Any) -> None:
    person = make_person()
    with pytest.raises(ValidationError) as caught:
        services.email_add(context=CONTEXT, actor=officer, person_id=person.pk, address="nope@")
    assert _messages(caught.value, "address") == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert not Email.objects.exists()
    email = services.email_add(
        context=CONTEXT, actor=officer, person_id=person.pk, address=" Nia@Example.com "
    )
    assert email.address == "nia@example.com"


def _address(postcode: str, moved: dt.date, county_code: str = CARMARTHENSHIRE) -> Any:
    return services.AddressData(
        line_1="2 Stryd Fawr",
        town="Carmarthen",
        postcode=postcode,
        valid_from=moved,
        county=county(county_code),
    )


def test_address_postcode_is_validated_and_normalised(officer: Any) -> None:
    person = make_person()
    with pytest.raises(ValidationError) as caught:
        services.address_add(
            context=CONTEXT,
            actor=officer,
            person_id=person.pk,
            expected_version=1,
            data=_address("SA31", dt.date(2024, 1, 1)),
        )
    assert _messages(caught.value, "postcode") == ["Enter a real postcode, like SA31 1AA"]
    address = services.address_add(
        context=CONTEXT,
        actor=officer,
        person_id=person.pk,
        expected_version=1,
        data=_address("sa311aa", dt.date(2024, 1, 1)),
    )
    assert address.postcode == "SA31 1AA"


def test_a_new_address_closes_the_previous_one_and_keeps_it(officer: Any) -> None:
    person = make_person()
    first = services.address_add(
        context=CONTEXT,
        actor=officer,
        person_id=person.pk,
        expected_version=1,
        data=_address("SA31 1AA", dt.date(2020, 5, 1)),
    )
    second = services.address_add(
        context=CONTEXT,
        actor=officer,
        person_id=person.pk,
        expected_version=2,
        data=_address("LD3 7AB", dt.date(2024, 2, 1), POWYS),
    )
    first.refresh_from_db()
    assert first.valid_to == dt.date(2024, 2, 1)
    assert second.valid_to is None
    assert list(Address.objects.filter(person=person, valid_to=None)) == [second]
    assert Address.objects.filter(person=person).count() == 2
    # A move-in date before the current address's is refused.
    with pytest.raises(ValidationError) as caught:
        services.address_add(
            context=CONTEXT,
            actor=officer,
            person_id=person.pk,
            expected_version=3,
            data=_address("SA31 1AA", dt.date(2023, 1, 1)),
        )
    assert not isinstance(caught.value, StaleVersionError)
    assert _messages(caught.value, "valid_from") == [
        "The date they moved in must be after the date they moved into their current address"
    ]
    # An address form opened before the last change is stale.
    with pytest.raises(StaleVersionError):
        services.address_add(
            context=CONTEXT,
            actor=officer,
            person_id=person.pk,
            expected_version=2,
            data=_address("SA31 1AA", dt.date(2025, 1, 1)),
        )


def test_flag_raise_and_resolve_record_who_when_why(officer: Any) -> None:
    person = make_person()
    with pytest.raises(ValidationError) as caught:
        services.flag_raise(
            context=CONTEXT, actor=officer, person_id=person.pk, kind="safeguarding", reason="x"
        )
    assert _messages(caught.value, "reason") == [
        "Explain in at least 10 characters why you are raising this flag"
    ]
    flag = services.flag_raise(
        context=CONTEXT,
        actor=officer,
        person_id=person.pk,
        kind="safeguarding",
        reason="Two young children at the address.",
    )
    assert flag.raised_by == officer and flag.is_open
    resolved = services.flag_resolve(
        context=CONTEXT,
        actor=officer,
        flag_id=flag.pk,
        expected_version=1,
        resolution="Children's services confirm they are safe.",
    )
    assert resolved.resolved_by == officer and resolved.resolved_at is not None
    with pytest.raises(ValidationError) as again:
        services.flag_resolve(
            context=CONTEXT,
            actor=officer,
            flag_id=flag.pk,
            expected_version=2,
            resolution="Resolved a second time?",
        )
    assert again.value.code == "resolved"


def test_consent_refusal_needs_a_note(officer: Any) -> None:
    person = make_person()
    data = services.ConsentData(
        purpose="referral_to_treatment", basis="consent", given=False, date=dt.date(2026, 1, 5)
    )
    with pytest.raises(ValidationError) as caught:
        services.consent_record(context=CONTEXT, actor=officer, person_id=person.pk, data=data)
    assert "notes" in caught.value.message_dict
    data.notes = "Does not want a referral now."
    record = services.consent_record(context=CONTEXT, actor=officer, person_id=person.pk, data=data)
    assert record.recorded_by == officer


def test_custody_numbers_are_unique(officer: Any) -> None:
    person = make_person()
    services.custody_number_add(context=CONTEXT, actor=officer, person_id=person.pk, number="dp1")
    with pytest.raises(ValidationError) as caught:
        services.custody_number_add(
            context=CONTEXT, actor=officer, person_id=make_person("A", "B").pk, number="D P 1"
        )
    assert _messages(caught.value, "number") == [
        "This custody number is already recorded for a person"
    ]
    assert CustodyNumber.objects.get().person == person


# --- plausible dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moved", "message"),
    [
        (dt.date(1850, 1, 1), "The date they moved in must be on or after their date of birth"),
        (dt.date(1990, 3, 26), "The date they moved in must be on or after their date of birth"),
        (dt.date(9999, 1, 1), "The date they moved in must be today or in the past"),
    ],
)
def test_an_implausible_move_in_date_is_refused_and_nothing_saved(
    officer: Any, moved: dt.date, message: str
) -> None:
    person = make_person(dob=dt.date(1990, 3, 27))
    with pytest.raises(ValidationError) as caught:
        services.address_add(
            context=CONTEXT,
            actor=officer,
            person_id=person.pk,
            expected_version=1,
            data=_address("SA31 1AA", moved),
        )
    assert _messages(caught.value, "valid_from") == [message]
    assert not Address.objects.exists()
    person.refresh_from_db()
    assert person.version == 1


def test_without_a_date_of_birth_a_move_in_date_is_not_before_1900(officer: Any) -> None:
    person = make_person(dob=None)
    with pytest.raises(ValidationError) as caught:
        services.address_add(
            context=CONTEXT,
            actor=officer,
            person_id=person.pk,
            expected_version=1,
            data=_address("SA31 1AA", dt.date(1899, 12, 31)),
        )
    assert _messages(caught.value, "valid_from") == ["The date must be on or after 1 January 1900"]
    assert not Address.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(1999, 12, 31), "The date must be on or after 1 January 2000"),
        (dt.date(9999, 12, 31), "The date must be today or in the past"),
    ],
)
def test_an_implausible_consent_date_is_refused_and_nothing_saved(
    officer: Any, day: dt.date, message: str
) -> None:
    person = make_person()
    data = services.ConsentData(purpose="contact_by_phone", basis="consent", given=True, date=day)
    with pytest.raises(ValidationError) as caught:
        services.consent_record(context=CONTEXT, actor=officer, person_id=person.pk, data=data)
    assert _messages(caught.value, "date") == [message]
    assert not ConsentRecord.objects.exists()


def test_a_consent_record_from_the_first_day_of_2000_is_kept(officer: Any) -> None:
    person = make_person()
    data = services.ConsentData(
        purpose="contact_by_phone", basis="consent", given=True, date=dt.date(2000, 1, 1)
    )
    record = services.consent_record(context=CONTEXT, actor=officer, person_id=person.pk, data=data)
    assert record.date == dt.date(2000, 1, 1)


# --- who may add ------------------------------------------------------------------------


def test_parts_cannot_be_added_to_a_record_outside_the_area() -> None:
    carms = UserFactory(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE])
    powys = make_person(county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    with pytest.raises(PermissionDenied):
        services.phone_add(context=CONTEXT, actor=carms, person_id=powys.pk, number="07700 900123")
    with pytest.raises(PermissionDenied):
        services.flag_raise(
            context=CONTEXT,
            actor=carms,
            person_id=powys.pk,
            kind="safeguarding",
            reason="Two young children at the address.",
        )
    assert not Phone.objects.exists() and not Flag.objects.exists()


def test_a_flag_of_a_record_outside_the_area_cannot_be_resolved(officer: Any) -> None:
    powys = make_person(county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    flag = services.flag_raise(
        context=CONTEXT, actor=officer, person_id=powys.pk, kind="other", reason="Carries a knife."
    )
    carms = UserFactory(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE])
    with pytest.raises(PermissionDenied):
        services.flag_resolve(
            context=CONTEXT,
            actor=carms,
            flag_id=flag.pk,
            expected_version=1,
            resolution="Not my area, resolving anyway.",
        )
    flag.refresh_from_db()
    assert flag.is_open


# --- consent recorded with a referral ---------------------------------------------------------


def test_consent_for_a_referral_is_a_dated_record_for_the_referral_purpose(officer: Any) -> None:
    from django.utils import timezone

    person = make_person()
    record = services.consent_record_for_referral(
        context=CONTEXT,
        actor=officer,
        person_id=person.pk,
        given=False,
        basis="law_enforcement",
        policy_reference=" DPP-ISP-SM-2024 ",
    )
    assert (record.purpose, record.basis, record.given) == (
        ConsentRecord.Purpose.REFERRAL,
        "law_enforcement",
        False,
    )
    assert record.date == timezone.localdate() and record.recorded_by == officer
    assert record.policy_reference == "DPP-ISP-SM-2024"


def test_consent_for_a_referral_needs_a_basis(officer: Any) -> None:
    person = make_person()
    with pytest.raises(ValidationError) as caught:
        services.consent_record_for_referral(
            context=CONTEXT, actor=officer, person_id=person.pk, given=True, basis="telepathy"
        )
    assert "basis" in caught.value.message_dict
    assert not ConsentRecord.objects.exists()


def test_consent_for_a_referral_needs_the_person_in_view(officer: Any) -> None:
    carms = UserFactory(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE])
    powys = make_person(county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    with pytest.raises(PermissionDenied):
        services.consent_record_for_referral(
            context=CONTEXT, actor=carms, person_id=powys.pk, given=True, basis="consent"
        )
    provider = UserFactory(roles=[Role.PROVIDER_CASEWORKER], force_wide=True)
    with pytest.raises(PermissionDenied):
        services.consent_record_for_referral(
            context=CONTEXT, actor=provider, person_id=make_person().pk, given=True, basis="consent"
        )
    assert not ConsentRecord.objects.exists()
