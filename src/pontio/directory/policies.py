"""Scope policies of the directory: everyone signed in may read it; providers change their own.

A provider manager may change (and create services of) only directory organisations whose
``owner`` is their own Pontio organisation; administrators may change everything.
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.core.scopes import scope_policy
from pontio.directory.models import DirectoryOrganisation, Location, Service, Substance

READ_ACTIONS = frozenset({"view", "export"})


def _change(user: User, owner_path: str) -> Q | None:
    if user.has_role(Role.ADMINISTRATOR):
        return Q()
    if user.has_role(Role.PROVIDER_MANAGER):
        return Q(**{owner_path: user.organisation_id})
    return None


@scope_policy(DirectoryOrganisation)
def directory_organisation_scope(user: User, action: str) -> Q | None:
    if action in READ_ACTIONS:
        return Q()
    return _change(user, "owner_id")


@scope_policy(Service)
def service_scope(user: User, action: str) -> Q | None:
    if action in READ_ACTIONS:
        return Q()
    return _change(user, "organisation__owner_id")


@scope_policy(Location)
def location_scope(user: User, action: str) -> Q | None:
    if action in READ_ACTIONS:
        return Q()
    return _change(user, "organisation__owner_id")


@scope_policy(Substance)
def substance_scope(user: User, action: str) -> Q | None:
    return Q() if action in READ_ACTIONS else None
