"""Scope policies of referrals and the rows that hang off them (see ``scopes.restrict``).

- Provider staff see referrals addressed to their organisation: managers all of them,
  caseworkers and navigators those in their counties (or all, if force-wide).
- Officers and custody officers see the referrals they made.
- Custody sergeants and inspectors see the referrals their force made in their area, as the
  referring officer's supervisors (status and outcome; clinical rows are never theirs).
- Everyone else (OPCC, panel, auditors, administrators) sees no referral rows.
Clinical rows (assessment, treatment start, Treatment Outcomes Profile) are the provider's
alone: the police see status and outcome, never clinical detail.

Figures count ``aggregate`` rows, never shown one by one (``referrals.metrics``): the OPCC
analyst counts every referral; provider managers and police supervisors count the rows they
may open; panel members count the stop and search referrals beside the searches (stop and
search analysis); the operations lead counts every referral of their area (the demand an
operation creates, against its forecast). Outcome profiles are counted with their referrals.

Reason codes are reference data: everyone signed in may read them and nobody changes them
through a page (administrators add or end codes by migration). A provider's quarterly total
is its managers' to enter and read; the OPCC analyst reads every provider's for the police
share.
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_SUPERVISOR_ROLES, PROVIDER_ROLES, REFERRING_ROLES, Role
from pontio.core.permissions import has_permission
from pontio.core.recording import register_subject
from pontio.core.scopes import restrict, scope_policy
from pontio.referrals.models import (
    Alert,
    Appointment,
    AppointmentChange,
    CaseNote,
    ClinicalRecord,
    ContactAttempt,
    InformationRequest,
    Pathway,
    ProviderReferralTotal,
    Referral,
    ReferralAmendment,
    ReferralCode,
    ReferralDraft,
    ReferralEvent,
    TopEntry,
    Transfer,
    WorkDigestSubscription,
)

ACTIONS = frozenset({"view", "change", "export"})
# Who counts referrals they may not open, and which (see the module docstring).
AGGREGATE_ALL = frozenset({Role.OPCC_ANALYST})
AGGREGATE_STOP_SEARCH = frozenset({Role.PANEL_MEMBER})
# An operations lead counts the referrals of their area, whatever the contact: the demand an
# operation's enforcement creates is compared with its forecast (operations app).
AGGREGATE_AREA = frozenset({Role.OPERATIONS_LEAD})
AGGREGATE_OWN_ROWS = frozenset({Role.PROVIDER_MANAGER, *POLICE_SUPERVISOR_ROLES})


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


def _any(conditions: list[Q | None]) -> Q | None:
    found = [q for q in conditions if q is not None]
    if not found:
        return None
    combined = found[0]
    for extra in found[1:]:
        combined |= extra
    return combined


def viewable(user: User) -> Q | None:
    """The referrals the user may open (the same for view, change and export)."""
    return _any([provider_scope(user), police_scope(user)])


def aggregate_scope(user: User) -> Q | None:
    if user.has_role(*AGGREGATE_ALL):
        return Q()
    conditions: list[Q | None] = []
    if user.has_role(*AGGREGATE_OWN_ROWS):
        conditions.append(viewable(user))
    if user.has_role(*AGGREGATE_STOP_SEARCH):
        conditions.append(Q(pathway=Pathway.STOP_SEARCH))
    if user.has_role(*AGGREGATE_AREA):
        conditions.append(_area(user))
    return _any(conditions)


@scope_policy(Referral)
def referral_scope(user: User, action: str) -> Q | None:
    if action == "aggregate":
        return aggregate_scope(user)
    if action == "audit":
        # Auditors find a person's trail by a referral's reference (core.scopes).
        return Q() if has_permission(user, "audit.view_log") else None
    if action not in ACTIONS:
        return None
    return viewable(user)


def _via_referral(user: User, action: str) -> Q | None:
    counted = action in ACTIONS or action == "aggregate"
    referrals = restrict(Referral.objects.all(), user, action if counted else "view")
    if referrals.query.is_empty():
        return None
    return Q(referral_id__in=referrals.values("pk"))


def _provider_only(user: User, action: str) -> Q | None:
    if action == "aggregate":
        # Counted with their referrals (reduced use), never read one by one.
        referrals = restrict(Referral.objects.all(), user, "aggregate")
        if referrals.query.is_empty():
            return None
        return Q(referral_id__in=referrals.values("pk"))
    if not user.has_role(*PROVIDER_ROLES) or action not in ACTIONS:
        return None
    condition = provider_scope(user)
    if condition is None:
        return None
    return Q(referral_id__in=Referral.objects.filter(condition).values("pk"))


# Shared by both sides: notes (never clinical), the amendment changelog, the provider's
# questions to the police and their answers.
for _shared in (
    ReferralEvent,
    ContactAttempt,
    Appointment,
    CaseNote,
    ReferralAmendment,
    InformationRequest,
):
    scope_policy(_shared)(_via_referral)
for _clinical in (ClinicalRecord, TopEntry):
    scope_policy(_clinical)(_provider_only)
# Whose data each row is: named on every audit event about it, denials included.
register_subject(Referral, "person_id")
for _part in (
    ReferralEvent,
    ContactAttempt,
    Appointment,
    ClinicalRecord,
    TopEntry,
    Alert,
    CaseNote,
    ReferralAmendment,
    InformationRequest,
    Transfer,
):
    register_subject(_part, "referral__person_id")
register_subject(AppointmentChange, "appointment__referral__person_id")
register_subject(ReferralDraft, "person_id")


@scope_policy(AppointmentChange)
def appointment_change_scope(user: User, action: str) -> Q | None:
    """A rescheduling is seen with its appointment."""
    appointments = restrict(Appointment.objects.all(), user, action)
    if appointments.query.is_empty():
        return None
    return Q(appointment_id__in=appointments.values("pk"))


@scope_policy(Transfer)
def transfer_scope(user: User, action: str) -> Q | None:
    """Both sides of the referral see its transfers; the receiving provider's staff see the
    proposals addressed to their organisation (to accept or decline them)."""
    if action not in ACTIONS:
        return None
    conditions: list[Q | None] = [_via_referral(user, action)]
    if user.has_role(*PROVIDER_ROLES):
        conditions.append(Q(to_provider_id=user.organisation_id))
    return _any(conditions)


@scope_policy(ReferralDraft)
def draft_scope(user: User, action: str) -> Q | None:
    """A draft is its author's alone, for every action: nobody else opens it."""
    if not user.has_role(*REFERRING_ROLES):
        return None
    return Q(owner_id=user.pk)


@scope_policy(WorkDigestSubscription)
def digest_scope(user: User, action: str) -> Q | None:
    return Q(user_id=user.pk)


@scope_policy(Alert)
def alert_scope(user: User, action: str) -> Q | None:
    if action not in ("view", "change"):
        return None
    return Q(recipient_id=user.pk)


@scope_policy(ReferralCode)
def code_scope(user: User, action: str) -> Q | None:
    """Reference data: read by everyone signed in, changed through no page."""
    return Q() if action == "view" else None


@scope_policy(ProviderReferralTotal)
def total_scope(user: User, action: str) -> Q | None:
    if user.has_role(Role.PROVIDER_MANAGER) and action in ("view", "change", "create", "aggregate"):
        return Q(provider_id=user.organisation_id)
    if user.has_role(*AGGREGATE_ALL) and action in ("view", "aggregate"):
        return Q()
    return None
