"""Scope policies of the directory: everyone signed in may read it; providers change their own.

A provider manager may change (and create services of) only directory organisations whose
``owner`` is their own Pontio organisation; administrators may change everything. Only
administrators add directory organisations. The rows that belong to a service (its
locations, links to them, phones, contacts and opening hours) follow the service's owner.
Its eligibility is on the service row itself (ages, who it is for) and in its links to
substances and counties, which are read only through the service.

The directory holds no personal data and no figure counts rows a reader may not open, so
there is no ``aggregate`` scope (closed, like every action not named here).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.core.scopes import scope_policy
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

READ_ACTIONS = frozenset({"view", "export"})
WRITE_ACTIONS = frozenset({"change", "create", "delete"})


def _change(user: User, owner_path: str) -> Q | None:
    if user.has_role(Role.ADMINISTRATOR):
        return Q()
    if user.has_role(Role.PROVIDER_MANAGER):
        return Q(**{owner_path: user.organisation_id})
    return None


def _owned(owner_path: str) -> Callable[[User, str], Q | None]:
    """A policy: everyone reads; the owner's managers (and administrators) write."""

    def policy(user: User, action: str) -> Q | None:
        if action in READ_ACTIONS:
            return Q()
        if action in WRITE_ACTIONS:
            return _change(user, owner_path)
        return None

    return policy


@scope_policy(DirectoryOrganisation)
def directory_organisation_scope(user: User, action: str) -> Q | None:
    if action in READ_ACTIONS:
        return Q()
    if action == "create":
        # A new directory organisation is an administrator's decision.
        return Q() if user.has_role(Role.ADMINISTRATOR) else None
    if action in WRITE_ACTIONS:
        return _change(user, "owner_id")
    return None


scope_policy(Service)(_owned("organisation__owner_id"))
scope_policy(Location)(_owned("organisation__owner_id"))
scope_policy(ServiceAtLocation)(_owned("service__organisation__owner_id"))
scope_policy(Phone)(_owned("service__organisation__owner_id"))
scope_policy(Contact)(_owned("service__organisation__owner_id"))
scope_policy(Schedule)(_owned("service__organisation__owner_id"))


@scope_policy(Substance)
def substance_scope(user: User, action: str) -> Q | None:
    # Reference data: administrators edit it on the reference-data pages, not here.
    return Q() if action in READ_ACTIONS else None
