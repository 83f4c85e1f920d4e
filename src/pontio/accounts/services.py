"""Account actions: sign-in steps, MFA, sign-out everywhere, user and organisation admin.

Each write runs in one transaction with its audit event. Rules about who may grant what are
here, not in views or forms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pontio.accounts.events import AccountEvent
from pontio.accounts.models import (
    BREAK_GLASS_DURATION,
    BreakGlassGrant,
    Organisation,
    RoleGrant,
    User,
    new_session_salt,
)
from pontio.accounts.policies import organisation_scope
from pontio.accounts.roles import ROLE_ORGANISATION_KINDS, Role
from pontio.audit.services import AuditContext, audit_record, audit_request, object_type_of
from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import may_break_glass, restrict

SESSION_SIGNED_IN_AT = "pontio_signed_in_at"
SESSION_PENDING_USER = "pontio_pending_user"
SESSION_PENDING_AT = "pontio_pending_at"

# Roles only a force-wide administrator may grant: they open the whole force area.
WIDE_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})
USER_AUDIT_EXCLUDE = {"last_login", "updated_at", "date_joined"}


# --- sign-in -------------------------------------------------------------------------


@dataclass(frozen=True)
class PasswordCheck:
    user: User | None
    locked_out: bool = False


def sign_in_check_password(*, request: HttpRequest, username: str, password: str) -> PasswordCheck:
    """First factor. Failures and lockouts are audited with the account id, never the name."""
    known = User.objects.filter(username__iexact=username).only("pk", "organisation_id").first()
    credentials = {"username": username}
    if not AxesProxyHandler.is_allowed(request, credentials):
        audit_request(
            request,
            AccountEvent.LOCKED_OUT,
            object_type="accounts.user",
            object_id=str(known.pk) if known else "",
        )
        return PasswordCheck(user=None, locked_out=True)
    user = authenticate(request, username=username, password=password)
    if user is None or not isinstance(user, User):
        locked_now = not AxesProxyHandler.is_allowed(request, credentials)
        audit_request(
            request,
            AccountEvent.LOCKED_OUT if locked_now else AccountEvent.SIGN_IN_FAILED,
            object_type="accounts.user",
            object_id=str(known.pk) if known else "",
            reason="" if known else "unknown account",
        )
        return PasswordCheck(user=None, locked_out=locked_now)
    return PasswordCheck(user=user)


def sign_in_begin_second_step(*, request: HttpRequest, user: User) -> None:
    """Remember, for a few minutes, whose password was right; the code comes next."""
    request.session.cycle_key()
    request.session[SESSION_PENDING_USER] = user.pk
    request.session[SESSION_PENDING_AT] = timezone.now().isoformat()


def sign_in_pending_user(request: HttpRequest, max_minutes: int) -> User | None:
    pk = request.session.get(SESSION_PENDING_USER)
    started = request.session.get(SESSION_PENDING_AT)
    if not pk or not started:
        return None
    started_at = datetime.fromisoformat(started)
    if timezone.now() - started_at > timedelta(minutes=max_minutes):
        request.session.pop(SESSION_PENDING_USER, None)
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def mfa_verify(*, request: HttpRequest, user: User, token: str) -> TOTPDevice | None:
    """Second factor. django-otp throttles repeated wrong codes on the device."""
    device = confirmed_device(user)
    if device is not None and token and device.verify_token(token.strip().replace(" ", "")):
        return device
    audit_record(
        context=AuditContext.from_request(request),
        action=AccountEvent.MFA_FAILED,
        object_type="accounts.user",
        object_id=str(user.pk),
    )
    return None


def mfa_enrolment_device(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def mfa_enrolment_confirm(*, request: HttpRequest, user: User, token: str) -> TOTPDevice | None:
    device = mfa_enrolment_device(user)
    if not device.verify_token(token.strip().replace(" ", "")):
        audit_request(
            request, AccountEvent.MFA_FAILED, object_type="accounts.user", object_id=str(user.pk)
        )
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_request(
        request, AccountEvent.MFA_ENROLLED, object_type="accounts.user", object_id=str(user.pk)
    )
    return device


@transaction.atomic
def sign_in_complete(*, request: HttpRequest, user: User, device: TOTPDevice) -> None:
    """Both factors passed: start the session in the user's language and audit it."""
    request.session.pop(SESSION_PENDING_USER, None)
    request.session.pop(SESSION_PENDING_AT, None)
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    request.session[SESSION_SIGNED_IN_AT] = timezone.now().isoformat()
    translation.activate(user.preferred_language)
    audit_request(request, AccountEvent.SIGN_IN, obj=user)


def sign_out(*, request: HttpRequest, reason: str = "") -> None:
    user = request.user
    if user.is_authenticated:
        audit_request(request, AccountEvent.SIGN_OUT, obj=user, reason=reason)
    django_logout(request)


@transaction.atomic
def sign_out_everywhere(*, request: HttpRequest) -> None:
    """End every session of this user on every device (including this one)."""
    user = User.objects.select_for_update().get(pk=request.user.pk or 0)
    user.session_salt = new_session_salt()
    user.save(update_fields=["session_salt"])
    audit_request(request, AccountEvent.SIGN_OUT_EVERYWHERE, obj=user)
    django_logout(request)


@transaction.atomic
def account_set_language(*, request: HttpRequest, language: str) -> User:
    if language not in User.Language.values:
        raise ValidationError(_("Choose English or Cymraeg."), code="invalid_language")
    user = User.objects.select_for_update().get(pk=request.user.pk or 0)
    before = {"preferred_language": user.preferred_language}
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    audit_request(
        request, AuditAction.UPDATE, obj=user, before=before, after={"preferred_language": language}
    )
    return user


# --- user administration --------------------------------------------------------------


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
def user_create(*, context: AuditContext, actor: User, data: UserData) -> User:
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
    from pontio.accounts.tasks import send_account_invitation

    transaction.on_commit(lambda: send_account_invitation.enqueue(user_id=user.pk))
    return user


def _lock_user_for(actor: User, pk: int, action: str = "change") -> User:
    require_permission(actor, "accounts.manage_users")
    user = restrict(User.objects.select_for_update(), actor, action).filter(pk=pk).first()
    if user is None:
        raise PermissionDenied
    return user


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
    cleared = axes_reset(username=user.username)
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=user,
        before={"locked": bool(cleared)},
        after={"locked": False},
    )
    return user


def user_is_locked_out(user: User) -> bool:
    from axes.models import AccessAttempt
    from django.conf import settings

    cutoff = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        username=user.username,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=cutoff,
    ).exists()


# --- organisations --------------------------------------------------------------------


@dataclass
class OrganisationData:
    name: str
    name_cy: str
    kind: str
    counties: Iterable[County]
    is_active: bool = True


def _org_snapshot(org: Organisation) -> dict[str, Any]:
    data = snapshot_fields(org, exclude={"created_at", "updated_at"})
    data["counties"] = sorted(org.counties.values_list("ons_code", flat=True))
    return data


@transaction.atomic
def organisation_create(
    *, context: AuditContext, actor: User, data: OrganisationData
) -> Organisation:
    if organisation_scope(actor, "create") is None:
        raise PermissionDenied
    if Organisation.objects.filter(name__iexact=data.name).exists():
        raise ValidationError({"name": [_("An organisation with this name already exists.")]})
    org = Organisation.objects.create(
        name=data.name, name_cy=data.name_cy, kind=data.kind, is_active=data.is_active
    )
    org.counties.set(list(data.counties))
    audit_record(
        context=context, action=AuditAction.CREATE, obj=org, before={}, after=_org_snapshot(org)
    )
    return org


@transaction.atomic
def organisation_update(
    *,
    context: AuditContext,
    actor: User,
    organisation_id: int,
    expected_version: int | None,
    data: OrganisationData,
) -> Organisation:
    org = (
        restrict(Organisation.objects.select_for_update(), actor, "change")
        .filter(pk=organisation_id)
        .first()
    )
    if org is None:
        raise PermissionDenied
    before = _org_snapshot(org)  # taken before the version moves on
    check_version(org, expected_version)
    if Organisation.objects.filter(name__iexact=data.name).exclude(pk=org.pk).exists():
        raise ValidationError({"name": [_("An organisation with this name already exists.")]})
    if data.kind != org.kind and org.users.exists():
        raise ValidationError(
            {"kind": [_("The type cannot change while the organisation has users.")]}
        )
    org.name, org.name_cy, org.kind, org.is_active = (
        data.name,
        data.name_cy,
        data.kind,
        data.is_active,
    )
    org.save()
    org.counties.set(list(data.counties))
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=org,
        before=before,
        after=_org_snapshot(org),
    )
    return org


# --- break-glass ----------------------------------------------------------------------


@transaction.atomic
def break_glass_grant(
    *, request: HttpRequest, model: type[models.Model], object_id: str, reason: str
) -> BreakGlassGrant:
    """Open one out-of-scope record for a few hours, for a reason that auditors review."""
    user = request.user
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": [_("Explain in at least 10 characters why you need this record.")]}
        )
    try:
        pk = model._meta.pk.to_python(object_id)
    except ValidationError:
        raise PermissionDenied from None
    if not may_break_glass(user, model) or not model._default_manager.filter(pk=pk).exists():
        raise PermissionDenied
    grant = BreakGlassGrant.objects.create(
        user=user,  # type: ignore[misc]
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(object_id),
        reason=reason,
        expires_at=timezone.now() + BREAK_GLASS_DURATION,
    )
    audit_request(
        request,
        AccountEvent.BREAK_GLASS,
        object_type=object_type_of(model),
        object_id=str(object_id),
        reason=reason,
    )
    return grant


def password_reset_request(*, email: str) -> None:
    """Queue a password link for an active account with this address (silently none else)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    from pontio.accounts.tasks import send_password_reset

    transaction.on_commit(lambda: send_password_reset.enqueue(user_id=user.pk))
