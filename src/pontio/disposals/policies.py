"""Scope policies of disposals and the diversion scheme (see ``core.scopes.restrict``).

Disposals (``Disposal``) and their conditions and events:

- ``view``, ``change``: custody officers, custody sergeants and inspectors the disposals of
  their counties (force-wide users every one); officers those they decided; navigators those
  behind a contract of their organisation (read only);
- conditions also ``change`` for provider staff when the condition's referral is theirs (the
  provider records compliance with the condition it delivers);
- ``aggregate``: the OPCC analyst every disposal; inspectors and custody sergeants their
  area's;
- ``audit``: auditors.

Diversion contracts and their parts: navigators (and provider managers) their
organisation's; the police read (``view``) their area's; ``aggregate`` as for disposals,
plus the navigator's organisation.

The panel: a panel member sees only the reviews assigned to them (and the anonymised
disposal through them); inspectors and custody sergeants read the judgements on their area's
disposals; samples are seen by those who may review, draw or read feedback.
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import PROVIDER_ROLES, Role
from pontio.core.permissions import has_permission
from pontio.core.recording import register_subject
from pontio.core.scopes import restrict, scope_policy
from pontio.disposals.models import (
    ContractCondition,
    ContractEvent,
    Disposal,
    DisposalCondition,
    DisposalEvent,
    DisposalSample,
    DisposalType,
    DiversionContract,
    DiversionScheme,
    GravityFactor,
    GravityOffence,
    GravityOutcome,
    NeedsAssessment,
    PanelReview,
    PathwayScore,
    ProgressReview,
)
from pontio.referrals.models import Referral

RECORD_ACTIONS = frozenset({"view", "change", "create"})
AREA_ROLES = frozenset({Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR})
AGGREGATE_AREA = frozenset({Role.INSPECTOR, Role.CUSTODY_SERGEANT})
CONTRACT_ROLES = frozenset({Role.NAVIGATOR, Role.PROVIDER_MANAGER})


def _any(*conditions: Q | None) -> Q | None:
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    combined = present[0]
    for extra in present[1:]:
        combined |= extra
    return combined


def _area(user: User, county_field: str = "county_id") -> Q:
    return Q() if user.force_wide else Q(**{f"{county_field}__in": user.county_ids})


def police_condition(user: User) -> Q | None:
    """The disposals a police user may read and change."""
    area = _area(user) | Q(decided_by_id=user.pk) if user.has_role(*AREA_ROLES) else None
    own = Q(decided_by_id=user.pk) if user.has_role(Role.OFFICER) else None
    return _any(area, own)


def aggregate_condition(user: User, county_field: str = "county_id") -> Q | None:
    if user.has_role(Role.OPCC_ANALYST):
        return Q()
    if user.has_role(*AGGREGATE_AREA):
        return _area(user, county_field)
    return None


@scope_policy(Disposal)
def disposal_scope(user: User, action: str) -> Q | None:
    if action in RECORD_ACTIONS:
        navigator = (
            Q(contracts__organisation_id=user.organisation_id)
            if action == "view" and user.has_role(*CONTRACT_ROLES)
            else None
        )
        return _any(police_condition(user), navigator)
    if action == "aggregate":
        return aggregate_condition(user)
    if action == "audit":
        return Q() if has_permission(user, "audit.view_log") else None
    return None


def _disposals(user: User, action: str) -> Q | None:
    disposals = restrict(Disposal.objects.all(), user, action)
    if disposals.query.is_empty():
        return None
    return Q(disposal_id__in=disposals.values("pk"))


@scope_policy(DisposalCondition)
def condition_scope(user: User, action: str) -> Q | None:
    if action not in RECORD_ACTIONS and action not in ("aggregate", "audit"):
        return None
    provider = None
    if action in ("view", "change") and user.has_role(*PROVIDER_ROLES):
        referrals = restrict(Referral.objects.all(), user, action)
        if not referrals.query.is_empty():
            provider = Q(referral_id__in=referrals.values("pk"))
    return _any(_disposals(user, action), provider)


@scope_policy(DisposalEvent)
def disposal_event_scope(user: User, action: str) -> Q | None:
    return _disposals(user, action) if action in ("view", "aggregate", "audit") else None


@scope_policy(DiversionContract)
def contract_scope(user: User, action: str) -> Q | None:
    if action in RECORD_ACTIONS:
        provider = (
            Q(organisation_id=user.organisation_id) if user.has_role(*CONTRACT_ROLES) else None
        )
        police = None
        if action == "view":
            if user.has_role(*AREA_ROLES):
                police = _area(user)
            elif user.has_role(Role.OFFICER):
                police = Q(disposal__decided_by_id=user.pk)
        return _any(provider, police)
    if action == "aggregate":
        navigator = (
            Q(organisation_id=user.organisation_id) if user.has_role(*CONTRACT_ROLES) else None
        )
        return _any(aggregate_condition(user), navigator)
    if action == "audit":
        return Q() if has_permission(user, "audit.view_log") else None
    return None


def _contracts(user: User, action: str) -> Q | None:
    if action not in RECORD_ACTIONS and action not in ("aggregate", "audit"):
        return None
    contracts = restrict(DiversionContract.objects.all(), user, action)
    if contracts.query.is_empty():
        return None
    return Q(contract_id__in=contracts.values("pk"))


for _part in (ContractCondition, NeedsAssessment, ProgressReview, ContractEvent):
    scope_policy(_part)(_contracts)


@scope_policy(PathwayScore)
def score_scope(user: User, action: str) -> Q | None:
    condition = _contracts(user, action)
    if condition is None:
        return None
    contracts = restrict(DiversionContract.objects.all(), user, action)
    return Q(assessment__contract_id__in=contracts.values("pk"))


@scope_policy(DisposalSample)
def sample_scope(user: User, action: str) -> Q | None:
    if action == "view" and (
        has_permission(user, "disposals.panel_review")
        or has_permission(user, "disposals.panel_feedback")
        or has_permission(user, "disposals.draw_sample")
    ):
        return Q()
    if action in ("create", "change") and has_permission(user, "disposals.draw_sample"):
        return Q()
    return None


@scope_policy(PanelReview)
def panel_review_scope(user: User, action: str) -> Q | None:
    if action not in ("view", "change", "aggregate"):
        return None
    own = (
        Q(reviewer_id=user.pk)
        if action in ("view", "change") and user.has_role(Role.PANEL_MEMBER)
        else None
    )
    force = (
        _area(user, "disposal__county_id")
        if action == "view" and user.has_role(*AGGREGATE_AREA)
        else None
    )
    drawer = Q() if action in ("view", "change") and user.has_role(Role.ADMINISTRATOR) else None
    oversight = aggregate_condition(user, "disposal__county_id") if action == "aggregate" else None
    return _any(own, force, drawer, oversight)


def reference_scope(user: User, action: str) -> Q | None:
    """Reference data: read by everyone signed in, kept by administrators."""
    if action == "view":
        return Q()
    if action in ("change", "create") and user.has_role(Role.ADMINISTRATOR):
        return Q()
    return None


for _reference in (DisposalType, GravityOffence, GravityFactor, GravityOutcome, DiversionScheme):
    scope_policy(_reference)(reference_scope)

# Whose data each row is: named on every audit event about it, denials included.
register_subject(Disposal, "person_id")
register_subject(DiversionContract, "person_id")
for _dpart in (DisposalCondition, DisposalEvent, PanelReview):
    register_subject(_dpart, "disposal__person_id")
for _cpart in (ContractCondition, NeedsAssessment, ProgressReview, ContractEvent):
    register_subject(_cpart, "contract__person_id")
register_subject(PathwayScore, "assessment__contract__person_id")
