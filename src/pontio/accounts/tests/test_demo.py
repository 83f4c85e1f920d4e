"""Demo users: one per role, enrolled with a TOTP key derived from the username."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pontio.accounts.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    demo_key,
    demo_secret_base32,
    seed_accounts,
)
from pontio.accounts.models import Organisation, RoleGrant, User
from pontio.accounts.roles import ROLE_ORGANISATION_KINDS, Role
from pontio.core.recording import AuditAction

pytestmark = pytest.mark.django_db


def test_there_is_a_demo_user_for_every_role() -> None:
    assert {u.role for u in DEMO_USERS} == set(Role.values)


def test_seed_creates_users_with_valid_roles_and_devices(demo_users: dict[str, Any]) -> None:
    assert set(demo_users) == {u.username for u in DEMO_USERS}
    for spec in DEMO_USERS:
        user = demo_users[spec.username]
        assert user.role_set == {spec.role}
        assert user.organisation.kind in ROLE_ORGANISATION_KINDS[spec.role]
        assert user.force_wide == spec.force_wide
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed
        assert device.key == demo_key(spec.username)


def test_seed_is_idempotent(demo_users: dict[str, Any]) -> None:
    users, orgs, devices = (
        User.objects.count(),
        Organisation.objects.count(),
        TOTPDevice.objects.count(),
    )
    seed_accounts()
    assert (User.objects.count(), Organisation.objects.count(), TOTPDevice.objects.count()) == (
        users,
        orgs,
        devices,
    )


def test_the_demo_users_are_made_by_the_administrator_through_the_user_service(
    demo_users: dict[str, Any],
) -> None:
    """Only the first administrator is bootstrapped; every other account is created by them
    with ``user_create``, so the demo obeys the same rules (roles fit the organisation) and
    leaves the same audit trail (a change record with the roles) as a real one."""
    from pontio.audit.models import AuditEvent, ChangeRecord

    names = [spec.username for spec in DEMO_USERS if spec.username != "admin"]
    User.objects.filter(username__in=names).delete()
    seed_accounts()
    admin = User.objects.get(username="admin")
    for spec in DEMO_USERS:
        if spec.username == "admin":
            continue
        user = User.objects.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        event = AuditEvent.objects.get(
            action=AuditAction.CREATE, object_type="accounts.user", object_id=str(user.pk)
        )
        change = ChangeRecord.objects.get(event=event)
        assert change.after["roles"] == [spec.role]
        assert user.role_grants.get().granted_by == admin
    # No invitation is sent for the demo's accounts.
    from pontio.core.models import Notification

    assert not Notification.objects.filter(template="account_invitation").exists()


def test_demo_key_is_stable_and_differs_per_user() -> None:
    assert demo_key("admin") == demo_key("admin")
    assert demo_key("admin") != demo_key("auditor")
    assert len(bytes.fromhex(demo_key("admin"))) == 20
    assert len(demo_secret_base32("admin")) == 32


def test_demo_code_command_prints_the_current_code() -> None:
    out = StringIO()
    call_command("demo_code", "admin", stdout=out)
    printed = out.getvalue().strip()
    assert len(printed) == 6 and printed.isdigit()
    expected = {f"{totp(bytes.fromhex(demo_key('admin')), drift=d):06d}" for d in (-1, 0)}
    assert printed in expected


def test_demo_code_refuses_other_usernames() -> None:
    with pytest.raises(CommandError):
        call_command("demo_code", "not-a-demo-user", stdout=StringIO())


def test_demo_data_is_refused_in_production(settings: Any) -> None:
    names = [spec.username for spec in DEMO_USERS]
    RoleGrant.objects.filter(user__username__in=names).delete()
    User.objects.filter(username__in=names).delete()
    users = User.objects.count()
    settings.PONTIO_ENV = "production"
    with pytest.raises(ImproperlyConfigured):
        seed_accounts()
    with pytest.raises(CommandError):
        call_command("demo_code", "admin", stdout=StringIO())
    assert User.objects.count() == users
    assert not User.objects.filter(username="admin").exists()
