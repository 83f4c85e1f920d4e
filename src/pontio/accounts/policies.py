"""Scope policies for users and organisations (see ``scopes.restrict``)."""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import BreakGlassGrant, Organisation, RoleGrant, User
from pontio.accounts.roles import Role
from pontio.core.models import County
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict, scope_policy


def _users_in_area(user: User) -> Q:
    """Users working in any of the user's counties (or force-wide)."""
    in_counties = User.objects.filter(counties__in=user.county_ids).values("pk")
    return Q(pk__in=in_counties)


@scope_policy(User, break_glass_roles=frozenset({Role.ADMINISTRATOR}))
def user_scope(user: User, action: str) -> Q | None:
    if user.has_role(Role.ADMINISTRATOR):
        if user.force_wide:
            return Q()
        if action in {"view", "export"}:
            return Q(pk=user.pk) | Q(force_wide=True) | _users_in_area(user)
        # A county administrator may not change anyone whose reach is wider than theirs:
        # not force-wide, and no county outside the administrator's own.
        reaching_out = User.objects.filter(
            counties__in=County.objects.exclude(pk__in=user.county_ids)
        ).values("pk")
        return Q(force_wide=False) & _users_in_area(user) & ~Q(pk__in=reaching_out) & ~Q(pk=user.pk)
    if action == "view":
        if user.has_role(Role.PROVIDER_MANAGER):
            return Q(organisation_id=user.organisation_id)
        if has_permission(user, "audit.view_log"):
            # Auditors read who did what: every account's name next to its entries.
            return Q()
        return Q(pk=user.pk)
    return None


@scope_policy(Organisation)
def organisation_scope(user: User, action: str) -> Q | None:
    if user.has_role(Role.ADMINISTRATOR):
        if action in {"view", "export"}:
            return Q()
        return Q() if user.force_wide else None
    if action == "view":
        return Q(pk=user.organisation_id)
    return None


@scope_policy(BreakGlassGrant)
def break_glass_scope(user: User, action: str) -> Q | None:
    """Auditors review every grant; everyone else sees only their own."""
    if action in {"view", "export"} and has_permission(user, "audit.view_log"):
        return Q()
    if action == "view":
        return Q(user_id=user.pk)
    return None


@scope_policy(RoleGrant)
def role_grant_scope(user: User, action: str) -> Q | None:
    """A user's roles go with the user: seen by whoever may see them, changed by whoever may
    change them."""
    if action not in {"view", "change", "export"}:
        return None
    users = restrict(User.objects.all(), user, action)
    if users.query.is_empty():
        return None
    return Q(user_id__in=users.values("pk"))


from pontio.accounts.tokens_models import ApiToken  # noqa: E402  (partner API tokens)


@scope_policy(ApiToken)
def api_token_scope(user: User, action: str) -> Q | None:
    """Administrators see every token; they revoke those whose service account they could
    change (a county administrator: the tokens reaching only their counties). Auditors see
    them all, next to the calls in the log."""
    if user.has_role(Role.ADMINISTRATOR):
        if action in {"view", "export"} or user.force_wide:
            return Q()
        changeable = restrict(User.objects.all(), user, "change").values("pk")
        return Q(user_id__in=changeable)
    if action == "view" and has_permission(user, "audit.view_log"):
        return Q()
    return None
