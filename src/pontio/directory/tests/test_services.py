"""Directory rules: phone numbers, eligibility search, places, scope of changes, versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.audit.services import AuditContext
from pontio.core.concurrency import StaleVersionError
from pontio.core.models import County
from pontio.core.phones import national_format, normalise_uk_phone
from pontio.core.recording import AuditAction
from pontio.directory.demo import SERVICES
from pontio.directory.forms import ServiceForm
from pontio.directory.models import DirectoryOrganisation, Phone, Service
from pontio.directory.selectors import (
    SearchCriteria,
    postcode_district,
    resolve_place,
    search_services,
)
from pontio.directory.services import OpeningHours, ServiceData, service_update

PHONE_MESSAGE = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"


def _data(service: Service, **changes: Any) -> ServiceData:
    values: dict[str, Any] = {
        "name": service.name,
        "description": service.description,
        "counties": tuple(service.counties.all()),
        "phone": "01267 234567",
    }
    values.update(changes)
    return ServiceData(**values)


# --- phone numbers -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["12345", "0800", "not a number", "+33 1 23 45 67 89", ""])
def test_invalid_phone_numbers_get_the_govuk_message(typed: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalise_uk_phone(typed)
    assert error.value.messages == [PHONE_MESSAGE]


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("01267 234567", "+441267234567"),
        ("+44 (0)1267 234567", "+441267234567"),
        ("07700 900123", "+447700900123"),  # Ofcom drama range, accepted outside production
        ("01632 960101", "+441632960101"),
    ],
)
def test_valid_phone_numbers_are_stored_in_e164(typed: str, e164: str) -> None:
    assert normalise_uk_phone(typed) == e164


def test_drama_numbers_are_refused_in_production() -> None:
    with override_settings(PONTIO_ENV="production"), pytest.raises(ValidationError):
        normalise_uk_phone("01632 960101")
    with override_settings(PONTIO_ENV="production"):
        assert normalise_uk_phone("01267 234567") == "+441267234567"


def test_numbers_are_shown_in_national_format() -> None:
    assert national_format("+441632960101") == "01632 960101"
    assert national_format("+447700900123") == "07700 900123"


def test_the_phone_rule_is_the_services_alone(directory: dict[str, Any]) -> None:
    """The form parses the number as typed; the service refuses it, on the phone field."""
    manager = directory["provider.manager"]
    form = ServiceForm(
        {"phone": "01234", "name": "x"},
        organisations=DirectoryOrganisation.objects.all(),
        user=manager,
    )
    assert not form.is_valid()
    assert "phone" not in form.errors
    ours = Service.objects.get(name="DDAS Llanelli")
    with pytest.raises(ValidationError) as error:
        service_update(
            context=AuditContext(actor_id=manager.pk),
            actor=manager,
            service_id=ours.pk,
            expected_version=1,
            data=_data(ours, phone="01234"),
        )
    assert error.value.message_dict == {"phone": [PHONE_MESSAGE]}


def test_a_location_postcode_must_be_a_real_one(directory: dict[str, Any]) -> None:
    """Routing ranks services by the postcode of their locations: a mistyped one would
    silently send people further away, so it is refused, and a good one is normalised."""
    manager = directory["provider.manager"]
    ours = Service.objects.get(name="DDAS Llanelli")
    county = ours.counties.first()
    location = {
        "location_name": "DDAS Llanelli hub",
        "address_1": "1 Stepney Street",
        "city": "Llanelli",
        "location_county": county,
    }
    with pytest.raises(ValidationError) as error:
        service_update(
            context=AuditContext(actor_id=manager.pk),
            actor=manager,
            service_id=ours.pk,
            expected_version=ours.version,
            data=_data(ours, postcode="SA15 XYZ", **location),
        )
    assert error.value.message_dict == {"postcode": ["Enter a real postcode, like SA31 1AA"]}
    updated = service_update(
        context=AuditContext(actor_id=manager.pk),
        actor=manager,
        service_id=ours.pk,
        expected_version=ours.version,
        data=_data(ours, postcode="sa153ab", **location),
    )
    postcodes = {
        sal.location.postcode for sal in updated.service_at_locations.select_related("location")
    }
    assert "SA15 3AB" in postcodes


# --- places and eligibility ----------------------------------------------------------------


def test_postcode_districts() -> None:
    assert postcode_district("sa31 1ab") == "SA31"
    assert postcode_district("LD1") == "LD1"
    assert postcode_district("Llanelli") is None


@pytest.mark.parametrize(
    ("place", "ons_code"),
    [
        ("SA15 3AS", "W06000010"),
        ("sa31", "W06000010"),
        ("SY23 2HN", "W06000008"),
        ("Hwlffordd", "W06000009"),
        ("Y Drenewydd", "W06000023"),
        ("brecon", "W06000023"),
        ("LD1 5BB", "W06000023"),
    ],
)
def test_places_resolve_to_counties(directory: dict[str, Any], place: str, ons_code: str) -> None:
    county = resolve_place(place, directory["officer"])
    assert county is not None and county.ons_code == ons_code


def test_unknown_places_resolve_to_nothing(directory: dict[str, Any]) -> None:
    assert resolve_place("Timbuktu", directory["officer"]) is None
    assert resolve_place("EH1 1AA", directory["officer"]) is None


def _names(user: Any, **criteria: Any) -> set[str]:
    return {s.name for s in search_services(user, SearchCriteria(**criteria))}


def test_search_filters_by_age_substance_county_and_pontio(directory: dict[str, Any]) -> None:
    officer = directory["officer"]
    powys = County.objects.get(ons_code="W06000023")
    carms = County.objects.get(ons_code="W06000010")
    everything = _names(officer)
    assert len(everything) == len(SERVICES)

    # A 15-year-old: only the young people's service takes them.
    assert _names(officer, age=15) == {"DDAS young people's service"}
    # A 40-year-old: not the young people's service.
    assert "DDAS young people's service" not in _names(officer, age=40)

    in_powys = _names(officer, county=powys)
    assert "Kaleidoscope Newtown" in in_powys and "Drug diversion scheme" in in_powys
    assert not any(name.startswith("DDAS") for name in in_powys)

    opioids_in_carms = _names(officer, county=carms, substance_code="opioids")
    assert "Community Drug and Alcohol Team (Hywel Dda)" in opioids_in_carms
    assert "Drug diversion scheme" not in opioids_in_carms  # no opioids

    through_pontio = _names(officer, county=carms, pontio_only=True)
    assert "Community Drug and Alcohol Team (Hywel Dda)" not in through_pontio
    assert "DDAS Llanelli" in through_pontio


def test_inactive_services_are_not_found(directory: dict[str, Any]) -> None:
    Service.objects.filter(name="DDAS Llanelli").update(status=Service.Status.INACTIVE)
    assert "DDAS Llanelli" not in _names(directory["officer"])


# --- who may change what -------------------------------------------------------------------


def test_a_provider_cannot_change_another_providers_service(directory: dict[str, Any]) -> None:
    manager = directory["provider.manager"]  # Dyfed Drug and Alcohol Service
    theirs = Service.objects.get(name="Kaleidoscope Newtown")
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as error:
        service_update(
            context=AuditContext(
                actor_id=manager.pk, actor_organisation_id=manager.organisation_id
            ),
            actor=manager,
            service_id=theirs.pk,
            expected_version=theirs.version,
            data=_data(theirs, name="Taken over"),
        )
    assert "only change services of your own organisation" in str(error.value)
    theirs.refresh_from_db()
    assert theirs.name == "Kaleidoscope Newtown" and theirs.version == 1
    events = AuditEvent.objects.order_by("sequence")[before:]
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        (AuditAction.DENIED, "directory.service", str(theirs.pk))
    ]


def test_a_caseworker_cannot_change_even_their_own_service(directory: dict[str, Any]) -> None:
    caseworker = directory["caseworker"]
    ours = Service.objects.get(name="DDAS Llanelli")
    with pytest.raises(PermissionDenied):
        service_update(
            context=AuditContext(actor_id=caseworker.pk),
            actor=caseworker,
            service_id=ours.pk,
            expected_version=ours.version,
            data=_data(ours, name="Renamed"),
        )
    assert AuditEvent.objects.order_by("-sequence").first().action == AuditAction.DENIED


def test_an_update_is_audited_with_before_and_after(directory: dict[str, Any]) -> None:
    manager = directory["provider.manager"]
    ours = Service.objects.get(name="DDAS Llanelli")
    hours = (OpeningHours(1, dt.time(10), dt.time(16)),)
    service_update(
        context=AuditContext(actor_id=manager.pk),
        actor=manager,
        service_id=ours.pk,
        expected_version=1,
        data=_data(ours, name="DDAS Llanelli (Vaughan Street)", minimum_age=16, hours=hours),
    )
    ours.refresh_from_db()
    assert ours.name == "DDAS Llanelli (Vaughan Street)" and ours.version == 2
    assert Phone.objects.get(service=ours).number == "+441267234567"
    assert [str(s) for s in ours.schedules.all()] == ["Monday 10:00-16:00"]
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.action == AuditAction.UPDATE and event.actor_id == manager.pk
    change = ChangeRecord.objects.get(event=event)
    assert change.before["name"] == "DDAS Llanelli"
    assert change.after["name"] == "DDAS Llanelli (Vaughan Street)"
    assert change.after["phones"] == ["+441267234567"]
    assert "minimum_age" in event.fields


def test_a_stale_version_is_refused_and_nothing_is_saved(directory: dict[str, Any]) -> None:
    manager = directory["provider.manager"]
    ours = Service.objects.get(name="DDAS Carmarthen")
    context = AuditContext(actor_id=manager.pk)
    service_update(
        context=context,
        actor=manager,
        service_id=ours.pk,
        expected_version=1,
        data=_data(ours, name="First edit"),
    )
    with pytest.raises(StaleVersionError):
        service_update(
            context=context,
            actor=manager,
            service_id=ours.pk,
            expected_version=1,
            data=_data(ours, name="Second edit from a stale copy"),
        )
    ours.refresh_from_db()
    assert ours.name == "First edit" and ours.version == 2


def test_business_rules_name_the_fields(directory: dict[str, Any]) -> None:
    manager = directory["provider.manager"]
    ours = Service.objects.get(name="DDAS Carmarthen")
    with pytest.raises(ValidationError) as error:
        service_update(
            context=AuditContext(actor_id=manager.pk),
            actor=manager,
            service_id=ours.pk,
            expected_version=1,
            data=_data(ours, minimum_age=30, maximum_age=20, phone="999", counties=()),
        )
    assert set(error.value.message_dict) == {"maximum_age", "phone", "counties"}
    assert error.value.message_dict["phone"] == [PHONE_MESSAGE]
    ours.refresh_from_db()
    assert ours.version == 1


def test_an_administrator_may_change_any_service(directory: dict[str, Any]) -> None:
    admin = directory["admin"]
    theirs = Service.objects.get(name="Kaleidoscope Brecon")
    service_update(
        context=AuditContext(actor_id=admin.pk),
        actor=admin,
        service_id=theirs.pk,
        expected_version=1,
        data=_data(theirs, how_to_refer="Call us."),
    )
    theirs.refresh_from_db()
    assert theirs.how_to_refer == "Call us."


def test_the_contact_is_kept_changed_and_removed_with_an_audit_trail(
    directory: dict[str, Any],
) -> None:
    manager = directory["provider.manager"]
    ours = Service.objects.get(name="DDAS Llanelli")
    assert ours.contacts.get().name == "Referrals team"  # from the demo data

    def update(**contact: str) -> None:
        ours.refresh_from_db()
        service_update(
            context=AuditContext(actor_id=manager.pk),
            actor=manager,
            service_id=ours.pk,
            expected_version=ours.version,
            data=_data(ours, **contact),
        )

    update(contact_name="Criminal justice team", contact_email="cjt@example.org")
    contact = ours.contacts.get()
    assert (contact.name, contact.email) == ("Criminal justice team", "cjt@example.org")
    change = ChangeRecord.objects.get(event=AuditEvent.objects.order_by("-sequence").first())
    assert change.before["contacts"][0]["name"] == "Referrals team"
    assert change.after["contacts"][0]["name"] == "Criminal justice team"

    update()  # no contact given: the contact is removed
    assert not ours.contacts.exists()


# --- opening hours and ages: rules written once, here --------------------------------------


def _update(directory: dict[str, Any], **changes: Any) -> Service:
    manager = directory["provider.manager"]
    ours = Service.objects.get(name="DDAS Llanelli")
    return service_update(
        context=AuditContext(actor_id=manager.pk),
        actor=manager,
        service_id=ours.pk,
        expected_version=ours.version,
        data=_data(ours, **changes),
    )


@pytest.mark.parametrize(
    ("hours", "errors"),
    [
        (
            (OpeningHours(1, dt.time(17), dt.time(9)),),
            {"closes_1": ["The closing time on Monday must be after the opening time"]},
        ),
        (
            (OpeningHours(2, dt.time(9), dt.time(9)),),
            {"closes_2": ["The closing time on Tuesday must be after the opening time"]},
        ),
        (
            (OpeningHours(3, dt.time(9), None),),
            {"closes_3": ["Enter both the opening and closing times for Wednesday"]},
        ),
        (
            (OpeningHours(5, None, dt.time(17)),),
            {"opens_5": ["Enter both the opening and closing times for Friday"]},
        ),
    ],
)
def test_opening_hours_are_checked_by_the_service_on_the_days_fields(
    directory: dict[str, Any], hours: tuple[OpeningHours, ...], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        _update(directory, hours=hours)
    assert error.value.message_dict == errors
    ours = Service.objects.get(name="DDAS Llanelli")
    assert ours.version == 1 and ours.schedules.count() == 5


@pytest.mark.parametrize(
    ("ages", "errors"),
    [
        (
            {"minimum_age": -1},
            {"minimum_age": ["The minimum age must be a whole number from 0 to 120"]},
        ),
        (
            {"maximum_age": 99999999999},
            {"maximum_age": ["The maximum age must be a whole number from 0 to 120"]},
        ),
        (
            {"minimum_age": 30, "maximum_age": 20},
            {"maximum_age": ["The maximum age must be the same as or above the minimum age"]},
        ),
    ],
)
def test_implausible_ages_are_refused_by_the_service(
    directory: dict[str, Any], ages: dict[str, int], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        _update(directory, **ages)
    assert error.value.message_dict == errors


def test_the_form_leaves_the_hours_and_age_rules_to_the_service(
    directory: dict[str, Any],
) -> None:
    form = ServiceForm(
        {"opens_1": "17:00", "closes_1": "09:00", "opens_2": "09:00", "minimum_age": "500"},
        organisations=DirectoryOrganisation.objects.all(),
        user=directory["provider.manager"],
    )
    form.is_valid()
    assert not {"opens_1", "closes_1", "opens_2", "closes_2", "minimum_age"} & set(form.errors)


def test_the_service_data_of_a_service_round_trips(directory: dict[str, Any]) -> None:
    from pontio.directory.services import service_data_of

    ours = Service.objects.get(name="Kaleidoscope Brecon")
    data = service_data_of(ours)
    assert data.name == "Kaleidoscope Brecon" and data.city == "Brecon"
    assert [h.weekday for h in data.hours] == [1, 2, 3, 4, 5]
    assert data.hours[-1].closes_at == dt.time(16, 30)
    admin = directory["admin"]
    service_update(
        context=AuditContext(actor_id=admin.pk),
        actor=admin,
        service_id=ours.pk,
        expected_version=1,
        data=data,
    )
    ours.refresh_from_db()
    assert service_data_of(ours) == data
