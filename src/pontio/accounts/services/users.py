"""User administration: create and change accounts, roles and counties, deactivate,
reset the second factor, unlock. Each change is scoped and audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from pontio.accounts.models import (
    Organisation,
    RoleGrant,
    User,
    new_session_salt,
)
from pontio.accounts.roles import ROLE_ORGANISATION_KINDS, Role
from pontio.accounts.selectors import user_is_locked_out  # noqa: F401  (re-exported)
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict

# Roles only a force-wide administrator may grant: they open the whole force area.
WIDE_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})
USER_AUDIT_EXCLUDE = {"last_login", "updated_at", "date_joined"}


@dataclass
class UserData:
    username: str
    first_name: str
    last_name: str
    email: str
    organisation: Organisation
    roles: list[str]
    force_wide: bool
    counties: list[County]
    staff_number: str = ""
    preferred_language: str = "en"


def _user_snapshot(user: User) -> dict[str, Any]:
    data = snapshot_fields(user, exclude=USER_AUDIT_EXCLUDE)
    data["roles"] = sorted(user.role_grants.values_list("role", flat=True))
    data["counties"] = sorted(user.counties.values_list("ons_code", flat=True))
    return data


def _validate_user_data(actor: User, data: UserData) -> None:
    errors: dict[str, list[str]] = {}
    kind = data.organisation.kind
    bad_roles = [r for r in data.roles if kind not in ROLE_ORGANISATION_KINDS.get(r, frozenset())]
    if bad_roles:
        labels = ", ".join(str(Role(r).label) for r in bad_roles if r in Role.values)
        errors.setdefault("roles", []).append(
            _("These roles cannot be held by someone in this organisation: %(roles)s")
            % {"roles": labels or ", ".join(bad_roles)}
        )
    if not data.roles:
        errors.setdefault("roles", []).append(_("Choose at least one role."))
    if not data.force_wide and not data.counties:
        errors.setdefault("counties", []).append(
            _("Choose at least one county, or the whole force area.")
        )
    if not actor.force_wide:
        if data.force_wide:
            errors.setdefault("force_wide", []).append(
                _("Only an administrator for the whole force area can grant whole-area access.")
            )
        outside = [c for c in data.counties if c.pk not in actor.county_ids]
        if outside:
            errors.setdefault("counties", []).append(
                _("You can only give access to your own counties.")
            )
        if WIDE_ROLES & set(data.roles):
            errors.setdefault("roles", []).append(
                _("Only an administrator for the whole force area can grant this role.")
            )
    if not data.organisation.is_active:
        errors.setdefault("organisation", []).append(_("This organisation is closed."))
    if errors:
        raise ValidationError(errors)


def _set_roles_and_counties(user: User, data: UserData, actor: User) -> None:
    user.role_grants.exclude(role__in=data.roles).delete()
    existing = set(user.role_grants.values_list("role", flat=True))
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=user, role=r, granted_by=actor) for r in data.roles if r not in existing]
    )
    user.counties.set([] if data.force_wide else data.counties)
    user.__dict__.pop("role_set", None)
    user.__dict__.pop("county_ids", None)


@transaction.atomic
def user_create(*, context: AuditContext, actor: User, data: UserData, invite: bool = True) -> User:
    """Create an account with no usable password; the user sets one through the emailed
    invitation (``invite=False`` where accounts are set up otherwise, e.g. the demo's)."""
    require_permission(actor, "accounts.manage_users")
    if not restrict(Organisation.objects.filter(pk=data.organisation.pk), actor, "view").exists():
        raise PermissionDenied
    _validate_user_data(actor, data)
    if User.objects.filter(username__iexact=data.username).exists():
        raise ValidationError({"username": [_("This username is already taken.")]})
    if User.objects.filter(email__iexact=data.email).exists():
        raise ValidationError({"email": [_("An account with this email address already exists.")]})
    user = User(
        username=data.username,
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email.lower(),
        organisation=data.organisation,
        force_wide=data.force_wide,
        staff_number=data.staff_number,
        preferred_language=data.preferred_language,
    )
    # No usable password: the new user sets one through the emailed link.
    user.set_unusable_password()
    user.save()
    _set_roles_and_counties(user, data, actor)
    audit_record(
        context=context, action=AuditAction.CREATE, obj=user, before={}, after=_user_snapshot(user)
    )
    if invite:
        from pontio.accounts.tasks import send_account_invitation

        transaction.on_commit(lambda: send_account_invitation.enqueue(user_id=user.pk))
    return user


def _lock_user_for(actor: User, pk: int, action: str = "change") -> User:
    require_permission(actor, "accounts.manage_users")
    user = restrict(User.objects.select_for_update(), actor, action).filter(pk=pk).first()
    if user is None:
        raise PermissionDenied
    return user


def _require_account_action(actor: User, user: User, action: str) -> None:
    """Refuse an account action the user page would not offer now (``actions_for``)."""
    from pontio.accounts.actions import actions_for

    if action in actions_for(user, actor):
        return
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot do this to your own account."), code="own_account")
    raise ValidationError(
        _("This cannot be done to the account as it is now."), code="not_allowed_now"
    )


@transaction.atomic
def user_update(
    *,
    context: AuditContext,
    actor: User,
    user_id: int,
    expected_version: int | None,
    data: UserData,
) -> User:
    user = _lock_user_for(actor, user_id)
    _validate_user_data(actor, data)
    before = _user_snapshot(user)  # taken before the version moves on
    check_version(user, expected_version)  # type: ignore[arg-type]
    if User.objects.filter(email__iexact=data.email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": [_("An account with this email address already exists.")]})
    for name in ("first_name", "last_name", "staff_number", "preferred_language", "force_wide"):
        setattr(user, name, getattr(data, name))
    user.email = data.email.lower()
    if user.organisation_id != data.organisation.pk:
        user.organisation = data.organisation
    user.save()
    _set_roles_and_counties(user, data, actor)
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=user,
        before=before,
        after=_user_snapshot(user),
    )
    return user


@transaction.atomic
def user_set_active(
    *, context: AuditContext, actor: User, user_id: int, active: bool, expected_version: int | None
) -> User:
    user = _lock_user_for(actor, user_id)
    check_version(user, expected_version)  # type: ignore[arg-type]
    _require_account_action(actor, user, "activate" if active else "deactivate")
    before = {"is_active": user.is_active}
    user.is_active = active
    if not active:
        user.session_salt = new_session_salt()  # ends their sessions now
    user.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=user,
        before=before,
        after={"is_active": active},
    )
    return user


@transaction.atomic
def user_reset_mfa(*, context: AuditContext, actor: User, user_id: int) -> User:
    """Remove the user's authenticator: they set up a new one at their next sign-in."""
    user = _lock_user_for(actor, user_id)
    _require_account_action(actor, user, "reset-mfa")
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    user.session_salt = new_session_salt()
    user.save(update_fields=["session_salt"])
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=user,
        before={"mfa_devices": removed},
        after={"mfa_devices": 0},
    )
    return user


@transaction.atomic
def user_unlock(*, context: AuditContext, actor: User, user_id: int) -> User:
    user = _lock_user_for(actor, user_id)
    _require_account_action(actor, user, "unlock")
    cleared = axes_reset(username=user.username)
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=user,
        before={"locked": bool(cleared)},
        after={"locked": False},
    )
    return user
