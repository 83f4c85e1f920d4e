"""Scope policies of webhooks (see ``core.scopes.restrict``).

Subscriptions, deliveries and attempts: administrators see and manage every one (the
payloads hold no personal data, only referral ids and API links); nobody else sees any
(auditors may identify them in the audit log).
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.core.permissions import has_permission
from pontio.core.scopes import scope_policy
from pontio.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

ACTIONS = frozenset({"view", "change", "create", "audit"})


def _administrator(user: User, action: str) -> Q | None:
    if action in ACTIONS and has_permission(user, "webhooks.manage"):
        return Q()
    # Auditors identify the records named in the audit log (they open no page).
    if action == "audit" and has_permission(user, "audit.view_log"):
        return Q()
    return None


@scope_policy(WebhookSubscription)
def subscription_scope(user: User, action: str) -> Q | None:
    return _administrator(user, action)


@scope_policy(WebhookDelivery)
def delivery_scope(user: User, action: str) -> Q | None:
    return _administrator(user, action)


@scope_policy(WebhookAttempt)
def attempt_scope(user: User, action: str) -> Q | None:
    return _administrator(user, action)
