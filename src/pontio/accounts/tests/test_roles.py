"""The roles table: who may do what, and which organisations may hold which roles."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from tests.factories import UserFactory

from pontio.accounts.roles import (
    ALL_ROLES,
    FORCE_ROLES,
    ROLE_ORGANISATION_KINDS,
    OrganisationKind,
    Role,
)
from pontio.core.permissions import has_permission, registered_permissions

PERMISSIONS = registered_permissions()

pytestmark = pytest.mark.django_db


def test_every_role_says_which_organisations_may_hold_it() -> None:
    assert set(ROLE_ORGANISATION_KINDS) == set(Role.values)
    for role, kinds in ROLE_ORGANISATION_KINDS.items():
        assert kinds, role
        assert kinds <= set(OrganisationKind.values), role


def test_police_roles_are_force_only_and_provider_roles_provider_only() -> None:
    for role in FORCE_ROLES:
        assert ROLE_ORGANISATION_KINDS[role] == {OrganisationKind.FORCE}
    for role in (Role.PROVIDER_CASEWORKER, Role.PROVIDER_MANAGER, Role.NAVIGATOR):
        assert ROLE_ORGANISATION_KINDS[role] == {OrganisationKind.PROVIDER}
    assert ROLE_ORGANISATION_KINDS[Role.OPCC_ANALYST] == {OrganisationKind.OPCC}
    assert ROLE_ORGANISATION_KINDS[Role.PANEL_MEMBER] == {
        OrganisationKind.PANEL,
        OrganisationKind.OPCC,
    }


def test_permissions_only_name_real_roles() -> None:
    for permission, roles in PERMISSIONS.items():
        assert roles <= ALL_ROLES, permission
    assert PERMISSIONS["api.use"] == ALL_ROLES


@pytest.mark.parametrize("role", Role.values)
def test_each_role_has_exactly_its_permissions(role: str) -> None:
    user = UserFactory(roles=[role])
    for permission, holders in PERMISSIONS.items():
        assert has_permission(user, permission) is (role in holders), (role, permission)


def test_administrator_and_auditor_permissions() -> None:
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    auditor = UserFactory(roles=[Role.AUDITOR])
    assert has_permission(admin, "accounts.manage_users")
    assert has_permission(admin, "core.manage_reference_data")
    assert not has_permission(admin, "audit.view_log")
    assert has_permission(auditor, "audit.view_log")
    assert has_permission(auditor, "audit.export_log")
    assert not has_permission(auditor, "accounts.manage_users")


def test_inactive_user_has_no_permission() -> None:
    admin = UserFactory(roles=[Role.ADMINISTRATOR], is_active=False)
    assert not has_permission(admin, "accounts.manage_users")
    assert not has_permission(admin, "api.use")


def test_user_without_organisation_has_no_permission() -> None:
    admin = UserFactory(roles=[Role.ADMINISTRATOR], organisation=None)
    assert not has_permission(admin, "accounts.manage_users")
    assert not has_permission(admin, "api.use")


def test_unknown_permission_is_refused_even_to_administrators() -> None:
    admin = UserFactory(roles=[Role.ADMINISTRATOR], force_wide=True)
    assert not has_permission(admin, "accounts.delete_everything")
    assert not has_permission(admin, "")


def test_anonymous_user_has_no_permission() -> None:
    assert not has_permission(AnonymousUser(), "api.use")  # type: ignore[arg-type]


def test_user_without_roles_has_no_permission() -> None:
    nobody = UserFactory(roles=[])
    for permission in PERMISSIONS:
        assert not has_permission(nobody, permission)


def test_superuser_flag_grants_nothing() -> None:
    """Permissions come from the roles table only, never Django's superuser flag."""
    superuser = UserFactory(roles=[Role.OFFICER], is_superuser=True, is_staff=True)
    assert not has_permission(superuser, "accounts.manage_users")
    assert not has_permission(superuser, "audit.view_log")
