"""Scope policies of oversight records (see ``core.scopes.restrict``).

The tracker holds no personal data, and the whole point of it is that everyone who oversees
a recommendation sees the same positions: those who hold the tracker permission read every
review, recommendation, position, board and report. Changes are narrower:

- reviews, recommendations, boards (``change``): the OPCC analyst;
- a recommendation's position (``create`` on ``PositionUpdate`` is checked through
  ``change`` on the recommendation): the OPCC analyst any; an inspector those their
  organisation owns;
- Panel reports: the OPCC analyst reads and produces them;
- commissioning awards: the OPCC analyst; quarterly returns: a provider manager their own
  organisation's, the OPCC analyst every one (``aggregate`` for the facts alike).
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.core.permissions import has_permission
from pontio.core.scopes import scope_policy
from pontio.oversight.models import (
    BackgroundPaper,
    Board,
    CommissioningAward,
    CrimeCount,
    EvidenceLink,
    PanelReport,
    PositionUpdate,
    ProviderReturn,
    Recommendation,
    Review,
)

READS = frozenset({"view", "aggregate", "export"})


def _tracker(user: User, action: str) -> Q | None:
    if action == "audit":
        return Q() if user.has_role(Role.AUDITOR) else None
    if action in READS:
        return Q() if has_permission(user, "oversight.view_tracker") else None
    return Q() if user.has_role(Role.OPCC_ANALYST) else None


for _model in (Review, BackgroundPaper, Board):
    scope_policy(_model)(_tracker)


@scope_policy(Recommendation)
def recommendation_policy(user: User, action: str) -> Q | None:
    if action == "change" and not user.has_role(Role.OPCC_ANALYST):
        if user.has_role(Role.INSPECTOR) and user.organisation_id:
            return Q(owner_organisation_id=user.organisation_id)
        return None
    return _tracker(user, action)


@scope_policy(PositionUpdate)
def position_policy(user: User, action: str) -> Q | None:
    if action in {"create", "change"}:
        # Positions are never changed; who may add one follows the recommendation.
        if action == "change":
            return None
        if user.has_role(Role.OPCC_ANALYST):
            return Q()
        if user.has_role(Role.INSPECTOR) and user.organisation_id:
            return Q(recommendation__owner_organisation_id=user.organisation_id)
        return None
    return _tracker(user, action)


@scope_policy(EvidenceLink)
def evidence_policy(user: User, action: str) -> Q | None:
    return None if action == "change" else _tracker(user, action)


@scope_policy(PanelReport)
def report_policy(user: User, action: str) -> Q | None:
    if action == "audit":
        return Q() if user.has_role(Role.AUDITOR) else None
    return Q() if user.has_role(Role.OPCC_ANALYST) else None


@scope_policy(CommissioningAward)
def award_policy(user: User, action: str) -> Q | None:
    if action == "audit":
        return Q() if user.has_role(Role.AUDITOR) else None
    if user.has_role(Role.OPCC_ANALYST):
        return Q()
    if action in {"view", "aggregate"} and user.has_role(Role.PROVIDER_MANAGER):
        return Q(provider_id=user.organisation_id)
    return None


@scope_policy(ProviderReturn)
def return_policy(user: User, action: str) -> Q | None:
    if action == "audit":
        return Q() if user.has_role(Role.AUDITOR) else None
    if user.has_role(Role.OPCC_ANALYST) and action in READS:
        return Q()
    if user.has_role(Role.PROVIDER_MANAGER) and user.organisation_id:
        return Q(provider_id=user.organisation_id)
    return None


@scope_policy(CrimeCount)
def crime_count_policy(user: User, action: str) -> Q | None:
    """Published open data: everyone with the dashboards or the drug market picture reads it;
    only the OPCC analyst and administrators import it."""
    if action in READS:
        readers = ("oversight.view_dashboards", "oversight.view_market")
        return Q() if any(has_permission(user, p) for p in readers) else None
    if action == "audit":
        return Q() if user.has_role(Role.AUDITOR) else None
    return Q() if user.has_role(Role.OPCC_ANALYST, Role.ADMINISTRATOR) else None
