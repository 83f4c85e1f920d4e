"""Scope policies of stop and search records (see ``scopes.restrict``).

- Officers (and custody officers, intelligence officers) see and update the searches they
  recorded.
- Sergeants and inspectors see and update the searches made in their area (as supervisors
  and local reviewers); force-wide users see every search.
- Imported police.uk rows have no officer and no person: police supervisors and force-wide
  users see them with the area rules (their county is usually unknown, so force-wide only).
- Panel members and independent reviewers never see a record through this scope: they read
  the anonymised view of the reviews assigned to them (``SearchReview``).
- Oversight roles (OPCC analyst, operations lead) see aggregates only (``analysis``).
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_OPERATIONAL_ROLES, POLICE_SUPERVISOR_ROLES, Role
from pontio.core.scopes import scope_policy
from pontio.stopsearch.models import (
    AuditSample,
    ImportBatch,
    OutcomeUpdate,
    SearchReview,
    StopSearch,
    StreetCrime,
)

ACTIONS = frozenset({"view", "change", "export"})


def search_condition(user: User) -> Q | None:
    if not user.has_role(*POLICE_OPERATIONAL_ROLES):
        return None
    if user.force_wide:
        return Q()
    condition = Q(officer_id=user.pk)
    if user.has_role(*POLICE_SUPERVISOR_ROLES):
        condition |= Q(county_id__in=user.county_ids)
    return condition


@scope_policy(StopSearch)
def search_scope(user: User, action: str) -> Q | None:
    if action not in ACTIONS:
        return None
    return search_condition(user)


@scope_policy(OutcomeUpdate)
def outcome_scope(user: User, action: str) -> Q | None:
    condition = search_condition(user) if action in ACTIONS else None
    if condition is None:
        return None
    return Q(search__in=StopSearch.objects.filter(condition).values("pk"))


@scope_policy(SearchReview)
def review_scope(user: User, action: str) -> Q | None:
    """Reviewers see their own reviews; inspectors those of their area's samples; the
    officer whose search it was sees the completed inspector and independent reviews."""
    if action not in ACTIONS:
        return None
    condition = Q(reviewer_id=user.pk)
    if user.has_role(Role.INSPECTOR):
        area = Q() if user.force_wide else Q(search__county_id__in=user.county_ids)
        condition |= Q(kind__in=[SearchReview.Kind.INSPECTOR, SearchReview.Kind.INDEPENDENT]) & area
    if action == "view" and user.has_role(*POLICE_OPERATIONAL_ROLES):
        condition |= Q(
            search__officer_id=user.pk,
            completed_at__isnull=False,
            kind__in=[SearchReview.Kind.INSPECTOR, SearchReview.Kind.INDEPENDENT],
        )
    return condition


@scope_policy(AuditSample)
def sample_scope(user: User, action: str) -> Q | None:
    if action not in ACTIONS or not user.has_role(Role.INSPECTOR, Role.ADMINISTRATOR):
        return None
    if user.force_wide or user.has_role(Role.ADMINISTRATOR):
        return Q()
    return Q(county_id__in=user.county_ids)


@scope_policy(ImportBatch)
def batch_scope(user: User, action: str) -> Q | None:
    if action not in ACTIONS or not user.has_role(Role.ADMINISTRATOR, Role.OPCC_ANALYST):
        return None
    return Q()


@scope_policy(StreetCrime)
def street_scope(user: User, action: str) -> Q | None:
    # Published open data: anyone who may analyse or import it may read it.
    if action not in ACTIONS or not user.has_role(
        Role.ADMINISTRATOR, Role.OPCC_ANALYST, Role.INSPECTOR, Role.OPERATIONS_LEAD
    ):
        return None
    return Q()
