"""Builders shared by the people tests."""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import Any

from django.test import Client
from tests.conftest import sign_in_client
from tests.factories import CARMARTHENSHIRE, UserFactory
from tests.factories import make_person as _make_person

from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext
from pontio.core.recording import AuditAction

CONTEXT = AuditContext.system("test")
HUGE_YEAR = "99999999999"


# A person in Carmarthen if given a county (tests.factories.make_person).
make_person = functools.partial(_make_person, postcode="SA31 1AA", town="Carmarthen")


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


# --- matching: a population, duplicates with hard negatives, and a de-duplication run ------

LINKAGE_GIVEN = [
    "Dafydd",
    "Rhys",
    "Sian",
    "Catrin",
    "Gareth",
    "Megan",
    "Owain",
    "Ffion",
    "Huw",
    "Elin",
]
LINKAGE_FAMILY = ["Jones", "Davies", "Williams", "Evans", "Thomas", "Prydderch", "Bevan", "Pugh"]


def linkage_population(count: int, seed: int = 3) -> None:
    """``count`` distinct people made in bulk (keys set as ``save`` would)."""
    from pontio.people.models import Person, _phonetic, given_key

    rng = random.Random(seed)
    people = []
    for k in range(count):
        given, family = (
            rng.choice(LINKAGE_GIVEN),
            rng.choice(LINKAGE_FAMILY) + ("" if k % 3 else f"-{k}"),
        )
        people.append(
            Person(
                given_name=given,
                family_name=family,
                date_of_birth=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000)),
                gender=rng.choice(["male", "female"]),
                given_name_key=given_key(given),
                family_name_key=_phonetic(family)[:40],
            )
        )
    Person.objects.bulk_create(people, batch_size=1000)


def linkage_duplicates() -> dict[str, Any]:
    """Two people entered twice (one with day and month swapped, one with a Welsh form of
    the given name), twins, and a father and son with the same name."""
    county = CARMARTHENSHIRE
    return {
        "a1": make_person(
            "Dafydd", "Prydderch", dt.date(1984, 3, 7), county_code=county, gender="male"
        ),
        "a2": make_person(
            "David", "Prydderch", dt.date(1984, 7, 3), county_code=county, gender="male"
        ),
        "b1": make_person(
            "Siân",
            "Bevan",
            dt.date(1991, 11, 20),
            county_code=county,
            gender="female",
            pnc_id="11/123456A",
        ),
        "b2": make_person("Sian", "Bevan", dt.date(1991, 11, 20), gender="female"),
        "twin1": make_person(
            "Rhodri", "Gwyther", dt.date(2001, 5, 5), county_code=county, gender="male"
        ),
        "twin2": make_person(
            "Gethin", "Gwyther", dt.date(2001, 5, 5), county_code=county, gender="male"
        ),
        "father": make_person(
            "Huw", "Llewelyn", dt.date(1960, 2, 1), county_code=county, gender="male"
        ),
        "son": make_person(
            "Huw", "Llewelyn", dt.date(1988, 2, 1), county_code=county, gender="male"
        ),
    }


def run_deduplication_now() -> Any:
    """Open a de-duplication run and do its work at once (as the worker would)."""
    from pontio.people.services import linkage

    run = linkage.start_deduplication(context=AuditContext.system("test"), actor=None)
    return linkage.run_deduplication(run.pk)
