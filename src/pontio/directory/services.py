"""Writes to the directory. Each runs in one transaction with its audit event.

A provider manager may only touch services of directory organisations their own Pontio
organisation maintains. A refusal raises ``PermissionDenied`` with a message in the user's
language, after the denial has been audited (outside the refused transaction, so it stays).
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

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record, object_type_of
from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.phones import normalise_uk_phone
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
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


@dataclass(frozen=True)
class OpeningHours:
    weekday: int
    opens_at: dt.time
    closes_at: dt.time


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


def _validate(data: ServiceData) -> str:
    """Business rules; returns the phone number in E.164 form ('' if none)."""
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Enter the name of the service")]
    if not data.description.strip():
        errors["description"] = [_("Enter a description of the service")]
    if (
        data.minimum_age is not None
        and data.maximum_age is not None
        and data.maximum_age < data.minimum_age
    ):
        errors["maximum_age"] = [_("The maximum age must be the same as or above the minimum age")]
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
    for hours in data.hours:
        if hours.closes_at <= hours.opens_at:
            errors.setdefault("hours", []).append(
                _("The closing time must be after the opening time")
            )
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
    for name in (
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
    ):
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
        location.postcode = data.postcode.strip().upper()
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
    )


def service_create(
    *, context: AuditContext, actor: User, organisation_id: int, data: ServiceData
) -> Service:
    with _audited_refusal(context), transaction.atomic():
        org = (
            restrict(DirectoryOrganisation.objects.all(), actor, "change")
            .filter(pk=organisation_id)
            .first()
        )
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


def service_update(
    *,
    context: AuditContext,
    actor: User,
    service_id: int,
    expected_version: int | None,
    data: ServiceData,
) -> Service:
    with _audited_refusal(context), transaction.atomic():
        service = (
            restrict(Service.objects.select_for_update(), actor, "change")
            .filter(pk=service_id)
            .first()
        )
        if service is None:
            raise _Refused(Service, service_id)
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
        service = (
            restrict(Service.objects.select_for_update(), actor, "change")
            .filter(pk=service_id)
            .first()
        )
        if service is None:
            raise _Refused(Service, service_id)
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
