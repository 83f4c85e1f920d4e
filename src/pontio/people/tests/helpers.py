"""Builders shared by the people tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories import county

from pontio.audit.services import AuditContext
from pontio.people.models import Address, Person

CONTEXT = AuditContext.system("test")


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
