"""Builders shared by the people tests."""

from __future__ import annotations

import functools
from typing import Any

from django.test import Client
from tests.conftest import sign_in_client
from tests.factories import UserFactory
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
