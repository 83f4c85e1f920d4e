"""Reads of the directory: officers' search and the Open Referral UK (HSDS 3) export.

Where a place is typed, it is resolved to a county in a deliberately simple way:

1. A postcode (full, like "SA31 1AB", or just its district, like "SA31") is reduced to its
   postcode district. The district is looked up in ``POSTCODE_DISTRICTS`` (the districts of
   the force area, each to its main county), or else in the postcodes of the directory's own
   locations.
2. Otherwise the text is taken as a town, in English or Welsh: ``TOWNS`` lists the main
   towns of the four counties, and the towns of the directory's own locations count too.

The search then lists services that serve that county. A place that cannot be resolved is
an error on the form, never an empty list that looks like "no services" (``search_county``).

Every read goes through ``restrict``, the rows of a service included.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.directory.models import (
    Contact,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Substance,
)

CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"

# Postcode districts of the force area, each to the county most of it lies in.
POSTCODE_DISTRICTS: dict[str, str] = {
    **dict.fromkeys(("SA4", "SA14", "SA15", "SA16", "SA17", "SA18", "SA19", "SA31"), CARMS),
    **dict.fromkeys(("SA32", "SA33", "SA34", "SA39"), CARMS),
    **dict.fromkeys(("SA38", "SA40", "SA43", "SA44", "SA45", "SA46", "SA47", "SA48"), CERED),
    **dict.fromkeys(("SY23", "SY24", "SY25"), CERED),
    **dict.fromkeys(("SA35", "SA36", "SA37", "SA41", "SA42", "SA61", "SA62", "SA63"), PEMBS),
    **dict.fromkeys(("SA64", "SA65", "SA66", "SA67", "SA68", "SA69", "SA70", "SA71"), PEMBS),
    **dict.fromkeys(("SA72", "SA73"), PEMBS),
    **dict.fromkeys(("LD1", "LD2", "LD3", "LD4", "LD5", "LD6", "LD7", "LD8", "SA9"), POWYS),
    **dict.fromkeys(("SY15", "SY16", "SY17", "SY18", "SY19", "SY20", "SY21", "SY22"), POWYS),
    **dict.fromkeys(("NP8", "HR3"), POWYS),
}

# Main towns of the four counties, English and Welsh names (lower case).
TOWNS: dict[str, str] = {
    **dict.fromkeys(
        [
            "llanelli",
            "carmarthen",
            "caerfyrddin",
            "ammanford",
            "rhydaman",
            "burry port",
            "porth tywyn",
            "llandeilo",
            "llandovery",
            "llanymddyfri",
            "kidwelly",
            "cydweli",
            "st clears",
            "sanclêr",
            "whitland",
            "hendy-gwyn",
            "newcastle emlyn",
            "castellnewydd emlyn",
            "pembrey",
            "pen-bre",
        ],
        CARMS,
    ),
    **dict.fromkeys(
        [
            "aberystwyth",
            "cardigan",
            "aberteifi",
            "lampeter",
            "llanbedr pont steffan",
            "aberaeron",
            "new quay",
            "cei newydd",
            "tregaron",
            "borth",
            "llandysul",
        ],
        CERED,
    ),
    **dict.fromkeys(
        [
            "haverfordwest",
            "hwlffordd",
            "pembroke",
            "penfro",
            "pembroke dock",
            "doc penfro",
            "milford haven",
            "aberdaugleddau",
            "fishguard",
            "abergwaun",
            "tenby",
            "dinbych-y-pysgod",
            "narberth",
            "arberth",
            "st davids",
            "tyddewi",
            "neyland",
        ],
        PEMBS,
    ),
    **dict.fromkeys(
        [
            "newtown",
            "y drenewydd",
            "brecon",
            "aberhonddu",
            "llandrindod wells",
            "llandrindod",
            "welshpool",
            "y trallwng",
            "machynlleth",
            "builth wells",
            "llanfair-ym-muallt",
            "ystradgynlais",
            "knighton",
            "tref-y-clawdd",
            "crickhowell",
            "crucywel",
            "hay-on-wye",
            "y gelli gandryll",
            "llanidloes",
            "rhayader",
            "rhaeadr gwy",
            "presteigne",
            "llanandras",
            "talgarth",
        ],
        POWYS,
    ),
}

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})?$")


def postcode_district(text: str) -> str | None:
    """The postcode district ("SA31") of a full postcode or a district, else None."""
    match = POSTCODE.match(text.strip().upper())
    if not match:
        return None
    return match.group(1)


def resolve_place(text: str, user: Any) -> County | None:
    """The county a typed postcode or town is in (see the module notes), or None."""
    text = " ".join(text.split())
    if not text:
        return None
    locations = restrict(Location.objects.all(), user, "view")
    district = postcode_district(text)
    code: str | None = None
    if district:
        code = POSTCODE_DISTRICTS.get(district)
        if code is None:
            code = (
                locations.filter(postcode__istartswith=district + " ")
                .values_list("county__ons_code", flat=True)
                .first()
            )
    else:
        code = TOWNS.get(text.lower())
        if code is None:
            code = (
                locations.filter(city__iexact=text)
                .values_list("county__ons_code", flat=True)
                .first()
            )
    if code is None:
        return None
    return County.objects.filter(ons_code=code).first()


def search_county(user: Any, county: County | None, place: str) -> County | None:
    """The county to search: the one chosen, or the one the typed place is in. A place that
    is not found, or not in the chosen county, is an error on ``place``."""
    if not place.strip():
        return county
    found = resolve_place(place, user)
    if found is None:
        raise ValidationError(
            {
                "place": [
                    _(
                        "We could not find that town or postcode in Dyfed-Powys. Enter a town, "
                        "like Llanelli, or a postcode, like SA31 1AB"
                    )
                ]
            },
            code="unknown_place",
        )
    if county is not None and county != found:
        raise ValidationError(
            {"place": [_("That town or postcode is not in the county you selected")]},
            code="other_county",
        )
    return found


@dataclass(frozen=True)
class SearchCriteria:
    substance_code: str = ""
    county: County | None = None
    age: int | None = None
    pontio_only: bool = False
    criminal_justice_only: bool = False


def _with_details(queryset: QuerySet[Service], user: Any, action: str) -> QuerySet[Service]:
    def rows(model: Any) -> Any:
        return restrict(model.objects.all(), user, action)

    return queryset.select_related("organisation").prefetch_related(
        Prefetch("substances", queryset=restrict(Substance.objects.all(), user, action)),
        # Counties are kernel reference data: read (``view``) whatever the purpose.
        Prefetch("counties", queryset=restrict(County.objects.all(), user, "view")),
        Prefetch("phones", queryset=rows(Phone)),
        Prefetch("contacts", queryset=rows(Contact)),
        Prefetch("schedules", queryset=rows(Schedule).order_by("weekday", "opens_at")),
        Prefetch(
            "service_at_locations",
            queryset=rows(ServiceAtLocation).select_related("location__county"),
        ),
    )


def filter_services(queryset: QuerySet[Service], criteria: SearchCriteria) -> QuerySet[Service]:
    """``queryset`` (already restricted) narrowed to the services matching the criteria."""
    if criteria.substance_code:
        queryset = queryset.filter(substances__code=criteria.substance_code)
    if criteria.county is not None:
        queryset = queryset.filter(counties=criteria.county)
    if criteria.age is not None:
        queryset = queryset.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=criteria.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=criteria.age),
        )
    if criteria.pontio_only:
        queryset = queryset.filter(accepts_pontio_referrals=True)
    if criteria.criminal_justice_only:
        queryset = queryset.filter(accepts_criminal_justice_referrals=True)
    return queryset.distinct()


def searchable_services(user: Any) -> QuerySet[Service]:
    """The active services the user may find, with their details, in name order."""
    active = restrict(Service.objects.filter(status=Service.Status.ACTIVE), user, "view")
    return _with_details(active, user, "view").order_by("name", "pk")


def search_services(user: Any, criteria: SearchCriteria) -> QuerySet[Service]:
    """Active services matching the officer's criteria, in the user's scope."""
    return filter_services(searchable_services(user), criteria).order_by("name", "pk")


def service_detail_queryset(user: Any) -> QuerySet[Service]:
    """Services with their details as the user may see them (fetch one with ``scoped_get``)."""
    return _with_details(Service.objects.all(), user, "view")


def managed_services(user: Any) -> QuerySet[Service]:
    """The services this user may change (their organisation's; all for administrators)."""
    return (
        restrict(Service.objects.all(), user, "change")
        .select_related("organisation")
        .prefetch_related(
            Prefetch("counties", queryset=restrict(County.objects.all(), user, "view"))
        )
        .order_by("organisation__name", "name", "pk")
    )


# --- Open Referral UK / HSDS 3 export ---------------------------------------------------


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in ("", None)}


def _hsds_time(value: Any) -> str:
    # Opening times are local (Europe/London); HSDS asks for a UTC offset, which changes
    # with summer time, so the local time is given with the IANA zone in the description.
    return f"{value:%H:%M}"


def _schedule(schedule: Schedule, service: Service, sal_id: str = "") -> dict[str, Any]:
    byday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][schedule.weekday - 1]
    return _drop_empty(
        {
            "id": str(schedule.hsds_id),
            "service_id": str(service.hsds_id),
            "service_at_location_id": sal_id,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": byday,
            "opens_at": _hsds_time(schedule.opens_at),
            "closes_at": _hsds_time(schedule.closes_at),
            "description": f"{schedule} (Europe/London)",
        }
    )


def _phone(phone: Any, service: Service) -> dict[str, Any]:
    return _drop_empty(
        {
            "id": str(phone.hsds_id),
            "service_id": str(service.hsds_id),
            "number": phone.national,
            "type": "voice",
            "description": phone.description,
        }
    )


def _eligibility(service: Service) -> str:
    parts: list[str] = []
    if service.minimum_age is not None or service.maximum_age is not None:
        low = service.minimum_age if service.minimum_age is not None else 0
        parts.append(
            f"Ages {low} to {service.maximum_age}"
            if service.maximum_age is not None
            else f"Ages {low} and over"
        )
    gender = {"women": "Women only", "men": "Men only"}.get(service.genders)
    if gender:
        parts.append(gender)
    substances = [s.label_en for s in service.substances.all()]
    if substances:
        parts.append("Substances: " + ", ".join(substances))
    if service.accepts_criminal_justice_referrals:
        parts.append("Accepts criminal justice referrals")
    if service.accepts_pontio_referrals:
        parts.append("Accepts referrals through Pontio")
    return ". ".join(parts) + ("." if parts else "")


def hsds_service(service: Service) -> dict[str, Any]:
    """One HSDS 3 service object with its organisation, locations, phones and schedules."""
    org = service.organisation
    schedules = list(service.schedules.all())
    sals = []
    for sal in service.service_at_locations.all():
        location = sal.location
        sals.append(
            {
                "id": str(sal.hsds_id),
                "service_id": str(service.hsds_id),
                "location_id": str(location.hsds_id),
                "schedules": [
                    _schedule(s, service, str(sal.hsds_id))
                    for s in schedules
                    if s.service_at_location_id == sal.pk
                ],
                "location": _drop_empty(
                    {
                        "id": str(location.hsds_id),
                        "location_type": "physical",
                        "organization_id": str(org.hsds_id),
                        "name": location.name,
                        "alternate_name": location.name_cy,
                        "latitude": float(location.latitude)
                        if location.latitude is not None
                        else None,
                        "longitude": float(location.longitude)
                        if location.longitude is not None
                        else None,
                        "addresses": [
                            {
                                "id": str(location.address_hsds_id),
                                "location_id": str(location.hsds_id),
                                "address_1": location.address_1,
                                "city": location.city,
                                "state_province": location.county.label_en,
                                "postal_code": location.postcode,
                                "country": "GB",
                                "address_type": "physical",
                            }
                        ],
                    }
                ),
            }
        )
    data: dict[str, Any] = {
        "id": str(service.hsds_id),
        "organization_id": str(org.hsds_id),
        "name": service.name,
        "alternate_name": service.name_cy,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "application_process": service.how_to_refer,
        "eligibility_description": _eligibility(service),
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "last_modified": service.updated_at.isoformat(),
    }
    data = _drop_empty(data)
    data["organization"] = _drop_empty(
        {
            "id": str(org.hsds_id),
            "name": org.name,
            "alternate_name": org.name_cy,
            "description": org.description,
            "email": org.email,
            "website": org.website,
        }
    )
    data["phones"] = [_phone(p, service) for p in service.phones.all()]
    data["contacts"] = [
        _drop_empty(
            {
                "id": str(c.hsds_id),
                "service_id": str(service.hsds_id),
                "name": c.name,
                "title": c.title,
                "email": c.email,
            }
        )
        for c in service.contacts.all()
    ]
    data["schedules"] = [_schedule(s, service) for s in schedules if not s.service_at_location_id]
    data["service_at_locations"] = sals
    data["service_areas"] = [
        {
            "id": str(uuid.uuid5(service.hsds_id, county.ons_code)),
            "service_id": str(service.hsds_id),
            "name": county.label_en,
            "extent_type": "ons_code",
            "extent": county.ons_code,
            "uri": f"http://statistics.data.gov.uk/id/statistical-geography/{county.ons_code}",
        }
        for county in service.counties.all()
    ]
    return data


def export_queryset(user: Any) -> QuerySet[Service]:
    """Every service (active and inactive) the user may export, with its details."""
    exported = restrict(Service.objects.all(), user, "export")
    return _with_details(exported, user, "export").order_by("pk")


def hsds_export(user: Any) -> list[dict[str, Any]]:
    return [hsds_service(service) for service in export_queryset(user)]
