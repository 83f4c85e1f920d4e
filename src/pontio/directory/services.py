"""Writes to the directory. Each runs in one transaction with its audit event.

A provider manager may only touch services of directory organisations their own Pontio
organisation maintains (``actions.actions_for``, the rule the pages show buttons by). A
refusal raises ``PermissionDenied`` with a message in the user's language, after the denial
has been audited (outside the refused transaction, so it stays).

The rules of a service's values live here, once: names and descriptions, plausible ages,
the counties served, a location given in full or not at all, a UK phone number, and opening
hours (both times of a day, closing after opening). The forms only parse what was typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from pontio.accounts.models import Organisation, User
from pontio.audit.services import AuditContext, audit_record, object_type_of
from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.phones import normalise_uk_phone
from pontio.core.postcodes import is_postcode, normalise_postcode
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.directory.actions import (
    CHANGE_STATUS,
    EDIT,
    actions_for,
    organisations_for_new_services,
)
from pontio.directory.models import (
    Contact,
    DirectoryOrganisation,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Substance,
)


def not_yours_message() -> str:
    return _("You can only change services of your own organisation. Nothing has been saved.")


MIN_AGE, MAX_AGE = 0, 120


@dataclass(frozen=True)
class OpeningHours:
    """The hours of one weekday as typed: a day with neither time is closed (left out)."""

    weekday: int
    opens_at: dt.time | None
    closes_at: dt.time | None


@dataclass(frozen=True)
class ServiceData:
    name: str
    description: str
    name_cy: str = ""
    description_cy: str = ""
    email: str = ""
    url: str = ""
    how_to_refer: str = ""
    how_to_refer_cy: str = ""
    accepts_pontio_referrals: bool = False
    accepts_criminal_justice_referrals: bool = False
    diversion_scheme: bool = False
    minimum_age: int | None = None
    maximum_age: int | None = None
    genders: str = Service.Genders.ALL
    substances: tuple[Substance, ...] = ()
    counties: tuple[County, ...] = ()
    # The one location (optional: a phone-only service has none).
    location_name: str = ""
    location_name_cy: str = ""
    address_1: str = ""
    city: str = ""
    postcode: str = ""
    location_county: County | None = None
    # The one phone number (optional), as typed.
    phone: str = ""
    # The one contact (optional): a team or post to ask for.
    contact_name: str = ""
    contact_title: str = ""
    contact_email: str = ""
    hours: tuple[OpeningHours, ...] = field(default_factory=tuple)


class _Refused(Exception):
    def __init__(self, model: type[Model], object_id: Any) -> None:
        super().__init__(object_id)
        self.model = model
        self.object_id = object_id


@contextmanager
def _audited_refusal(context: AuditContext) -> Iterator[None]:
    """Turn an out-of-scope write into an audited denial and PermissionDenied."""
    try:
        yield
    except _Refused as refused:
        audit_record(
            context=context,
            action=AuditAction.DENIED,
            object_type=object_type_of(refused.model),
            object_id=str(refused.object_id)[:64],
            reason="out of scope: change",
        )
        raise PermissionDenied(not_yours_message()) from None


def _hours_errors(hours: tuple[OpeningHours, ...]) -> dict[str, list[str]]:
    """Both times of a day, and closing after opening, on the day's own fields."""
    errors: dict[str, list[str]] = {}
    for day in hours:
        label = Schedule.Weekday(day.weekday).label
        if day.opens_at is None or day.closes_at is None:
            missing = "opens" if day.opens_at is None else "closes"
            errors[f"{missing}_{day.weekday}"] = [
                _("Enter both the opening and closing times for %(day)s") % {"day": label}
            ]
        elif day.closes_at <= day.opens_at:
            errors[f"closes_{day.weekday}"] = [
                _("The closing time on %(day)s must be after the opening time") % {"day": label}
            ]
    return errors


def _age_errors(data: ServiceData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, value, message in (
        (
            "minimum_age",
            data.minimum_age,
            _("The minimum age must be a whole number from 0 to 120"),
        ),
        (
            "maximum_age",
            data.maximum_age,
            _("The maximum age must be a whole number from 0 to 120"),
        ),
    ):
        if value is not None and not MIN_AGE <= value <= MAX_AGE:
            errors[name] = [message]
    if (
        not errors
        and data.minimum_age is not None
        and data.maximum_age is not None
        and data.maximum_age < data.minimum_age
    ):
        errors["maximum_age"] = [_("The maximum age must be the same as or above the minimum age")]
    return errors


def _validate(data: ServiceData) -> str:
    """Business rules; returns the phone number in E.164 form ('' if none)."""
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Enter the name of the service")]
    if not data.description.strip():
        errors["description"] = [_("Enter a description of the service")]
    errors.update(_age_errors(data))
    if not data.counties:
        errors["counties"] = [_("Select the counties the service covers")]
    location_given = any(
        [data.location_name, data.address_1, data.city, data.postcode, data.location_county]
    )
    if location_given:
        for name, value, message in (
            ("location_name", data.location_name, _("Enter the name of the location")),
            ("address_1", data.address_1, _("Enter the first line of the address")),
            ("city", data.city, _("Enter the town or city")),
            ("postcode", data.postcode, _("Enter the postcode")),
            ("location_county", data.location_county, _("Select the county of the location")),
        ):
            if not value:
                errors[name] = [message]
        if data.postcode.strip() and not is_postcode(data.postcode):
            errors["postcode"] = [_("Enter a real postcode, like SA31 1AA")]
    errors.update(_hours_errors(data.hours))
    phone = ""
    if data.phone.strip():
        try:
            phone = normalise_uk_phone(data.phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    return phone


def service_snapshot(service: Service) -> dict[str, Any]:
    """Everything the service form edits, for before/after change records."""
    data = snapshot_fields(service, exclude={"created_at", "updated_at"})
    data["substances"] = sorted(service.substances.values_list("code", flat=True))
    data["counties"] = sorted(service.counties.values_list("ons_code", flat=True))
    data["phones"] = list(service.phones.values_list("number", flat=True))
    data["contacts"] = [
        {"name": c.name, "title": c.title, "email": c.email} for c in service.contacts.all()
    ]
    data["schedules"] = [str(s) for s in service.schedules.all()]
    data["locations"] = [
        {
            "name": sal.location.name,
            "address_1": sal.location.address_1,
            "city": sal.location.city,
            "postcode": sal.location.postcode,
            "county": sal.location.county.ons_code,
        }
        for sal in service.service_at_locations.select_related("location__county")
    ]
    return data


def _apply(service: Service, data: ServiceData, phone: str) -> None:
    for name in EDITED_FIELDS:
        setattr(service, name, getattr(data, name))
    service.save()
    service.substances.set(list(data.substances))
    service.counties.set(list(data.counties))

    sal = service.service_at_locations.select_related("location").first()
    if data.address_1:
        location = sal.location if sal else Location(organisation=service.organisation)
        if location.pk:
            location.version += 1
        location.name = data.location_name
        location.name_cy = data.location_name_cy
        location.address_1 = data.address_1
        location.city = data.city
        location.postcode = normalise_postcode(data.postcode)
        if data.location_county is None:  # also checked in _validate
            raise ValidationError({"location_county": [_("Select the county of the location")]})
        location.county = data.location_county
        location.save()
        if sal is None:
            sal = ServiceAtLocation.objects.create(service=service, location=location)
    elif sal is not None:
        sal.delete()
        sal = None

    existing_phone = service.phones.first()
    if phone and existing_phone:
        existing_phone.number = phone
        existing_phone.save(update_fields=["number"])
    elif phone:
        Phone.objects.create(service=service, number=phone)
    elif existing_phone:
        service.phones.all().delete()

    contact = service.contacts.first()
    if data.contact_name.strip():
        contact = contact or Contact(service=service)
        contact.name = data.contact_name.strip()
        contact.title = data.contact_title.strip()
        contact.email = data.contact_email.strip()
        contact.save()
    elif contact is not None:
        service.contacts.all().delete()

    service.schedules.all().delete()
    Schedule.objects.bulk_create(
        Schedule(
            service=service,
            service_at_location=sal,
            weekday=h.weekday,
            opens_at=h.opens_at,
            closes_at=h.closes_at,
        )
        for h in data.hours
        if h.opens_at is not None and h.closes_at is not None  # checked in _validate
    )


EDITED_FIELDS = (
    "name",
    "name_cy",
    "description",
    "description_cy",
    "email",
    "url",
    "how_to_refer",
    "how_to_refer_cy",
    "accepts_pontio_referrals",
    "accepts_criminal_justice_referrals",
    "diversion_scheme",
    "minimum_age",
    "maximum_age",
    "genders",
)


def service_data_of(service: Service) -> ServiceData:
    """What the service form edits, as it is now (the form's starting values; the demo
    compares it with what it would write)."""
    sal = service.service_at_locations.select_related("location__county").first()
    location = sal.location if sal else None
    phone = service.phones.first()
    contact = service.contacts.first()
    return ServiceData(
        **{name: getattr(service, name) for name in EDITED_FIELDS},
        substances=tuple(service.substances.order_by("pk")),
        counties=tuple(service.counties.order_by("pk")),
        location_name=location.name if location else "",
        location_name_cy=location.name_cy if location else "",
        address_1=location.address_1 if location else "",
        city=location.city if location else "",
        postcode=location.postcode if location else "",
        location_county=location.county if location else None,
        phone=phone.national if phone else "",
        contact_name=contact.name if contact else "",
        contact_title=contact.title if contact else "",
        contact_email=contact.email if contact else "",
        hours=tuple(
            OpeningHours(s.weekday, s.opens_at, s.closes_at)
            for s in service.schedules.order_by("weekday", "opens_at")
        ),
    )


def service_create(
    *, context: AuditContext, actor: User, organisation_id: int, data: ServiceData
) -> Service:
    with _audited_refusal(context), transaction.atomic():
        org = organisations_for_new_services(actor).filter(pk=organisation_id).first()
        if org is None:
            raise _Refused(DirectoryOrganisation, organisation_id)
        phone = _validate(data)
        service = Service(organisation=org)
        _apply(service, data, phone)
        audit_record(
            context=context,
            action=AuditAction.CREATE,
            obj=service,
            after=service_snapshot(service),
        )
        return service


def _lock_service(actor: User, service_id: int, action: str) -> Service:
    """The service, locked, if ``action`` is open to the actor (else an audited refusal)."""
    service = (
        restrict(Service.objects.select_for_update(), actor, "change").filter(pk=service_id).first()
    )
    if service is None or action not in actions_for(service, actor):
        raise _Refused(Service, service_id)
    return service


def service_update(
    *,
    context: AuditContext,
    actor: User,
    service_id: int,
    expected_version: int | None,
    data: ServiceData,
) -> Service:
    with _audited_refusal(context), transaction.atomic():
        service = _lock_service(actor, service_id, EDIT)
        before = service_snapshot(service)
        check_version(service, expected_version)
        phone = _validate(data)
        _apply(service, data, phone)
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=service,
            before=before,
            after=service_snapshot(service),
        )
        return service


def service_set_status(
    *,
    context: AuditContext,
    actor: User,
    service_id: int,
    expected_version: int | None,
    status: str,
) -> Service:
    """Deactivate (or reactivate) a service: it stays in the export as inactive."""
    if status not in Service.Status.values:
        raise ValidationError({"status": [_("Select a status")]})
    with _audited_refusal(context), transaction.atomic():
        service = _lock_service(actor, service_id, CHANGE_STATUS)
        before = {"status": service.status, "version": service.version}
        check_version(service, expected_version)
        service.status = status
        service.save(update_fields=["status", "version", "updated_at"])
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=service,
            before=before,
            after={"status": service.status, "version": service.version},
        )
        return service


# --- directory organisations -----------------------------------------------------------


@dataclass(frozen=True)
class OrganisationData:
    name: str
    description: str
    name_cy: str = ""
    description_cy: str = ""
    website: str = ""
    email: str = ""
    owner: Organisation | None = None


ORGANISATION_FIELDS = ("name", "name_cy", "description", "description_cy", "website", "email")


def _organisation_snapshot(org: DirectoryOrganisation) -> dict[str, Any]:
    return snapshot_fields(org, exclude={"created_at", "updated_at"})


def directory_organisation_save(
    *, context: AuditContext, actor: User, data: OrganisationData
) -> DirectoryOrganisation:
    """Add the directory organisation of that name (administrators), or bring it up to date
    (whoever may change it); an organisation already as given is left alone, unaudited."""
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Enter the name of the organisation")]
    if not data.description.strip():
        errors["description"] = [_("Enter a description of the organisation")]
    if errors:
        raise ValidationError(errors)
    with _audited_refusal(context), transaction.atomic():
        org = (
            restrict(DirectoryOrganisation.objects.select_for_update(), actor, "change")
            .filter(name=data.name)
            .first()
        )
        if org is None:
            # A closed "create" scope is an empty query (the table may well be empty too).
            if restrict(DirectoryOrganisation.objects.all(), actor, "create").query.is_empty():
                raise _Refused(DirectoryOrganisation, data.name)
            org = DirectoryOrganisation()
        before = _organisation_snapshot(org) if org.pk else {}
        for name in ORGANISATION_FIELDS:
            setattr(org, name, getattr(data, name))
        org.owner = data.owner
        if org.pk and _organisation_snapshot(org) == before:
            return org
        if org.pk:
            org.version += 1
        org.save()
        audit_record(
            context=context,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            obj=org,
            before=before,
            after=_organisation_snapshot(org),
        )
        return org
