"""Scope policies of stop and search (see ``core.scopes.restrict``): which rows, for which
action. Every model of the app has one; an action a policy does not name is closed.

Searches (``StopSearch``):

- ``view``, ``change``: officers (and custody officers, intelligence officers) the searches
  they recorded; sergeants and inspectors also those made in their area (as supervisors and
  local reviewers); force-wide users every search. Imported police.uk rows have no officer,
  so they follow the area rules (their county is usually unknown: force-wide users only).
  Panel members and independent reviewers never read a record here: they read the
  anonymised view of the reviews assigned to them (``SearchReview``).
- ``export`` (rows leaving Pontio in the police.uk format): only those who may read the
  rows: police exporters (inspectors) their ``view`` scope; administrators the force's
  publication (every search of the home force). The OPCC analyst downloads aggregates
  only (the figures and their CSV), never one row per search: decision in
  docs/decisions.md ("who may download row-level stop and search data").
- ``aggregate`` (counted, never opened; ``analysis``): the OPCC analyst, operations lead
  and panel members count every search of the home force; inspectors their area's
  (force-wide inspectors the force's).
- ``create`` (new audit work attached to a search: a panel review): inspectors their
  ``view`` scope; administrators, who run the audit force-wide but read no record, any
  search (the service only ever says whether the reference exists).

Reviews (``SearchReview``): ``view``/``change`` by the reviewer, an inspector of the area
(inspector and independent reviews), and, for ``view``, every completed review (inspector,
independent or panel) of a search the police user may read: the officer whose search it was
and their supervisors read the feedback on the record; ``aggregate`` (counts of the audit's
progress and findings) for inspectors (their area), administrators and panel members (every
review).

Outcomes follow their search. Samples: inspectors (their area) and administrators.
Imports: administrators and the OPCC analyst. Street crime (published open data): whoever
may analyse or import it.
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_OPERATIONAL_ROLES, POLICE_SUPERVISOR_ROLES, Role
from pontio.core.permissions import has_permission
from pontio.core.recording import register_subject
from pontio.core.scopes import scope_policy
from pontio.stopsearch.models import (
    AUDIT_KINDS,
    HOME_FORCE,
    AuditSample,
    ImportBatch,
    OutcomeUpdate,
    SearchReview,
    StopSearch,
    StreetCrime,
)

RECORD_ACTIONS = frozenset({"view", "change"})
# Roles that count searches they may not open (the figures, suppressed).
AGGREGATE_ONLY_ROLES = frozenset({Role.OPCC_ANALYST, Role.OPERATIONS_LEAD, Role.PANEL_MEMBER})


def _either(*conditions: Q | None) -> Q | None:
    """The union of the conditions that are not None (None if all are)."""
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    combined = present[0]
    for condition in present[1:]:
        combined |= condition
    return combined


def search_condition(user: User) -> Q | None:
    """The searches a police user may read and update (``view``/``change``)."""
    if not user.has_role(*POLICE_OPERATIONAL_ROLES):
        return None
    if user.force_wide:
        return Q()
    condition = Q(officer_id=user.pk)
    if user.has_role(*POLICE_SUPERVISOR_ROLES):
        condition |= Q(county_id__in=user.county_ids)
    return condition


def inspector_area(user: User, prefix: str = "") -> Q | None:
    """An inspector's area: their counties, or the whole force (``prefix`` for a relation)."""
    if not user.has_role(Role.INSPECTOR):
        return None
    if user.force_wide:
        return Q(**{f"{prefix}force": HOME_FORCE})
    return Q(**{f"{prefix}county_id__in": user.county_ids})


@scope_policy(StopSearch)
def search_scope(user: User, action: str) -> Q | None:
    if action in RECORD_ACTIONS:
        return search_condition(user)
    if action == "audit":
        # Auditors find a person's trail by a search's receipt reference (core.scopes).
        return Q() if has_permission(user, "audit.view_log") else None
    if action == "export":
        publication = Q(force=HOME_FORCE) if user.has_role(Role.ADMINISTRATOR) else None
        return _either(search_condition(user), publication)
    if action == "aggregate":
        everything = Q(force=HOME_FORCE) if user.has_role(*AGGREGATE_ONLY_ROLES) else None
        return _either(everything, inspector_area(user))
    if action == "create":
        audit_runner = Q() if user.has_role(Role.ADMINISTRATOR) else None
        inspector = search_condition(user) if user.has_role(Role.INSPECTOR) else None
        return _either(audit_runner, inspector)
    return None


@scope_policy(OutcomeUpdate)
def outcome_scope(user: User, action: str) -> Q | None:
    condition = search_condition(user) if action in RECORD_ACTIONS else None
    if condition is None:
        return None
    return Q(search__in=StopSearch.objects.filter(condition).values("pk"))


@scope_policy(SearchReview)
def review_scope(user: User, action: str) -> Q | None:
    """Reviewers see their own reviews; inspectors those of their area's samples; the
    officer whose search it was sees the completed inspector and independent reviews."""
    if action == "aggregate":
        if user.has_role(Role.ADMINISTRATOR, Role.PANEL_MEMBER) or (
            user.has_role(Role.INSPECTOR) and user.force_wide
        ):
            return Q()
        if user.has_role(Role.INSPECTOR):
            return Q(search__county_id__in=user.county_ids)
        return None
    if action not in RECORD_ACTIONS:
        return None
    condition = Q(reviewer_id=user.pk)
    if user.has_role(Role.INSPECTOR):
        area = Q() if user.force_wide else Q(search__county_id__in=user.county_ids)
        condition |= Q(kind__in=AUDIT_KINDS) & area
    searches = search_condition(user) if action == "view" else None
    if searches is not None:
        # The feedback on the record: completed reviews of any kind of the searches the user
        # may read (their own; a supervisor's area), never one still being written.
        readable = StopSearch.objects.filter(searches).values("pk")
        condition |= Q(completed_at__isnull=False, search__in=readable)
    return condition


@scope_policy(AuditSample)
def sample_scope(user: User, action: str) -> Q | None:
    if action != "view" or not user.has_role(Role.INSPECTOR, Role.ADMINISTRATOR):
        return None
    if user.force_wide or user.has_role(Role.ADMINISTRATOR):
        return Q()
    return Q(county_id__in=user.county_ids)


@scope_policy(ImportBatch)
def batch_scope(user: User, action: str) -> Q | None:
    if action != "view" or not user.has_role(Role.ADMINISTRATOR, Role.OPCC_ANALYST):
        return None
    return Q()


@scope_policy(StreetCrime)
def street_scope(user: User, action: str) -> Q | None:
    # Published open data: anyone who may analyse or import it may read it.
    if action != "view" or not user.has_role(
        Role.ADMINISTRATOR, Role.OPCC_ANALYST, Role.INSPECTOR, Role.OPERATIONS_LEAD
    ):
        return None
    return Q()


# Whose data each row is: named on every audit event about it, denials included.
register_subject(StopSearch, "person_id")
register_subject(OutcomeUpdate, "search__person_id")
register_subject(SearchReview, "search__person_id")
