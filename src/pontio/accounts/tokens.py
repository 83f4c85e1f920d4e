"""Partner API tokens: one organisation's system calling the API without a person signed in.

An administrator issues a token for one organisation, with the API scopes it may use
(``api``: the REST API under ``/api/v1/``; ``fhir``: the FHIR endpoints under ``/fhir/R4/``)
and one role. Each token acts through a *service account* of its own: a user of that
organisation, with that role, no usable password and no second factor, so every existing
rule (roles, scopes, audit) applies to the token unchanged. The token itself is the second
factor (the kernel's ``IsVerifiedStaff`` accepts a request authenticated by it).

Tokens read ``pontio_<prefix>_<secret>``. The prefix is public (it identifies the token in
lists and in the audit log); the whole token is shown once, when it is issued, and only its
SHA-256 hash is kept (NCSC, "Securing HTTP-based APIs": secrets for machine clients must be
revocable, expiring and stored only as a hash).

The authentication class, the throttle and the audit middleware are in ``tokens_auth``;
the administrators' pages in ``tokens_views``.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import Organisation, RoleGrant, User, new_session_salt
from pontio.accounts.tokens_models import (
    DEFAULT_LIFETIME_DAYS,
    MAX_LIFETIME_DAYS,
    NOT_FOR_TOKENS,
    SCOPES,
    SECRET_BYTES,
    TOKEN_PATTERN,
    TOKEN_PREFIX,
    ApiToken,
    TokenEvent,
    TokenScopeName,
    hash_token,
    parse_token,
    token_roles,
)
from pontio.audit.models import AuditEvent
from pontio.audit.services import AuditContext, audit_record
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict

__all__ = [
    "DEFAULT_LIFETIME_DAYS",
    "MAX_LIFETIME_DAYS",
    "NOT_FOR_TOKENS",
    "SCOPES",
    "TOKEN_PATTERN",
    "ApiToken",
    "TokenEvent",
    "TokenScopeName",
    "hash_token",
    "parse_token",
    "token_create",
    "token_revoke",
    "token_roles",
    "tokens_for",
]


def _snapshot(token: ApiToken) -> dict[str, Any]:
    data = snapshot_fields(token, exclude={"secret_hash", "created_at"})
    data["role"] = token.role
    return data


def _validate(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    scopes: list[str],
    role: str,
    expires_at: datetime | None,
    force_wide: bool,
) -> list[Any]:
    """The checks of ``token_create``; returns the service account's counties."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Enter a name for the token, such as the system that will use it.")]
    elif len(name) > 100:
        errors["name"] = [_("The name must be 100 characters or fewer.")]
    if not scopes:
        errors["scopes"] = [_("Choose at least one part of the API the token may use.")]
    elif set(scopes) - SCOPES:
        errors["scopes"] = [_("Choose only the parts of the API listed.")]
    if role not in token_roles(organisation.kind):
        errors["role"] = [_("Choose a role that someone in this organisation can hold.")]
    now = timezone.now()
    if expires_at is None:
        errors["expires_at"] = [_("Enter the date the token expires.")]
    elif expires_at <= now:
        errors["expires_at"] = [_("The expiry date must be in the future.")]
    elif expires_at > now + timedelta(days=MAX_LIFETIME_DAYS, hours=24):
        # (A day's grace: the form gives a date, which ends at the end of that day.)
        errors["expires_at"] = [
            _("A token can last at most %(days)s days.") % {"days": MAX_LIFETIME_DAYS}
        ]
    if not organisation.is_active:
        errors["organisation"] = [_("This organisation is closed.")]
    counties: list[Any] = []
    if force_wide:
        if not actor.force_wide:
            errors["force_wide"] = [
                _("Only an administrator for the whole force area can grant whole-area access.")
            ]
    else:
        counties = list(organisation.counties.all())
        if not actor.force_wide:
            counties = [c for c in counties if c.pk in actor.county_ids]
        if not counties and "organisation" not in errors:
            errors["organisation"] = [
                _(
                    "This organisation serves none of the counties you administer, so the "
                    "token would see nothing."
                )
            ]
    if errors:
        raise ValidationError(errors)
    return counties


@transaction.atomic
def token_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    scopes: list[str],
    role: str,
    expires_at: datetime | None,
    force_wide: bool = False,
    context: AuditContext | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token and its service account; returns the token and its plaintext, which is
    never available again (only its hash is stored)."""
    require_permission(actor, "accounts.manage_tokens")
    if not restrict(Organisation.objects.filter(pk=organisation.pk), actor, "view").exists():
        raise PermissionDenied
    counties = _validate(
        actor=actor,
        organisation=organisation,
        name=name,
        scopes=scopes,
        role=role,
        expires_at=expires_at,
        force_wide=force_wide,
    )
    if expires_at is None:  # (refused by _validate; this tells the type checker)
        raise ValidationError({"expires_at": [_("Enter the date the token expires.")]})
    context = context or AuditContext(
        actor_id=actor.pk, actor_organisation_id=actor.organisation_id
    )
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    plaintext = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    username = f"api-{prefix}"
    service_user = User(
        username=username,
        first_name=name.strip()[:150],
        last_name="",
        # Email addresses are unique and required by the user model: a reserved, undeliverable
        # address (RFC 2606 ".invalid") so that no message can ever go to the account.
        email=f"{username}@tokens.pontio.invalid",
        organisation=organisation,
        force_wide=force_wide,
        session_salt=new_session_salt(),
    )
    # Nobody signs in as a service account: it acts only through its token.
    service_user.set_unusable_password()
    service_user.save()
    RoleGrant.objects.create(user=service_user, role=role, granted_by=actor)
    service_user.counties.set(counties)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hash_token(plaintext),
        scopes=sorted(set(scopes)),
        user=service_user,
        created_by=actor,
        expires_at=expires_at,
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=service_user,
        before={},
        after={"username": username, "roles": [role], "organisation": organisation.pk},
    )
    audit_record(
        context=context, action=AuditAction.CREATE, obj=token, before={}, after=_snapshot(token)
    )
    return token, plaintext


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken, context: AuditContext | None = None) -> ApiToken:
    """Revoke a token at once; its service account is closed with it (and stays closed)."""
    require_permission(actor, "accounts.manage_tokens")
    locked = (
        restrict(ApiToken.objects.select_for_update(), actor, "change").filter(pk=token.pk).first()
    )
    if locked is None:
        raise PermissionDenied
    if locked.revoked_at is not None:
        raise ValidationError(_("This token has already been revoked."), code="already_revoked")
    context = context or AuditContext(
        actor_id=actor.pk, actor_organisation_id=actor.organisation_id
    )
    before = _snapshot(locked)
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    service_user = User.objects.select_for_update().get(pk=locked.user_id)
    if service_user.is_active:
        service_user.is_active = False
        # Whatever might have been tied to the account ends with it.
        service_user.session_salt = new_session_salt()
        service_user.save(update_fields=["is_active", "session_salt", "updated_at"])
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=service_user,
            before={"is_active": True},
            after={"is_active": False},
        )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=locked,
        before=before,
        after=_snapshot(locked),
    )
    return locked


# --- selectors ---------------------------------------------------------------------------


def tokens_for(user: User) -> QuerySet[ApiToken]:
    """The tokens the user may see, newest first, with the time each was last used (from
    the audit log, so that a call writes nothing but its audit event)."""
    last_call = (
        AuditEvent.objects.filter(
            action=TokenEvent.CALL,
            object_type="accounts.apitoken",
            object_id=Cast(OuterRef("pk"), models.CharField()),
        )
        .order_by("-sequence")
        .values("occurred_at")[:1]
    )
    return (
        restrict(ApiToken.objects.all(), user, "view")
        .select_related("organisation", "user", "created_by", "revoked_by")
        .prefetch_related("user__role_grants")
        .annotate(last_used_at=Subquery(last_call))
    )
