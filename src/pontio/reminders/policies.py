"""Scope policy of messages to referred people (see ``core.scopes.restrict``).

- ``view``: administrators every message (the outbox); provider staff the messages of the
  referrals they may open (a panel on the referral may show them);
- ``aggregate``: counted with their referrals (``referrals.policies``: the OPCC analyst
  every referral, a provider manager those of their organisation);
- ``audit``: auditors identify the rows.
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import PROVIDER_ROLES, Role
from pontio.core.permissions import has_permission
from pontio.core.recording import register_subject
from pontio.core.scopes import restrict, scope_policy
from pontio.referrals.models import Referral
from pontio.reminders.models import PersonMessage


def _referrals(user: User, action: str) -> Q | None:
    referrals = restrict(Referral.objects.all(), user, action)
    if referrals.query.is_empty():
        return None
    return Q(referral_id__in=referrals.values("pk"))


@scope_policy(PersonMessage)
def message_scope(user: User, action: str) -> Q | None:
    if action == "view":
        if user.has_role(Role.ADMINISTRATOR):
            return Q()
        if user.has_role(*PROVIDER_ROLES):
            return _referrals(user, "view")
        return None
    if action == "aggregate":
        return _referrals(user, "aggregate")
    if action == "audit":
        return Q() if has_permission(user, "audit.view_log") else None
    return None


register_subject(PersonMessage, "referral__person_id")
