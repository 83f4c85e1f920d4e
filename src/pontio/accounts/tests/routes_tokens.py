"""The partner-token pages' rows for tests/system/test_access_matrix.py, as plain dicts of
the ``Route`` fields (the lead turns each into ``Route(**row)``), and the record they need.

The world's record (``build_world``): one live token of Dyfed Drug and Alcohol Service,
issued by the demo administrator, named "Matrix Token" (its name is the marker: only
administrators see it). Its plaintext is thrown away: no page ever shows it again.
"""

from __future__ import annotations

from typing import Any

from pontio.accounts.roles import Role

ADMIN = frozenset({Role.ADMINISTRATOR})


def token(world: Any) -> dict[str, Any]:
    return {"pk": world.api_token_pk}


def name(world: Any) -> tuple[str, ...]:
    return ("Matrix Token",)


ROUTES: dict[str, dict[str, Any]] = {
    "accounts:token-list": {"roles": ADMIN, "marker": name},
    "accounts:token-new": {"roles": ADMIN},
    # Without the session's copy the page says the token cannot be shown again (200).
    "accounts:token-issued": {"roles": ADMIN, "kwargs": token, "marker": name},
    # GET is the confirmation page; POST revokes.
    "accounts:token-revoke": {"roles": ADMIN, "kwargs": token, "marker": name},
}

# The World field these rows read (add it to ``World``, ``0`` by default).
WORLD_FIELDS = {"api_token_pk": 0}


def build_world(world: Any, users: dict[str, Any]) -> None:
    """The token of the rows above, through the service (call from ``_build_world``)."""
    from datetime import timedelta

    from django.utils import timezone

    from pontio.accounts.models import Organisation
    from pontio.accounts.tokens import token_create

    issued, _plaintext = token_create(
        actor=users["admin"],
        organisation=Organisation.objects.get(name="Dyfed Drug and Alcohol Service"),
        name="Matrix Token",
        scopes=["api"],
        role=Role.PROVIDER_CASEWORKER,
        expires_at=timezone.now() + timedelta(days=30),
    )
    world.api_token_pk = issued.pk
