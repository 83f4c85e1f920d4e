"""Business rules of person records: validation, history, merging, versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.factories import CARMARTHENSHIRE, POWYS, UserFactory, county

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction
from pontio.people import services
from pontio.people.models import (
    Address,
    Alias,
    ConsentRecord,
    CustodyNumber,
    Email,
    Flag,
    Person,
    PersonMerge,
    Phone,
)
from pontio.people.services import PersonData
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


# --- date of birth, PNC ID -------------------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "message"),
    [
        (timezone.localdate() + dt.timedelta(days=1), "Date of birth must be in the past"),
        (dt.date(1899, 12, 31), "Date of birth must be after 1 January 1900"),
        (dt.date(1901, 1, 1), "Check the date of birth: the person would be over 120"),
    ],
)
def test_impossible_date_of_birth_is_refused_with_a_specific_message(
    officer: Any, dob: dt.date, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            context=CONTEXT,
            actor=officer,
            data=PersonData(given_name="Nia", family_name="Lewis", date_of_birth=dob),
        )
    assert _messages(caught.value, "date_of_birth") == [message]
    assert not Person.objects.exists()


def test_create_normalises_pnc_id_sets_phonetic_keys_and_audits(officer: Any) -> None:
    person = services.person_create(
        context=CONTEXT,
        actor=officer,
        data=PersonData(
            given_name="Siân", family_name="Llewellyn", pnc_id=" 12/345678x ", gender="female"
        ),
    )
    assert person.pnc_id == "12/345678X"
    assert person.family_name_key and person.given_name_key
    assert person.created_by_organisation_id == officer.organisation_id
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="people.person")
    assert event.person_id == str(person.pk)
    assert ChangeRecord.objects.get(event=event).after["pnc_id"] == "12/345678X"


@pytest.mark.parametrize("pnc", ["12345678X", "123/4567X", "12/12345678X", "12/3456"])
def test_pnc_id_format_is_checked(officer: Any, pnc: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            context=CONTEXT,
            actor=officer,
            data=PersonData(given_name="Nia", family_name="Lewis", pnc_id=pnc),
        )
    assert _messages(caught.value, "pnc_id") == [
        "Enter a PNC ID in the correct format, like 12/345678A"
    ]


def test_duplicate_pnc_id_is_refused_but_a_merged_persons_is_free(officer: Any) -> None:
    make_person(pnc_id="12/345678A")
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            context=CONTEXT,
            actor=officer,
            data=PersonData(given_name="Nia", family_name="Lewis", pnc_id="12/345678a"),
        )
    assert _messages(caught.value, "pnc_id") == ["This PNC ID already belongs to another person"]
    assert Person.objects.count() == 1
    Person.objects.update(is_active=False)
    services.person_create(
        context=CONTEXT,
        actor=officer,
        data=PersonData(given_name="Nia", family_name="Lewis", pnc_id="12/345678A"),
    )


def test_only_police_operational_roles_create_people() -> None:
    caseworker = UserFactory(roles=[Role.PROVIDER_CASEWORKER], counties=[CARMARTHENSHIRE])
    with pytest.raises(PermissionDenied):
        services.person_create(
            context=CONTEXT, actor=caseworker, data=PersonData(given_name="A", family_name="B")
        )


def test_update_with_a_stale_version_is_refused_and_nothing_saved(officer: Any) -> None:
    person = make_person()
    data = PersonData(given_name="David", family_name="Jones")
    services.person_update(
        context=CONTEXT, actor=officer, person_id=person.pk, expected_version=1, data=data
    )
    with pytest.raises(StaleVersionError):
        services.person_update(
            context=CONTEXT,
            actor=officer,
            person_id=person.pk,
            expected_version=1,
            data=PersonData(given_name="Dai", family_name="Jones"),
        )
    person.refresh_from_db()
    assert (person.given_name, person.version) == ("David", 2)


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
    with pytest.raises(ValidationError):
        services.email_add(context=CONTEXT, actor=officer, person_id=person.pk, address="nope@")
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
    with pytest.raises(ValidationError):
        services.address_add(
            context=CONTEXT,
            actor=officer,
            person_id=person.pk,
            expected_version=3,
            data=_address("SA31 1AA", dt.date(2023, 1, 1)),
        )
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
    with pytest.raises(ValidationError):
        services.flag_raise(
            context=CONTEXT, actor=officer, person_id=person.pk, kind="safeguarding", reason="x"
        )
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
    with pytest.raises(ValidationError):
        services.flag_resolve(
            context=CONTEXT,
            actor=officer,
            flag_id=flag.pk,
            expected_version=2,
            resolution="Resolved a second time?",
        )


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
    with pytest.raises(ValidationError):
        services.custody_number_add(
            context=CONTEXT, actor=officer, person_id=make_person("A", "B").pk, number="DP1"
        )


# --- merging ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        (dt.date(1990, 3, 7), dt.date(1990, 3, 7), True),
        (dt.date(1990, 3, 7), dt.date(1990, 7, 3), True),  # day and month swapped
        (dt.date(1990, 3, 12), dt.date(1990, 3, 21), True),  # digits of the day swapped
        (dt.date(1989, 3, 7), dt.date(1998, 3, 7), True),  # digits of the year swapped
        (dt.date(1990, 3, 7), dt.date(1991, 3, 7), False),
        (dt.date(1990, 3, 7), dt.date(1985, 6, 2), False),
        (None, dt.date(1985, 6, 2), True),
    ],
)
def test_dates_compatible(a: dt.date | None, b: dt.date | None, compatible: bool) -> None:
    assert services.dates_compatible(a, b) is compatible


def _full_person(given: str, family: str, dob: dt.date, pnc: str = "") -> Person:
    person = make_person(given, family, dob, county_code=CARMARTHENSHIRE, pnc_id=pnc)
    Alias.objects.create(person=person, given_name=given, family_name="Old" + family)
    Phone.objects.create(person=person, number="+447700900001", kind="mobile")
    Email.objects.create(person=person, address=f"{given.lower()}@example.com")
    Flag.objects.create(
        person=person, kind="vulnerability", reason="x" * 12, raised_at=timezone.now()
    )
    ConsentRecord.objects.create(
        person=person, purpose="contact_by_phone", basis="consent", given=True, date=dob
    )
    CustodyNumber.objects.create(person=person, number=f"C-{given}")
    return person


def _state(person: Person) -> dict[str, Any]:
    person.refresh_from_db()
    values = services.snapshot(person)
    values.pop("version")
    for name, model in services.MERGED_RELATIONS.items():
        values[name] = sorted(
            model._default_manager.filter(person=person).values_list("pk", flat=True)
        )
    return values


def test_merge_moves_everything_and_unmerge_restores_exactly(sergeant: Any) -> None:
    survivor = _full_person("Dafydd", "Jones", dt.date(1990, 3, 7))
    duplicate = _full_person("David", "Jones", dt.date(1990, 7, 3), pnc="12/345678A")
    before = {"survivor": _state(survivor), "duplicate": _state(duplicate)}

    merge = services.person_merge(
        context=CONTEXT,
        actor=sergeant,
        survivor_id=survivor.pk,
        duplicate_id=duplicate.pk,
        reason="Same person: custody photo and address match.",
        survivor_version=1,
        duplicate_version=1,
    )
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert not duplicate.is_active and duplicate.merged_into == survivor
    assert survivor.pnc_id == "12/345678A"  # filled from the duplicate
    for name, model in services.MERGED_RELATIONS.items():
        assert not model._default_manager.filter(person=duplicate).exists(), name
    assert Alias.objects.filter(person=survivor, given_name="David", family_name="Jones").exists()
    assert merge.moved["phones"] and merge.merged_by == sergeant
    assert AuditEvent.objects.filter(object_type="people.personmerge").count() == 1

    services.person_unmerge(
        context=CONTEXT, actor=sergeant, merge_id=merge.pk, reason="They are twins, not one person."
    )
    assert _state(survivor) == before["survivor"]
    assert _state(duplicate) == before["duplicate"]
    merge.refresh_from_db()
    assert merge.is_undone and merge.unmerged_by == sergeant
    with pytest.raises(ValidationError):
        services.person_unmerge(
            context=CONTEXT, actor=sergeant, merge_id=merge.pk, reason="Undo the undo, please."
        )


@pytest.mark.parametrize(
    ("dob_a", "pnc_a", "dob_b", "pnc_b", "message"),
    [
        (
            dt.date(1990, 3, 7),
            "12/1A",
            dt.date(1990, 3, 7),
            "13/2B",
            "The records have different PNC IDs, so they cannot be the same person.",
        ),
        (
            dt.date(1990, 3, 7),
            "",
            dt.date(1975, 11, 20),
            "",
            "The dates of birth differ by more than a typing slip, so the records cannot be "
            "the same person.",
        ),
    ],
)
def test_conflicting_merge_is_refused_and_nothing_changes(
    sergeant: Any, dob_a: dt.date, pnc_a: str, dob_b: dt.date, pnc_b: str, message: str
) -> None:
    a = make_person("Rhys", "Evans", dob_a, pnc_id=pnc_a)
    b = make_person("Rhys", "Evans", dob_b, pnc_id=pnc_b)
    with pytest.raises(ValidationError) as caught:
        services.person_merge(
            context=CONTEXT,
            actor=sergeant,
            survivor_id=a.pk,
            duplicate_id=b.pk,
            reason="Looks like the same person.",
            survivor_version=1,
            duplicate_version=1,
        )
    assert caught.value.messages == [message]
    assert not PersonMerge.objects.exists()
    b.refresh_from_db()
    assert b.is_active and b.version == 1


def test_merge_needs_the_merge_permission_and_current_versions(officer: Any, sergeant: Any) -> None:
    a, b = make_person(), make_person("David")
    kwargs = {
        "context": CONTEXT,
        "survivor_id": a.pk,
        "duplicate_id": b.pk,
        "reason": "The same person twice.",
        "duplicate_version": 1,
    }
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=officer, survivor_version=1, **kwargs)
    with pytest.raises(StaleVersionError):
        services.person_merge(actor=sergeant, survivor_version=7, **kwargs)
    assert not PersonMerge.objects.exists()


def test_merge_needs_both_records_in_scope() -> None:
    carms_sergeant = UserFactory(roles=[Role.CUSTODY_SERGEANT], counties=[CARMARTHENSHIRE])
    a = make_person(county_code=CARMARTHENSHIRE)
    b = make_person("David", county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    with pytest.raises(PermissionDenied):
        services.person_merge(
            context=CONTEXT,
            actor=carms_sergeant,
            survivor_id=a.pk,
            duplicate_id=b.pk,
            reason="The same person twice.",
            survivor_version=1,
            duplicate_version=1,
        )
