"""Row-level scope: the one function that restricts a queryset to what a user may touch.

Every list, detail, export, figure and API query of personal or case data goes through
``restrict(queryset, user, action)`` (NetBox's ``restrict()`` pattern). Each model registers
a policy in its app's ``policies.py`` that turns (user, action) into a ``Q`` filter, or
``None`` for "nothing". A model without a policy raises: access is closed unless a policy
opens it.

The actions:

- ``view``, ``change``, ``create``, ``delete``: one record at a time, or a list of them;
- ``export``: rows leaving Pontio in a file (each export is audited by its caller);
- ``aggregate``: rows an aggregate-only viewer (the OPCC analyst) may *count* but never
  read. A figure built from ``aggregate`` rows shows counts only, suppressed where small
  (``core.figures``); no page or file built from them names a row.
- ``audit``: rows an auditor may *identify* (a name, a date of birth, a reference) to find
  the audit trail of the person they are about (subject access requests, complaints). No
  page opens them for the auditor: the record pages need their own permissions.

Break-glass: where a policy names roles that may break glass, a user of such a role who has
an active, audited grant sees that record too. The grants live in the accounts app, which
tells the kernel about them through ``register_grant_source`` (the kernel knows no app).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q, QuerySet

from pontio.core.permissions import is_usable

ACTIONS = frozenset({"view", "change", "create", "delete", "export", "aggregate", "audit"})

Policy = Callable[[Any, str], Q | None]
GrantSource = Callable[[Any, type[models.Model]], list[str]]
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class ScopeRule:
    policy: Policy
    break_glass_roles: frozenset[str]


_RULES: dict[type[models.Model], ScopeRule] = {}
_GRANT_SOURCES: list[GrantSource] = []


def scope_policy(
    model: type[models.Model], *, break_glass_roles: frozenset[str] = frozenset()
) -> Callable[[Policy], Policy]:
    """Register the scope policy of a model (decorator)."""

    def register(policy: Policy) -> Policy:
        _RULES[model] = ScopeRule(
            policy=policy, break_glass_roles=frozenset(str(r) for r in break_glass_roles)
        )
        return policy

    return register


def register_grant_source(source: GrantSource) -> None:
    """``source(user, model)`` -> ids of the records the user holds a live break-glass grant
    to. Registered once, by the app that keeps the grants."""
    if source not in _GRANT_SOURCES:
        _GRANT_SOURCES.append(source)


def _rule(model: type[models.Model]) -> ScopeRule:
    try:
        return _RULES[model]
    except KeyError:
        raise ImproperlyConfigured(f"No scope policy is registered for {model.__name__}") from None


def registered_models() -> list[type[models.Model]]:
    return list(_RULES)


def has_policy(model: type[models.Model]) -> bool:
    return model in _RULES


def restrict(queryset: QuerySet[M], user: Any, action: str) -> QuerySet[M]:
    """The rows of ``queryset`` that ``user`` may ``action``; none if not signed in."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    rule = _rule(queryset.model)
    if not is_usable(user):
        return queryset.none()
    condition = rule.policy(user, action)
    if action == "view" and rule.break_glass_roles:
        granted = active_grant_ids(user, queryset.model)
        if granted:
            grant_q = Q(pk__in=granted)
            condition = grant_q if condition is None else condition | grant_q
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def active_grant_ids(user: Any, model: type[models.Model]) -> list[str]:
    ids: list[str] = []
    for source in _GRANT_SOURCES:
        ids.extend(source(user, model))
    return ids


def may_break_glass(user: Any, model: type[models.Model]) -> bool:
    """Whether the user may ask for break-glass access to a record of this model."""
    if not is_usable(user):
        return False
    return bool(set(user.role_set) & _rule(model).break_glass_roles)
