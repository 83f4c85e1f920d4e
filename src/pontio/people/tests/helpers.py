"""Builders shared by the people tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from tests.conftest import sign_in_client
from tests.factories import UserFactory, county

from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext
from pontio.core.recording import AuditAction
from pontio.people.models import Address, Person

CONTEXT = AuditContext.system("test")
HUGE_YEAR = "99999999999"


def make_person(
    given: str = "Dafydd",
    family: str = "Jones",
    dob: dt.date | None = dt.date(1990, 3, 27),
    county_code: str | None = None,
    postcode: str = "SA31 1AA",
    town: str = "Carmarthen",
    **fields: Any,
) -> Person:
    person = Person.objects.create(
        given_name=given, family_name=family, date_of_birth=dob, **fields
    )
    if county_code:
        Address.objects.create(
            person=person,
            line_1="1 Heol y Bryn",
            town=town,
            county=county(county_code),
            postcode=postcode,
            valid_from=dt.date(2020, 1, 1),
        )
    return person


def user(role: str, counties: tuple[str, ...] = (), force_wide: bool = False) -> Any:
    return UserFactory(roles=[role], counties=list(counties), force_wide=force_wide)


def sign_in_as(role: str, counties: tuple[str, ...] = (), force_wide: bool = False) -> Client:
    """A client signed in as a new user of ``role`` in ``counties``."""
    return sign_in_client(user(role, counties, force_wide))


def text(response: Any) -> str:
    return response.content.decode()


def denials(**kwargs: Any) -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED, **kwargs).count()


def identity(**overrides: str) -> dict[str, str]:
    """What step 1 of "add a person" posts."""
    data = {
        "given_name": "David",
        "family_name": "Jones",
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1990",
        "pnc_id": "",
        "postcode": "",
    }
    data.update(overrides)
    return data


def details(**overrides: str) -> dict[str, str]:
    """What step 2 of "add a person" (or the change page) posts."""
    data = identity()
    data.update({"gender": "male", "self_defined_ethnicity": "NS", "preferred_language": "en"})
    data.update(overrides)
    return data
