"""Row-level scope: the one function that restricts a queryset to what a user may touch.

Every list, detail, export and API query goes through ``restrict(queryset, user, action)``
(NetBox's ``restrict()`` pattern). Each model registers a policy that turns (user, action)
into a ``Q`` filter, or ``None`` for "nothing". A model without a policy raises: access is
closed unless a policy opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from pontio.accounts.models import User

ACTIONS = frozenset({"view", "change", "create", "delete", "export"})
BREAK_GLASS_DURATION = timedelta(hours=8)

Policy = Callable[["User", str], Q | None]
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class ScopeRule:
    policy: Policy
    break_glass_roles: frozenset[str]


_RULES: dict[type[models.Model], ScopeRule] = {}


def scope_policy(
    model: type[models.Model], *, break_glass_roles: frozenset[str] = frozenset()
) -> Callable[[Policy], Policy]:
    """Register the scope policy of a model (decorator)."""

    def register(policy: Policy) -> Policy:
        _RULES[model] = ScopeRule(policy=policy, break_glass_roles=frozenset(break_glass_roles))
        return policy

    return register


def _rule(model: type[models.Model]) -> ScopeRule:
    try:
        return _RULES[model]
    except KeyError:
        raise ImproperlyConfigured(f"No scope policy is registered for {model.__name__}") from None


def registered_models() -> list[type[models.Model]]:
    return list(_RULES)


def _is_usable(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "organisation_id", None)
    )


def restrict(queryset: QuerySet[M], user: User | Any, action: str) -> QuerySet[M]:
    """The rows of ``queryset`` that ``user`` may ``action``; none if not signed in."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    rule = _rule(queryset.model)
    if not _is_usable(user):
        return queryset.none()
    condition = rule.policy(user, action)
    if action == "view" and rule.break_glass_roles:
        granted = active_break_glass_ids(user, queryset.model)
        if granted:
            grant_q = Q(pk__in=granted)
            condition = grant_q if condition is None else condition | grant_q
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def active_break_glass_ids(user: User, model: type[models.Model]) -> list[str]:
    from pontio.accounts.models import BreakGlassGrant

    content_type = ContentType.objects.get_for_model(model)
    return list(
        BreakGlassGrant.objects.filter(
            user=user, content_type=content_type, expires_at__gt=timezone.now()
        ).values_list("object_id", flat=True)
    )


def may_break_glass(user: User | Any, model: type[models.Model]) -> bool:
    """Whether the user may ask for break-glass access to a record of this model."""
    if not _is_usable(user):
        return False
    return bool(user.role_set & _rule(model).break_glass_roles)
