"""Merging duplicates (services.merges): what moves, conflicts, undoing, scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.factories import CARMARTHENSHIRE, POWYS, UserFactory

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction
from pontio.people import services
from pontio.people.models import (
    Alias,
    ConsentRecord,
    CustodyNumber,
    Email,
    Flag,
    Person,
    PersonMerge,
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
    with pytest.raises(ValidationError) as again:
        services.person_unmerge(
            context=CONTEXT, actor=sergeant, merge_id=merge.pk, reason="Undo the undo, please."
        )
    assert again.value.code == "undone"


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


def test_a_refused_merge_of_conflicting_records_is_audited_by_the_service(sergeant: Any) -> None:
    a = make_person("Rhys", "Evans", dt.date(1980, 1, 2), pnc_id="11/1A")
    b = make_person("Rhys", "Evans", dt.date(1980, 1, 2), pnc_id="12/2B")
    with pytest.raises(ValidationError):
        services.person_merge(
            context=CONTEXT,
            actor=sergeant,
            survivor_id=a.pk,
            duplicate_id=b.pk,
            reason="Looks like the same person.",
            survivor_version=1,
            duplicate_version=1,
        )
    denial = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert denial.reason == f"merge refused: records conflict (duplicate {b.pk})"
    assert (denial.object_id, denial.person_id) == (str(a.pk), str(a.pk))
    assert not PersonMerge.objects.exists()


def test_a_merge_into_the_same_record_is_refused(sergeant: Any) -> None:
    a = make_person()
    with pytest.raises(ValidationError) as caught:
        services.person_merge(
            context=CONTEXT,
            actor=sergeant,
            survivor_id=a.pk,
            duplicate_id=a.pk,
            reason="The same person twice.",
            survivor_version=1,
            duplicate_version=1,
        )
    assert caught.value.code == "same"


def test_an_unmerge_needs_the_survivor_in_scope(sergeant: Any) -> None:
    survivor = make_person("Dafydd", "Jones", dt.date(1990, 3, 7), county_code=POWYS,
                           postcode="LD3 7AB", town="Brecon")  # fmt: skip
    duplicate = make_person("David", "Jones", dt.date(1990, 7, 3))
    merge = services.person_merge(
        context=CONTEXT,
        actor=sergeant,
        survivor_id=survivor.pk,
        duplicate_id=duplicate.pk,
        reason="Same person: custody photo and address match.",
        survivor_version=1,
        duplicate_version=1,
    )
    carms_sergeant = UserFactory(roles=[Role.CUSTODY_SERGEANT], counties=[CARMARTHENSHIRE])
    with pytest.raises(PermissionDenied):
        services.person_unmerge(
            context=CONTEXT, actor=carms_sergeant, merge_id=merge.pk, reason="They are twins."
        )
    merge.refresh_from_db()
    assert not merge.is_undone
