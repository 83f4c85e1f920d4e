"""Scope policies of referrals and the rows that hang off them (see ``scopes.restrict``).

- Provider staff see referrals addressed to their organisation: managers all of them,
  caseworkers and navigators those in their counties (or all, if force-wide).
- Officers and custody officers see the referrals they made.
- Custody sergeants and inspectors see the referrals their force made in their area, as the
  referring officer's supervisors (status and outcome; clinical rows are never theirs).
- Everyone else (OPCC, panel, auditors, administrators) sees no referral rows; the OPCC sees
  aggregates only (``referrals.metrics``).
Clinical rows (assessment, treatment start, Treatment Outcomes Profile) are the provider's
alone: the police see status and outcome, never clinical detail.
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_SUPERVISOR_ROLES, PROVIDER_ROLES, REFERRING_ROLES, Role
from pontio.core.scopes import restrict, scope_policy
from pontio.referrals.models import (
    Alert,
    Appointment,
    ClinicalRecord,
    ContactAttempt,
    Referral,
    ReferralEvent,
    TopEntry,
)

ACTIONS = frozenset({"view", "change", "export"})


def _area(user: User) -> Q:
    return Q() if user.force_wide else Q(county_id__in=user.county_ids)


def provider_scope(user: User) -> Q | None:
    if not user.has_role(*PROVIDER_ROLES):
        return None
    mine = Q(provider_id=user.organisation_id)
    if user.has_role(Role.PROVIDER_MANAGER):
        return mine
    return mine & _area(user)


def police_scope(user: User) -> Q | None:
    if not user.has_role(*REFERRING_ROLES):
        return None
    condition = Q(referred_by_id=user.pk)
    if user.has_role(*POLICE_SUPERVISOR_ROLES):
        condition |= Q(referring_organisation_id=user.organisation_id) & _area(user)
    return condition


@scope_policy(Referral)
def referral_scope(user: User, action: str) -> Q | None:
    if action not in ACTIONS:
        return None
    conditions = [q for q in (provider_scope(user), police_scope(user)) if q is not None]
    if not conditions:
        return None
    combined = conditions[0]
    for extra in conditions[1:]:
        combined |= extra
    return combined


def _via_referral(user: User, action: str) -> Q | None:
    referrals = restrict(Referral.objects.all(), user, action if action in ACTIONS else "view")
    if referrals.query.is_empty():
        return None
    return Q(referral_id__in=referrals.values("pk"))


def _provider_only(user: User, action: str) -> Q | None:
    if not user.has_role(*PROVIDER_ROLES) or action not in ACTIONS:
        return None
    condition = provider_scope(user)
    if condition is None:
        return None
    return Q(referral_id__in=Referral.objects.filter(condition).values("pk"))


for _shared in (ReferralEvent, ContactAttempt, Appointment):
    scope_policy(_shared)(_via_referral)
for _clinical in (ClinicalRecord, TopEntry):
    scope_policy(_clinical)(_provider_only)


@scope_policy(Alert)
def alert_scope(user: User, action: str) -> Q | None:
    if action not in ("view", "change"):
        return None
    return Q(recipient_id=user.pk)
