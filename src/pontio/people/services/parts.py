"""Writes of the parts of a person record: addresses (with their history), phones, emails,
other names, custody numbers, flags and consent records.

Each adds one row in one transaction with its audit event (person id set), after
``lock_person`` has checked that adding parts (``actions.ADD_PARTS``) is open to the actor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people import validation
from pontio.people.actions import ADD_PARTS, RESOLVE_FLAG, require_action
from pontio.people.models import (
    Address,
    Alias,
    ConsentRecord,
    CustodyNumber,
    Email,
    Flag,
    Person,
    Phone,
)
from pontio.people.services.records import audit_created, lock_person, snapshot

MIN_EXPLANATION = 10


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
    person = lock_person(actor, person_id, ADD_PARTS)
    errors: dict[str, list[str]] = {}
    postcode = ""
    try:
        postcode = validation.clean_postcode(data.postcode)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not data.line_1.strip():
        errors["line_1"] = [_("Enter the first line of the address")]
    if not data.town.strip():
        errors["town"] = [_("Enter the town or city")]
    try:
        validation.check_moved_in(data.valid_from, date_of_birth=person.date_of_birth)
    except ValidationError as error:
        errors.update(error.message_dict)
    current = list(
        restrict(Address.objects.select_for_update(), actor, "change").filter(
            person=person, valid_to=None
        )
    )
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
    audit_created(context, address, person)
    return address


@transaction.atomic
def phone_add(*, context: AuditContext, actor: User, person_id: int, number: str) -> Phone:
    require_permission(actor, "people.change_person")
    person = lock_person(actor, person_id, ADD_PARTS)
    e164, kind = validation.clean_phone(number)
    known = restrict(Phone.objects.all(), actor, "change").filter(
        person=person, number=e164, is_current=True
    )
    if known.exists():
        raise ValidationError({"number": [_("This phone number is already on the record")]})
    phone = Phone.objects.create(person=person, number=e164, kind=kind, recorded_by=actor)
    audit_created(context, phone, person)
    return phone


@transaction.atomic
def email_add(*, context: AuditContext, actor: User, person_id: int, address: str) -> Email:
    require_permission(actor, "people.change_person")
    person = lock_person(actor, person_id, ADD_PARTS)
    value = validation.clean_email(address)
    known = restrict(Email.objects.all(), actor, "change").filter(
        person=person, address=value, is_current=True
    )
    if known.exists():
        raise ValidationError({"address": [_("This email address is already on the record")]})
    email = Email.objects.create(person=person, address=value, recorded_by=actor)
    audit_created(context, email, person)
    return email


@transaction.atomic
def alias_add(
    *, context: AuditContext, actor: User, person_id: int, given_name: str, family_name: str
) -> Alias:
    require_permission(actor, "people.change_person")
    person = lock_person(actor, person_id, ADD_PARTS)
    if not family_name.strip():
        raise ValidationError({"family_name": [_("Enter the family name they used")]})
    alias = Alias.objects.create(
        person=person,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        recorded_by=actor,
    )
    audit_created(context, alias, person)
    return alias


@transaction.atomic
def custody_number_add(
    *, context: AuditContext, actor: User, person_id: int, number: str
) -> CustodyNumber:
    require_permission(actor, "people.change_person")
    person = lock_person(actor, person_id, ADD_PARTS)
    value = "".join((number or "").split()).upper()
    if not value:
        raise ValidationError({"number": [_("Enter the custody number")]})
    # Custody numbers are unique across the force, not only in the actor's area.
    if restrict(CustodyNumber.objects.filter(number=value), actor, "create").exists():
        raise ValidationError(
            {"number": [_("This custody number is already recorded for a person")]},
            code="custody_number_taken",
        )
    custody = CustodyNumber.objects.create(person=person, number=value, recorded_by=actor)
    audit_created(context, custody, person)
    return custody


@transaction.atomic
def flag_raise(
    *, context: AuditContext, actor: User, person_id: int, kind: str, reason: str
) -> Flag:
    require_permission(actor, "people.change_person")
    person = lock_person(actor, person_id, ADD_PARTS)
    errors: dict[str, list[str]] = {}
    if kind not in Flag.Kind.values:
        errors["kind"] = [_("Choose the type of flag")]
    if len(reason.strip()) < MIN_EXPLANATION:
        errors["reason"] = [_("Explain in at least 10 characters why you are raising this flag")]
    if errors:
        raise ValidationError(errors)
    flag = Flag.objects.create(
        person=person, kind=kind, reason=reason.strip(), raised_by=actor, raised_at=timezone.now()
    )
    audit_created(context, flag, person)
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
    flag = (
        restrict(Flag.objects.select_for_update(), actor, "change")
        .select_related("person")
        .filter(pk=flag_id)
        .first()
    )
    if flag is None:
        raise PermissionDenied
    require_action(flag.person, actor, RESOLVE_FLAG)
    if flag.resolved_at is not None:
        raise ValidationError(_("This flag has already been resolved."), code="resolved")
    if len(resolution.strip()) < MIN_EXPLANATION:
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
    policy_reference: str = ""


def _consent_errors(data: ConsentData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.purpose not in ConsentRecord.Purpose.values:
        errors["purpose"] = [_("Choose what the consent is for")]
    if data.basis not in ConsentRecord.Basis.values:
        errors["basis"] = [_("Choose the lawful basis")]
    try:
        validation.check_consent_date(data.date)
    except ValidationError as error:
        errors.update(error.message_dict)
    if data.basis == ConsentRecord.Basis.CONSENT and not data.given and not data.notes.strip():
        errors["notes"] = [_("Enter what the person said when they refused consent")]
    return errors


def _save_consent(
    context: AuditContext, actor: User, person: Person, data: ConsentData
) -> ConsentRecord:
    errors = _consent_errors(data)
    if errors:
        raise ValidationError(errors)
    record = ConsentRecord.objects.create(
        person=person,
        purpose=data.purpose,
        basis=data.basis,
        given=data.given,
        date=data.date,
        notes=data.notes.strip(),
        policy_reference=data.policy_reference.strip()[:120],
        recorded_by=actor,
    )
    audit_created(context, record, person)
    return record


@transaction.atomic
def consent_record(
    *, context: AuditContext, actor: User, person_id: int, data: ConsentData
) -> ConsentRecord:
    require_permission(actor, "people.change_person")
    person = lock_person(actor, person_id, ADD_PARTS)
    return _save_consent(context, actor, person, data)


@transaction.atomic
def consent_record_for_referral(
    *,
    context: AuditContext,
    actor: User,
    person_id: int,
    given: bool,
    basis: str,
    policy_reference: str = "",
) -> ConsentRecord:
    """The consent, or the lawful basis without it, that an officer records when they refer
    the person to support: a consent record of the person (purpose "referral to treatment or
    support", dated today), shown on the person's page, which the referral points to.

    The referring service calls it in its own transaction, so the referral and its consent
    record are made together or not at all. It needs the person in the actor's ``view``
    scope, as referring does (an officer may refer a person reached by break-glass).
    """
    require_permission(actor, "people.view_person")
    person = (
        restrict(Person.objects.select_for_update(), actor, "view")
        .filter(pk=person_id, is_active=True)
        .first()
    )
    if person is None:
        raise PermissionDenied
    data = ConsentData(
        purpose=ConsentRecord.Purpose.REFERRAL,
        basis=basis,
        given=given,
        date=timezone.localdate(),
        policy_reference=policy_reference,
    )
    return _save_consent(context, actor, person, data)
