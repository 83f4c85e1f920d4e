"""What a user may do with a directory service: one rule, asked by pages and enforced by
services.

``actions_for(service, user)`` is the set of actions open to the user on that service; the
service page shows a button only for an action in the set, and ``services`` refuses (and
audits) the same write by the same rule.

- ``EDIT``: change the service's details, location, phone, contact and opening hours;
- ``CHANGE_STATUS``: deactivate it (it leaves the officers' search, stays in the export) or
  reactivate it.

Both need ``directory.manage`` and the service in the user's change scope (their own
organisation's services; every service for administrators: ``directory.policies``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.directory.models import DirectoryOrganisation, Service

EDIT = "edit"
CHANGE_STATUS = "change_status"
MANAGE_PERMISSION = "directory.manage"


def actions_for(service: Service, user: Any) -> frozenset[str]:
    if not has_permission(user, MANAGE_PERMISSION):
        return frozenset()
    if not restrict(Service.objects.filter(pk=service.pk), user, "change").exists():
        return frozenset()
    return frozenset({EDIT, CHANGE_STATUS})


def organisations_for_new_services(user: Any) -> QuerySet[DirectoryOrganisation]:
    """The directory organisations the user may add a service to (none without
    ``directory.manage``)."""
    organisations = restrict(DirectoryOrganisation.objects.all(), user, "change")
    if not has_permission(user, MANAGE_PERMISSION):
        return organisations.none()
    return organisations
