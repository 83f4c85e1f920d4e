"""Scope policies of person records and the rows that hang off them (see ``scopes.restrict``).

Police operational roles:
- force-wide users see and change every person;
- county users see and change people whose current address is in one of their counties, and
  people with no current address in the force area (nobody's area yet, so nobody is shut out
  of a record they may need). Anyone else is reached through break-glass with a reason.

The ``create`` scope is the whole force for every police operational role: it is what a new or
changed record is checked against (likely matches, a PNC ID or custody number already in
use), so that an officer in one county does not create a duplicate of someone known in
another. Rows read in that scope are shown with minimal details only
(``selectors.Candidate``), and opening one goes through ``view`` (break-glass outside the
user's area).

No role counts person rows it may not open, so there is no ``aggregate`` scope: the figures
built on people (open flags on the home page) are read by police users in ``view``.

Every other role (providers, OPCC, panel, auditors, administrators) sees no person records.
Providers see the people referred to them only through the referral itself, which carries the
details they need (name, date of birth, contact route, consent); see referrals.policies.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_OPERATIONAL_ROLES
from pontio.core.permissions import has_permission
from pontio.core.recording import register_subject
from pontio.core.scopes import restrict, scope_policy
from pontio.people.models import (
    Address,
    Alias,
    ClusterMember,
    ConsentRecord,
    CustodyNumber,
    DeduplicationRun,
    DuplicateCluster,
    Email,
    Flag,
    MatchModel,
    Person,
    PersonMerge,
    Phone,
)

PERSON_ACTIONS = frozenset({"view", "change", "create", "export"})


@scope_policy(Person, break_glass_roles=frozenset(POLICE_OPERATIONAL_ROLES))
def person_scope(user: User, action: str) -> Q | None:
    if action == "audit":
        # Auditors identify anyone whose audit trail they must find (core.scopes).
        return Q() if has_permission(user, "audit.view_log") else None
    if action not in PERSON_ACTIONS or not user.has_role(*POLICE_OPERATIONAL_ROLES):
        # Providers and oversight roles: no person records (see module docstring).
        return None
    if user.force_wide or action == "create":
        return Q()
    current = Address.objects.filter(valid_to__isnull=True, county__isnull=False)
    in_area = current.filter(county_id__in=user.county_ids).values("person_id")
    placed = current.values("person_id")
    return Q(pk__in=in_area) | ~Q(pk__in=placed)


def _person_action(action: str) -> str:
    """The person scope a part of a person follows: its person's, for the same purpose."""
    return action if action in {"view", "create", "export"} else "change"


def _via_person(user: User, action: str) -> Q | None:
    if action not in PERSON_ACTIONS:
        return None
    people = restrict(Person.objects.all(), user, _person_action(action))
    if not people.query.is_empty():
        return Q(person_id__in=people.values("pk"))
    return None


for _model in (Alias, CustodyNumber, Address, Phone, Email, Flag, ConsentRecord):
    scope_policy(_model)(_via_person)
    register_subject(_model, "person_id")
register_subject(Person, "pk")
register_subject(PersonMerge, "survivor_id")


@scope_policy(PersonMerge)
def merge_scope(user: User, action: str) -> Q | None:
    if action not in PERSON_ACTIONS:
        return None
    people = restrict(Person.objects.all(), user, "view" if action == "view" else "change")
    if people.query.is_empty():
        return None
    return Q(survivor_id__in=people.values("pk"))


@scope_policy(MatchModel)
def match_model_scope(user: User, action: str) -> Q | None:
    """Parameters only (no personal data): those who manage matching or merge records."""
    if action != "view":
        return None
    if has_permission(user, "people.manage_matching") or has_permission(
        user, "people.merge_person"
    ):
        return Q()
    return None


@scope_policy(DeduplicationRun)
def deduplication_run_scope(user: User, action: str) -> Q | None:
    """Counts and timings only: the same people as the model."""
    return match_model_scope(user, action)


@scope_policy(DuplicateCluster)
def duplicate_cluster_scope(user: User, action: str) -> Q | None:
    """A group is visible to those who may change every one of its people (a merge changes
    them all); the people outside the user's area are not hinted at. Counts by status
    (``aggregate``, no person in them) are for those who manage matching: how reviewers
    judged the groups is the model's live evaluation."""
    if action == "aggregate":
        return Q() if has_permission(user, "people.manage_matching") else None
    if action not in {"view", "change"} or not has_permission(user, "people.merge_person"):
        return None
    if not user.has_role(*POLICE_OPERATIONAL_ROLES):
        return None
    if user.force_wide:
        return Q()
    # A member outside the user's change scope (person_scope): a current address in the
    # force area, none of them in the user's counties. Written as correlated EXISTS, which
    # the database answers per group from indexes; "not in the scope's people" was a NOT IN
    # over every person and took minutes with 2M people.
    current = Address.objects.filter(
        person_id=OuterRef("person_id"), valid_to__isnull=True, county__isnull=False
    )
    outside = ClusterMember.objects.filter(cluster_id=OuterRef("pk")).filter(
        Exists(current), ~Exists(current.filter(county_id__in=user.county_ids))
    )
    return ~Q(Exists(outside))


@scope_policy(ClusterMember)
def cluster_member_scope(user: User, action: str) -> Q | None:
    clusters = restrict(DuplicateCluster.objects.all(), user, action)
    if clusters.query.is_empty():
        return None
    return Q(cluster_id__in=clusters.values("pk"))


register_subject(ClusterMember, "person_id")
