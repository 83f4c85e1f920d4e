"""Booking a detainee in, and the record's offences and details.

The detainee is a Pontio person: an existing one (``person_id``, in the actor's scope,
found with the people app's matcher: ``selectors.booking_matches``) or a new one made
through the people app's service (``new_person``). A new person who looks like someone
already known is refused until the officer confirms that it is someone else
(``confirm_new``), so booking does not make duplicates. The custody number is added to the
person (``people.CustodyNumber``, through the people service) in the same transaction.

The age at arrest is computed from the date of birth and stored: the age conditions of
PACE s63B(3) and Drugs Act 2005 s9 are judged on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.audit.services import AuditContext
from pontio.core.dates import EARLIEST_EVENT, check_between
from pontio.core.permissions import require_permission
from pontio.core.scopes import restrict
from pontio.custody.models import ChargeState, CustodyRecord, CustodySuite, Offence, RecordOffence
from pontio.custody.services.common import (
    audit_changed,
    audit_created,
    lock_record,
    snapshot,
    start_change,
    touch,
)
from pontio.people import selectors as people_selectors
from pontio.people.matching import Identity
from pontio.people.models import CustodyNumber, Person
from pontio.people.services import PersonData, custody_number_add, person_create
from pontio.referrals.services import check_idempotency_key

MAX_NUMBER = 30


@dataclass
class OffenceEntry:
    offence: Offence
    # Asked for the offences that trigger only with a specified Class A drug.
    class_a_involved: bool | None = None


@dataclass
class BookingData:
    custody_number: str
    suite: CustodySuite | None
    arrested_at: dt.datetime | None
    offences: list[OffenceEntry] = field(default_factory=list)
    appropriate_adult_name: str = ""
    appropriate_adult_relationship: str = ""
    officer_in_case: User | None = None


def age_on(date_of_birth: dt.date | None, on: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def normalise_number(number: str) -> str:
    return "".join((number or "").split()).upper()


def suites_for(actor: User, on: dt.date | None = None) -> list[CustodySuite]:
    """The suites the actor may book at: in use on the day, in their area."""
    suites = CustodySuite.objects.effective(on).select_related("county")
    if not actor.force_wide:
        suites = suites.filter(county_id__in=actor.county_ids)
    return list(suites)


def check_offence_entry(entry: OffenceEntry, on: dt.date, errors: dict[str, list[str]]) -> None:
    if not entry.offence.is_effective(on):
        errors.setdefault("offences", []).append(
            _("“%(offence)s” was not an offence in use on the day of the arrest")
            % {"offence": entry.offence}
        )
    if entry.offence.class_a_only and entry.class_a_involved is None:
        errors.setdefault("class_a_involved", []).append(
            _(
                "Say whether a specified Class A drug (heroin, cocaine or crack) is involved in "
                "“%(offence)s”"
            )
            % {"offence": entry.offence}
        )


def check_booking(actor: User, data: BookingData, now: dt.datetime | None = None) -> str:
    """The custody number normalised, or every problem of the booking (by field)."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    number = normalise_number(data.custody_number)
    if not number:
        errors["custody_number"] = [_("Enter the custody number")]
    elif len(number) > MAX_NUMBER:
        errors["custody_number"] = [_("Enter a custody number of 30 characters or fewer")]
    elif (
        CustodyRecord.objects.filter(custody_number=number).exists()
        or CustodyNumber.objects.filter(number=number).exists()
    ):
        errors["custody_number"] = [_("This custody number is already in use")]
    day = timezone.localdate()
    if data.arrested_at is None:
        errors["arrested_at"] = [_("Enter the date and time of the arrest")]
    elif data.arrested_at > now:
        errors["arrested_at"] = [_("The arrest cannot be in the future")]
    else:
        day = timezone.localtime(data.arrested_at).date()
        try:
            check_between(day, earliest=EARLIEST_EVENT)
        except ValidationError as error:
            errors["arrested_at"] = error.messages
    if data.suite is None:
        errors["suite"] = [_("Choose the custody suite")]
    elif data.suite.pk not in {s.pk for s in suites_for(actor, day)}:
        errors["suite"] = [_("Choose a custody suite in your area that is in use")]
    if not data.offences:
        errors["offences"] = [_("Choose at least one offence the person is arrested for")]
    seen: set[int] = set()
    for entry in data.offences:
        if entry.offence.pk in seen:
            errors.setdefault("offences", []).append(_("Choose each offence once"))
        seen.add(entry.offence.pk)
        check_offence_entry(entry, day, errors)
    if len(data.appropriate_adult_name.strip()) > 120:
        errors["appropriate_adult_name"] = [_("Enter 120 characters or fewer")]
    if errors:
        raise ValidationError(errors, code="invalid_booking")
    return number


def _person_for(
    context: AuditContext,
    actor: User,
    person_id: int | None,
    new_person: PersonData | None,
    confirm_new: bool,
) -> Person:
    if (person_id is None) == (new_person is None):
        raise ValidationError(
            {"person": [_("Choose the person from the matches, or add a new person")]},
            code="person_required",
        )
    if person_id is not None:
        person = (
            restrict(Person.objects.filter(is_active=True), actor, "view")
            .filter(pk=person_id)
            .first()
        )
        if person is None:
            raise PermissionDenied
        return person
    if new_person is None:  # excluded above: exactly one of the two is given
        raise PermissionDenied
    identity = Identity(
        given_name=new_person.given_name,
        family_name=new_person.family_name,
        date_of_birth=new_person.date_of_birth,
        pnc_id=new_person.pnc_id,
    )
    likely = [m for _p, m in people_selectors.likely_matches(actor, identity) if m.likely]
    if likely and not confirm_new:
        message = _(
            "Pontio already knows someone who may be this person: choose them from the "
            "matches, or confirm that this is someone else"
        )
        raise ValidationError({"person": [ValidationError(message, code="likely_match")]})
    return person_create(context=context, actor=actor, data=new_person)


@transaction.atomic
def custody_book(
    *,
    context: AuditContext,
    actor: User,
    data: BookingData,
    person_id: int | None = None,
    new_person: PersonData | None = None,
    confirm_new: bool = False,
    idempotency_key: str = "",
) -> CustodyRecord:
    """Book a detainee in: the custody record, its offences, the custody number on the
    person. Either ``person_id`` (an existing person) or ``new_person`` (identity data).
    ``idempotency_key`` (the API's header) is kept on the record: see ``repeated_booking``."""
    require_permission(actor, "custody.book")
    key = check_idempotency_key(idempotency_key, required=False)
    number = check_booking(actor, data)
    person = _person_for(context, actor, person_id, new_person, confirm_new)
    arrested_at = data.arrested_at or timezone.now()  # checked: never None here
    suite = data.suite
    if suite is None:  # checked above
        raise PermissionDenied
    record = CustodyRecord.objects.create(
        person=person,
        custody_number=number,
        suite=suite,
        arrested_at=arrested_at,
        age_at_arrest=age_on(person.date_of_birth, timezone.localtime(arrested_at).date()),
        appropriate_adult_name=data.appropriate_adult_name.strip(),
        appropriate_adult_relationship=data.appropriate_adult_relationship.strip()[:60],
        officer_in_case=data.officer_in_case,
        created_by=actor,
        idempotency_key=key,
    )
    audit_created(context, record, person.pk, reason="detainee booked in")
    for entry in data.offences:
        item = RecordOffence.objects.create(
            record=record,
            offence=entry.offence,
            class_a_involved=entry.class_a_involved if entry.offence.class_a_only else None,
            added_by=actor,
        )
        audit_created(context, item, person.pk)
    custody_number_add(context=context, actor=actor, person_id=person.pk, number=number)
    return record


def booked_with(actor: User, key: str) -> CustodyRecord | None:
    """The record the actor already booked with this Idempotency-Key (in their scope)."""
    if not key:
        return None
    return (
        restrict(CustodyRecord.objects.all(), actor, "view")
        .filter(created_by=actor, idempotency_key=key)
        .first()
    )


def _same_booking(record: CustodyRecord, person_id: int | None, data: BookingData) -> bool:
    """Whether a retry asks for the booking already made: the same person, number, suite,
    arrest time, offences (with the Class A answer where asked) and appropriate adult."""
    offences = sorted(
        (e.offence.pk, e.class_a_involved if e.offence.class_a_only else None)
        for e in data.offences
    )
    made = sorted(record.record_offences.values_list("offence_id", "class_a_involved"))
    return (
        record.person_id == person_id
        and record.custody_number == normalise_number(data.custody_number)
        and data.suite is not None
        and record.suite_id == data.suite.pk
        and record.arrested_at == data.arrested_at
        and made == offences
        and record.appropriate_adult_name == data.appropriate_adult_name.strip()
        and record.appropriate_adult_relationship
        == data.appropriate_adult_relationship.strip()[:60]
    )


def repeated_booking(
    *, actor: User, key: str, person_id: int | None, data: BookingData
) -> CustodyRecord | None:
    """The record already booked with this key when this booking is its retry; None when
    the key is new. The same key with a different booking is refused
    (``idempotency_key_reused``, as the referrals API does), so a key never hides a second
    record."""
    existing = booked_with(actor, key)
    if existing is None:
        return None
    if not _same_booking(existing, person_id, data):
        raise ValidationError(
            _(
                "This Idempotency-Key was used for a different booking. Send a new key to "
                "book a new custody record."
            ),
            code="idempotency_key_reused",
        )
    return existing


def check_officer_in_case(officer: User | None) -> None:
    """The officer in the case is an active police officer (their scope then holds the
    record: ``policies.record_condition``)."""
    if officer is not None and not (officer.is_active and officer.has_role(Role.OFFICER)):
        raise ValidationError(
            {"officer_in_case": [_("Choose an active police officer as the officer in the case")]},
            code="not_an_officer",
        )


@transaction.atomic
def record_update(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    appropriate_adult_name: str,
    appropriate_adult_relationship: str,
    officer_in_case: User | None = None,
) -> CustodyRecord:
    """Change the appropriate adult (PACE s63B(5A)) and the officer in the case."""
    record = lock_record(actor, record_id, "custody.book")
    if len(appropriate_adult_name.strip()) > 120:
        raise ValidationError({"appropriate_adult_name": [_("Enter 120 characters or fewer")]})
    check_officer_in_case(officer_in_case)
    before = start_change(record, expected_version)
    record.appropriate_adult_name = appropriate_adult_name.strip()
    record.appropriate_adult_relationship = appropriate_adult_relationship.strip()[:60]
    record.officer_in_case = officer_in_case
    touch(context, record, before, "custody record changed")
    return record


@transaction.atomic
def record_offence_add(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    entry: OffenceEntry,
) -> RecordOffence:
    record = lock_record(actor, record_id, "custody.book")
    errors: dict[str, list[str]] = {}
    check_offence_entry(entry, timezone.localtime(record.arrested_at).date(), errors)
    if record.record_offences.filter(offence=entry.offence).exists():
        errors.setdefault("offences", []).append(_("This offence is already on the record"))
    if errors:
        raise ValidationError(errors, code="invalid_offence")
    before = start_change(record, expected_version)
    item = RecordOffence.objects.create(
        record=record,
        offence=entry.offence,
        class_a_involved=entry.class_a_involved if entry.offence.class_a_only else None,
        added_by=actor,
    )
    audit_created(context, item, record.person_id)
    touch(context, record, before, "offence added")
    return item


@transaction.atomic
def record_offence_set_state(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    offence_id: int,
    state: str,
    at: dt.datetime | None = None,
) -> RecordOffence:
    """Charge an offence, or record no further action on it."""
    record = lock_record(actor, record_id, "custody.book")
    item = record.record_offences.filter(pk=offence_id).first()
    if item is None:
        raise PermissionDenied
    if state not in ChargeState.values or state == item.state:
        raise ValidationError({"state": [_("Choose charged or no further action")]})
    if item.state != ChargeState.ARRESTED:
        raise ValidationError(
            {
                "state": [
                    _("This offence is already decided: %(state)s")
                    % {"state": ChargeState(item.state).label}
                ]
            },
            code="already_decided",
        )
    at = at or timezone.now()
    if at < record.arrested_at or at > timezone.now():
        raise ValidationError({"at": [_("The date must be between the arrest and now")]})
    before_item = snapshot(item)
    before = start_change(record, expected_version)
    item.state = state
    item.charged_at = at if state == ChargeState.CHARGED else None
    item.save()
    audit_changed(context, item, record.person_id, before_item)
    touch(context, record, before, f"offence {state}")
    return item
