"""Person records (services.records): identity rules, PNC IDs, versions, audited refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.factories import CARMARTHENSHIRE, POWYS, UserFactory

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction
from pontio.people import services
from pontio.people.models import (
    Person,
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


def test_a_pnc_id_already_in_use_is_refused_by_the_service_and_the_refusal_audited(
    officer: Any,
) -> None:
    holder = make_person(pnc_id="12/345678A")
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            context=CONTEXT,
            actor=officer,
            data=PersonData(given_name="Nia", family_name="Lewis", pnc_id="12/345678A"),
        )
    assert [e.code for e in caught.value.error_dict["pnc_id"]] == ["pnc_taken"]
    denial = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert denial.reason == "refused: PNC ID already belongs to another person"
    assert denial.object_type == "people.person"
    assert list(Person.objects.all()) == [holder]

    other = make_person("Nia", "Lewis")
    with pytest.raises(ValidationError):
        services.person_update(
            context=CONTEXT,
            actor=officer,
            person_id=other.pk,
            expected_version=1,
            data=PersonData(given_name="Nia", family_name="Lewis", pnc_id="12/345678a"),
        )
    second = AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("-sequence").first()
    assert second is not None and second.person_id == str(other.pk)
    other.refresh_from_db()
    assert (other.pnc_id, other.version) == ("", 1)


def test_a_pnc_id_is_checked_against_the_whole_force_not_the_actors_area() -> None:
    make_person(pnc_id="12/345678A", county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    carms = UserFactory(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE])
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            context=CONTEXT,
            actor=carms,
            data=PersonData(given_name="Nia", family_name="Lewis", pnc_id="12/345678A"),
        )
    assert _messages(caught.value, "pnc_id") == ["This PNC ID already belongs to another person"]


def test_every_identity_rule_is_reported_at_once(officer: Any) -> None:
    make_person(pnc_id="12/345678A")
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            context=CONTEXT,
            actor=officer,
            data=PersonData(
                given_name=" ",
                family_name="Lewis",
                date_of_birth=timezone.localdate() + dt.timedelta(days=1),
                pnc_id="12/345678A",
                needs_interpreter=True,
            ),
        )
    assert set(caught.value.message_dict) == {
        "given_name",
        "date_of_birth",
        "pnc_id",
        "interpreter_language",
    }


def test_the_identity_check_normalises_and_saves_nothing() -> None:
    checked = services.identity_check(
        given_name=" Siân ",
        family_name="Llewellyn",
        date_of_birth=dt.date(1990, 3, 27),
        pnc_id=" 12/345678x ",
        postcode="sa311aa",
    )
    assert checked == services.CheckedIdentity(
        "Siân", "Llewellyn", dt.date(1990, 3, 27), "12/345678X", "SA31 1AA"
    )
    assert not Person.objects.exists()


def test_the_identity_check_names_each_field_it_refuses() -> None:
    with pytest.raises(ValidationError) as caught:
        services.identity_check(
            given_name="",
            family_name="",
            date_of_birth=dt.date(1899, 1, 1),
            pnc_id="1234",
            postcode="XX",
        )
    assert caught.value.message_dict == {
        "given_name": ["Enter a given name"],
        "family_name": ["Enter a family name"],
        "date_of_birth": ["Date of birth must be after 1 January 1900"],
        "pnc_id": ["Enter a PNC ID in the correct format, like 12/345678A"],
        "postcode": ["Enter a real postcode, like SA31 1AA"],
    }


def test_a_merged_record_cannot_be_changed(officer: Any) -> None:
    person = make_person()
    Person.objects.filter(pk=person.pk).update(is_active=False)
    with pytest.raises(PermissionDenied):
        services.person_update(
            context=CONTEXT,
            actor=officer,
            person_id=person.pk,
            expected_version=1,
            data=PersonData(given_name="David", family_name="Jones"),
        )
