"""Writes to person records: each in one transaction with its audit event (person id set).

Rules live here: impossible dates of birth, PNC ID format and uniqueness, UK phone numbers and
postcodes, address history, flags, consent, and merging duplicates reversibly. Police
processing of these records is law enforcement processing under DPA 2018 Part 3; see
``people.models`` for the lawful bases recorded per purpose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record, jsonable
from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.phones import normalise_uk_phone
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people.models import (
    IDENTITY_FIELDS,
    PNC_ID_RE,
    Address,
    Alias,
    ConsentRecord,
    CustodyNumber,
    Email,
    Flag,
    Person,
    PersonMerge,
    Phone,
    is_postcode,
    normalise_pnc_id,
    normalise_postcode,
)

SNAPSHOT_EXCLUDE = {"created_at", "updated_at", "family_name_key", "given_name_key"}
MAX_AGE_YEARS = 120
EARLIEST_BIRTH = dt.date(1900, 1, 1)
PHONE_MESSAGE = "Enter a UK phone number, like 01267 226000 or 07700 900982"

# Relations that move from the duplicate to the survivor on a merge (name -> model).
MERGED_RELATIONS: dict[str, type[models.Model]] = {
    "aliases": Alias,
    "addresses": Address,
    "phones": Phone,
    "emails": Email,
    "flags": Flag,
    "consents": ConsentRecord,
    "custody_numbers": CustodyNumber,
}
# Survivor fields filled from the duplicate when the survivor has none.
FILLED_FIELDS = ("date_of_birth", "pnc_id", "gender", "self_defined_ethnicity")
RESTORED_FIELDS = (
    *IDENTITY_FIELDS,
    "created_by_organisation",
    "merged_into",
    "is_active",
)


def snapshot(obj: models.Model) -> dict[str, Any]:
    return snapshot_fields(obj, exclude=SNAPSHOT_EXCLUDE)


def _lock_person(actor: User, person_id: int, action: str = "change") -> Person:
    """The active person, locked, if the actor may change them; otherwise PermissionDenied."""
    person = (
        restrict(Person.objects.select_for_update(), actor, action)
        .filter(pk=person_id, is_active=True)
        .first()
    )
    if person is None:
        raise PermissionDenied
    return person


# --- validation -----------------------------------------------------------------------


def validate_date_of_birth(value: dt.date | None, today: dt.date | None = None) -> None:
    if value is None:
        return
    today = today or timezone.localdate()
    if value > today:
        raise ValidationError(
            {"date_of_birth": [_("Date of birth must be in the past")]}, code="future"
        )
    if value < EARLIEST_BIRTH:
        raise ValidationError(
            {"date_of_birth": [_("Date of birth must be after 1 January 1900")]}, code="too_old"
        )
    try:
        limit = today.replace(year=today.year - MAX_AGE_YEARS)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - MAX_AGE_YEARS, day=28)
    if value < limit:
        raise ValidationError(
            {"date_of_birth": [_("Check the date of birth: the person would be over 120")]},
            code="too_old",
        )


def clean_pnc_id(value: str, *, exclude_pk: int | None = None) -> str:
    pnc_id = normalise_pnc_id(value)
    if not pnc_id:
        return ""
    if not PNC_ID_RE.match(pnc_id):
        raise ValidationError(
            {"pnc_id": [_("Enter a PNC ID in the correct format, like 12/345678A")]},
            code="pnc_format",
        )
    others = Person.objects.filter(pnc_id=pnc_id, is_active=True)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        message = _("This PNC ID already belongs to another person")
        raise ValidationError({"pnc_id": [ValidationError(message, code="pnc_taken")]})
    return pnc_id


def clean_phone(value: str) -> tuple[str, str]:
    """A UK number as (E.164, kind); ValidationError with the GOV.UK message otherwise."""
    try:
        e164 = normalise_uk_phone(value)
    except ValidationError:
        raise ValidationError({"number": [_(PHONE_MESSAGE)]}, code="phone") from None
    mobile = e164.startswith("+447") and not e164.startswith("+4470")
    return e164, (Phone.Kind.MOBILE if mobile else Phone.Kind.LANDLINE)


def clean_postcode(value: str) -> str:
    if not is_postcode(value):
        raise ValidationError(
            {"postcode": [_("Enter a real postcode, like SA31 1AA")]}, code="postcode"
        )
    return normalise_postcode(value)


# --- people ---------------------------------------------------------------------------


@dataclass
class PersonData:
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    gender: str = "not_stated"
    self_defined_ethnicity: str = "NS"
    pnc_id: str = ""
    preferred_language: str = "en"
    needs_interpreter: bool = False
    interpreter_language: str = ""


def _validate_person(data: PersonData, exclude_pk: int | None = None) -> str:
    errors: dict[str, list[Any]] = {}
    if not data.given_name.strip():
        errors["given_name"] = [_("Enter a given name")]
    if not data.family_name.strip():
        errors["family_name"] = [_("Enter a family name")]
    if data.needs_interpreter and not data.interpreter_language.strip():
        errors["interpreter_language"] = [_("Enter the language the interpreter must speak")]
    pnc_id = ""
    for check in (
        lambda: validate_date_of_birth(data.date_of_birth),
        lambda: clean_pnc_id(data.pnc_id, exclude_pk=exclude_pk),
    ):
        try:
            result = check()
        except ValidationError as error:
            for name, field_errors in error.error_dict.items():
                errors.setdefault(name, []).extend(field_errors)
        else:
            if isinstance(result, str):
                pnc_id = result
    if errors:
        raise ValidationError(errors)
    return pnc_id


def _apply(person: Person, data: PersonData, pnc_id: str) -> None:
    person.given_name = data.given_name.strip()
    person.family_name = data.family_name.strip()
    person.date_of_birth = data.date_of_birth
    person.gender = data.gender
    person.self_defined_ethnicity = data.self_defined_ethnicity
    person.pnc_id = pnc_id
    person.preferred_language = data.preferred_language
    person.needs_interpreter = data.needs_interpreter
    person.interpreter_language = (
        data.interpreter_language.strip() if data.needs_interpreter else ""
    )


@transaction.atomic
def person_create(*, context: AuditContext, actor: User, data: PersonData) -> Person:
    require_permission(actor, "people.change_person")
    pnc_id = _validate_person(data)
    person = Person(created_by_organisation_id=actor.organisation_id)
    _apply(person, data, pnc_id)
    person.save()
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=person,
        person_id=person.pk,
        before={},
        after=snapshot(person),
    )
    return person


@transaction.atomic
def person_update(
    *,
    context: AuditContext,
    actor: User,
    person_id: int,
    expected_version: int | None,
    data: PersonData,
) -> Person:
    require_permission(actor, "people.change_person")
    person = _lock_person(actor, person_id)
    before = snapshot(person)
    check_version(person, expected_version)
    pnc_id = _validate_person(data, exclude_pk=person.pk)
    _apply(person, data, pnc_id)
    person.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=person,
        person_id=person.pk,
        before=before,
        after=snapshot(person),
    )
    return person


def _created(context: AuditContext, obj: models.Model, person: Person) -> None:
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=obj,
        person_id=person.pk,
        before={},
        after=snapshot(obj),
    )


# --- parts of a person ---------------------------------------------------------------


@dataclass
class AddressData:
    line_1: str
    town: str
    postcode: str
    valid_from: dt.date
    line_2: str = ""
    county: County | None = None


@transaction.atomic
def address_add(
    *,
    context: AuditContext,
    actor: User,
    person_id: int,
    expected_version: int | None,
    data: AddressData,
) -> Address:
    """Add the current address; the previous current one is closed the day before, not lost."""
    require_permission(actor, "people.change_person")
    person = _lock_person(actor, person_id)
    errors: dict[str, list[str]] = {}
    postcode = ""
    try:
        postcode = clean_postcode(data.postcode)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not data.line_1.strip():
        errors["line_1"] = [_("Enter the first line of the address")]
    if not data.town.strip():
        errors["town"] = [_("Enter the town or city")]
    if data.valid_from > timezone.localdate():
        errors["valid_from"] = [_("The date they moved in must be today or in the past")]
    current = list(Address.objects.select_for_update().filter(person=person, valid_to=None))
    if any(a.valid_from > data.valid_from for a in current):
        errors.setdefault("valid_from", []).append(
            _("The date they moved in must be after the date they moved into their current address")
        )
    if errors:
        raise ValidationError(errors)
    before_person = {"version": person.version}
    check_version(person, expected_version)
    person.save(update_fields=["version", "updated_at"])
    for old in current:
        old_values = snapshot(old)
        old.valid_to = data.valid_from
        old.save(update_fields=["valid_to"])
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=old,
            person_id=person.pk,
            before=old_values,
            after=snapshot(old),
        )
    address = Address.objects.create(
        person=person,
        line_1=data.line_1.strip(),
        line_2=data.line_2.strip(),
        town=data.town.strip(),
        county=data.county,
        postcode=postcode,
        valid_from=data.valid_from,
        recorded_by=actor,
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=person,
        person_id=person.pk,
        before=before_person,
        after={"version": person.version},
    )
    _created(context, address, person)
    return address


@transaction.atomic
def phone_add(*, context: AuditContext, actor: User, person_id: int, number: str) -> Phone:
    require_permission(actor, "people.change_person")
    person = _lock_person(actor, person_id)
    e164, kind = clean_phone(number)
    if Phone.objects.filter(person=person, number=e164, is_current=True).exists():
        raise ValidationError({"number": [_("This phone number is already on the record")]})
    phone = Phone.objects.create(person=person, number=e164, kind=kind, recorded_by=actor)
    _created(context, phone, person)
    return phone


@transaction.atomic
def email_add(*, context: AuditContext, actor: User, person_id: int, address: str) -> Email:
    require_permission(actor, "people.change_person")
    person = _lock_person(actor, person_id)
    value = (address or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            {"address": [_("Enter an email address in the correct format, like name@example.com")]}
        ) from None
    if Email.objects.filter(person=person, address=value, is_current=True).exists():
        raise ValidationError({"address": [_("This email address is already on the record")]})
    email = Email.objects.create(person=person, address=value, recorded_by=actor)
    _created(context, email, person)
    return email


@transaction.atomic
def alias_add(
    *, context: AuditContext, actor: User, person_id: int, given_name: str, family_name: str
) -> Alias:
    require_permission(actor, "people.change_person")
    person = _lock_person(actor, person_id)
    if not family_name.strip():
        raise ValidationError({"family_name": [_("Enter the family name they used")]})
    alias = Alias.objects.create(
        person=person,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        recorded_by=actor,
    )
    _created(context, alias, person)
    return alias


@transaction.atomic
def custody_number_add(
    *, context: AuditContext, actor: User, person_id: int, number: str
) -> CustodyNumber:
    require_permission(actor, "people.change_person")
    person = _lock_person(actor, person_id)
    value = "".join((number or "").split()).upper()
    if not value:
        raise ValidationError({"number": [_("Enter the custody number")]})
    if CustodyNumber.objects.filter(number=value).exists():
        raise ValidationError(
            {"number": [_("This custody number is already recorded for a person")]}
        )
    custody = CustodyNumber.objects.create(person=person, number=value, recorded_by=actor)
    _created(context, custody, person)
    return custody


@transaction.atomic
def flag_raise(
    *, context: AuditContext, actor: User, person_id: int, kind: str, reason: str
) -> Flag:
    require_permission(actor, "people.change_person")
    person = _lock_person(actor, person_id)
    errors: dict[str, list[str]] = {}
    if kind not in Flag.Kind.values:
        errors["kind"] = [_("Choose the type of flag")]
    if len(reason.strip()) < 10:
        errors["reason"] = [_("Explain in at least 10 characters why you are raising this flag")]
    if errors:
        raise ValidationError(errors)
    flag = Flag.objects.create(
        person=person, kind=kind, reason=reason.strip(), raised_by=actor, raised_at=timezone.now()
    )
    _created(context, flag, person)
    return flag


@transaction.atomic
def flag_resolve(
    *,
    context: AuditContext,
    actor: User,
    flag_id: int,
    expected_version: int | None,
    resolution: str,
) -> Flag:
    require_permission(actor, "people.change_person")
    flag = restrict(Flag.objects.select_for_update(), actor, "change").filter(pk=flag_id).first()
    if flag is None:
        raise PermissionDenied
    if flag.resolved_at is not None:
        raise ValidationError(_("This flag has already been resolved."), code="resolved")
    if len(resolution.strip()) < 10:
        raise ValidationError(
            {"resolution": [_("Explain in at least 10 characters how the flag was resolved")]}
        )
    before = snapshot(flag)
    check_version(flag, expected_version)
    flag.resolved_at = timezone.now()
    flag.resolved_by = actor
    flag.resolution = resolution.strip()
    flag.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=flag,
        person_id=flag.person_id,
        before=before,
        after=snapshot(flag),
    )
    return flag


@dataclass
class ConsentData:
    purpose: str
    basis: str
    given: bool
    date: dt.date
    notes: str = ""


@transaction.atomic
def consent_record(
    *, context: AuditContext, actor: User, person_id: int, data: ConsentData
) -> ConsentRecord:
    require_permission(actor, "people.change_person")
    person = _lock_person(actor, person_id)
    errors: dict[str, list[str]] = {}
    if data.purpose not in ConsentRecord.Purpose.values:
        errors["purpose"] = [_("Choose what the consent is for")]
    if data.basis not in ConsentRecord.Basis.values:
        errors["basis"] = [_("Choose the lawful basis")]
    if data.date > timezone.localdate():
        errors["date"] = [_("The date must be today or in the past")]
    if data.basis == ConsentRecord.Basis.CONSENT and not data.given and not data.notes.strip():
        errors["notes"] = [_("Enter what the person said when they refused consent")]
    if errors:
        raise ValidationError(errors)
    record = ConsentRecord.objects.create(
        person=person,
        purpose=data.purpose,
        basis=data.basis,
        given=data.given,
        date=data.date,
        notes=data.notes.strip(),
        recorded_by=actor,
    )
    _created(context, record, person)
    return record


# --- merging duplicates --------------------------------------------------------------


def dates_compatible(a: dt.date | None, b: dt.date | None) -> bool:
    """Equal, missing, day and month swapped, or two adjacent digits transposed."""
    if a is None or b is None or a == b:
        return True
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return True
    s1, s2 = a.strftime("%d%m%Y"), b.strftime("%d%m%Y")
    diffs = [i for i in range(len(s1)) if s1[i] != s2[i]]
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and s1[diffs[0]] == s2[diffs[1]]
        and s1[diffs[1]] == s2[diffs[0]]
    )


def merge_conflicts(survivor: Person, duplicate: Person) -> list[str]:
    """Why two records cannot be the same person (empty if they can be merged)."""
    conflicts = []
    if survivor.pnc_id and duplicate.pnc_id and survivor.pnc_id != duplicate.pnc_id:
        conflicts.append(
            _("The records have different PNC IDs, so they cannot be the same person.")
        )
    if not dates_compatible(survivor.date_of_birth, duplicate.date_of_birth):
        conflicts.append(
            _(
                "The dates of birth differ by more than a typing slip, so the records cannot "
                "be the same person."
            )
        )
    return conflicts


@dataclass
class MergeResult:
    merge: PersonMerge
    moved: dict[str, list[int]] = field(default_factory=dict)


def _field(name: str) -> models.Field[Any, Any]:
    return cast("models.Field[Any, Any]", Person._meta.get_field(name))


def _restore_fields(person: Person, values: dict[str, Any]) -> None:
    for name in RESTORED_FIELDS:
        if name in values:
            model_field = _field(name)
            setattr(person, model_field.attname, model_field.to_python(values[name]))


def _audit_both_people(
    context: AuditContext, reason: str, *changes: tuple[Person, dict[str, Any]]
) -> None:
    """A merge or unmerge changes two person records: one audited update for each."""
    for person, before in changes:
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=person,
            person_id=person.pk,
            reason=reason,
            before=before,
            after=snapshot(person),
        )


@transaction.atomic
def person_merge(
    *,
    context: AuditContext,
    actor: User,
    survivor_id: int,
    duplicate_id: int,
    reason: str,
    survivor_version: int | None,
    duplicate_version: int | None,
) -> PersonMerge:
    """Merge ``duplicate`` into ``survivor``: its rows move, it becomes inactive; undoable."""
    require_permission(actor, "people.merge_person")
    if survivor_id == duplicate_id:
        raise ValidationError(_("Choose two different records to merge."), code="same")
    first, second = sorted([survivor_id, duplicate_id])  # lock in a stable order
    locked = {first: _lock_person(actor, first), second: _lock_person(actor, second)}
    survivor, duplicate = locked[survivor_id], locked[duplicate_id]
    if len(reason.strip()) < 10:
        raise ValidationError(
            {"reason": [_("Explain in at least 10 characters why these are the same person")]}
        )
    conflicts = merge_conflicts(survivor, duplicate)
    if conflicts:
        raise ValidationError(conflicts, code="conflict")
    survivor_before, duplicate_before = snapshot(survivor), snapshot(duplicate)
    check_version(survivor, survivor_version)
    check_version(duplicate, duplicate_version)

    moved: dict[str, Any] = {}
    for name, model in MERGED_RELATIONS.items():
        ids = sorted(model._default_manager.filter(person=duplicate).values_list("pk", flat=True))
        model._default_manager.filter(pk__in=ids).update(person=survivor)
        moved[name] = ids
    # The duplicate leaves the active records: free its PNC ID before the survivor takes it.
    duplicate.is_active = False
    duplicate.merged_into = survivor
    duplicate.save()
    filled = {}
    for name in FILLED_FIELDS:
        empty = getattr(Person._meta.get_field(name), "default", None)
        if getattr(survivor, name) in (None, "", empty) and getattr(duplicate, name) not in (
            None,
            "",
            empty,
        ):
            filled[name] = getattr(survivor, name)
            setattr(survivor, name, getattr(duplicate, name))
    survivor.save()
    created_alias = None
    names = {(survivor.given_name.lower(), survivor.family_name.lower())} | {
        (a.given_name.lower(), a.family_name.lower()) for a in Alias.objects.filter(person=survivor)
    }
    if (duplicate.given_name.lower(), duplicate.family_name.lower()) not in names:
        created_alias = Alias.objects.create(
            person=survivor,
            given_name=duplicate.given_name,
            family_name=duplicate.family_name,
            recorded_by=actor,
        ).pk
    moved["created_alias"] = created_alias
    merge = PersonMerge.objects.create(
        survivor=survivor,
        duplicate=duplicate,
        reason=reason.strip(),
        merged_by=actor,
        moved=moved,
        duplicate_before=jsonable(duplicate_before),
        survivor_before=jsonable({k: survivor_before[k] for k in filled}),
    )
    _audit_both_people(
        context, f"merge {merge.pk}", (survivor, survivor_before), (duplicate, duplicate_before)
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=merge,
        person_id=survivor.pk,
        before={},
        after={"survivor": survivor.pk, "duplicate": duplicate.pk, "moved": moved},
    )
    return merge


@transaction.atomic
def person_unmerge(
    *, context: AuditContext, actor: User, merge_id: int, reason: str
) -> PersonMerge:
    """Undo a merge: the moved rows go back, both records get their own values again."""
    require_permission(actor, "people.merge_person")
    merge = (
        restrict(PersonMerge.objects.select_for_update(), actor, "change")
        .filter(pk=merge_id)
        .first()
    )
    if merge is None:
        raise PermissionDenied
    if merge.unmerged_at is not None:
        raise ValidationError(_("This merge has already been undone."), code="undone")
    if len(reason.strip()) < 10:
        raise ValidationError(
            {"reason": [_("Explain in at least 10 characters why the merge was wrong")]}
        )
    survivor = _lock_person(actor, merge.survivor_id)
    duplicate = Person.objects.select_for_update().get(pk=merge.duplicate_id)
    if duplicate.merged_into_id != survivor.pk or duplicate.is_active:
        raise ValidationError(_("This merge can no longer be undone."), code="changed")
    survivor_before, duplicate_before = snapshot(survivor), snapshot(duplicate)
    # The survivor gives back what it was filled with first (it may free the PNC ID).
    for name, value in merge.survivor_before.items():
        setattr(survivor, name, _field(name).to_python(value))
    survivor.version += 1
    survivor.save()
    restored_pnc = str(merge.duplicate_before.get("pnc_id") or "")
    if (
        restored_pnc
        and Person.objects.filter(pnc_id=restored_pnc, is_active=True)
        .exclude(pk=duplicate.pk)
        .exists()
    ):
        raise ValidationError(
            _("The merge cannot be undone: its PNC ID now belongs to another active person."),
            code="pnc_taken",
        )
    _restore_fields(duplicate, merge.duplicate_before)
    duplicate.version += 1
    duplicate.save()
    created_alias = merge.moved.get("created_alias")
    if created_alias:
        Alias.objects.filter(pk=created_alias, person=survivor).delete()
    for name, model in MERGED_RELATIONS.items():
        ids = merge.moved.get(name, [])
        model._default_manager.filter(pk__in=ids, person=survivor).update(person=duplicate)
    merge.unmerged_at = timezone.now()
    merge.unmerged_by = actor
    merge.unmerge_reason = reason.strip()
    merge.save()
    _audit_both_people(
        context, f"unmerge {merge.pk}", (survivor, survivor_before), (duplicate, duplicate_before)
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=merge,
        person_id=survivor.pk,
        before={"unmerged_at": None},
        after={"unmerged_at": merge.unmerged_at, "unmerged_by": actor.pk},
    )
    return merge
