"""Scope policies of custody (see ``core.scopes.restrict``): which rows, for which action.

Custody records (``CustodyRecord``) and their parts (offences, authorisations, the test,
the required assessment, its events and notices, breach tasks):

- ``view``, ``change``: custody officers, custody sergeants and inspectors the records of
  the suites in their counties (force-wide users every record) and those they booked;
  officers the records they are the officer in the case of; an inspector asked for an
  authorisation also that record (the request may reach them outside their area);
- providers never read a custody record, its test or its breach tasks: they see the
  referral the requirement made, and the required assessment, its events and notices
  through that referral (the assessor gives RA3-RA5, Drugs Act 2005 s13);
- ``aggregate`` (the funnel, counted, never opened): the OPCC analyst and the operations
  lead every record; inspectors and custody sergeants their area's;
- ``audit``: auditors identify the person of a record by its custody number.

Reference data (suites, notifications, offences): read by everyone signed in, changed and
added by administrators only.
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import PROVIDER_ROLES, Role
from pontio.core.permissions import has_permission
from pontio.core.recording import register_subject
from pontio.core.scopes import restrict, scope_policy
from pontio.custody.models import (
    AssessmentEvent,
    BreachTask,
    CustodyRecord,
    CustodySuite,
    DrugTest,
    InspectorAuthorisation,
    Notice,
    Offence,
    RecordOffence,
    RequiredAssessment,
    SuiteNotification,
)
from pontio.referrals.models import Referral

RECORD_ACTIONS = frozenset({"view", "change", "create"})
AREA_ROLES = frozenset({Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT, Role.INSPECTOR})
AGGREGATE_ALL = frozenset({Role.OPCC_ANALYST, Role.OPERATIONS_LEAD})
AGGREGATE_AREA = frozenset({Role.INSPECTOR, Role.CUSTODY_SERGEANT})


def _any(*conditions: Q | None) -> Q | None:
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    combined = present[0]
    for extra in present[1:]:
        combined |= extra
    return combined


def record_condition(user: User) -> Q | None:
    """The custody records a police user may read and change."""
    area = None
    if user.has_role(*AREA_ROLES):
        if user.force_wide:
            return Q()
        area = Q(suite__county_id__in=user.county_ids) | Q(created_by_id=user.pk)
    asked = None
    if user.has_role(Role.INSPECTOR):
        asked = Q(
            pk__in=InspectorAuthorisation.objects.filter(requested_of_id=user.pk).values(
                "record_id"
            )
        )
    in_case = Q(officer_in_case_id=user.pk) if user.has_role(Role.OFFICER) else None
    return _any(area, asked, in_case)


def aggregate_condition(user: User) -> Q | None:
    if user.has_role(*AGGREGATE_ALL):
        return Q()
    if user.has_role(*AGGREGATE_AREA):
        return Q() if user.force_wide else Q(suite__county_id__in=user.county_ids)
    return None


@scope_policy(CustodyRecord)
def record_scope(user: User, action: str) -> Q | None:
    if action in RECORD_ACTIONS:
        return record_condition(user)
    if action == "aggregate":
        return aggregate_condition(user)
    if action == "audit":
        return Q() if has_permission(user, "audit.view_log") else None
    return None


def _records(user: User, action: str) -> Q | None:
    """The rows of a part whose record the user may ``action`` (``record_id`` lookups)."""
    if action not in RECORD_ACTIONS and action != "aggregate":
        return None
    records = restrict(CustodyRecord.objects.all(), user, action)
    if records.query.is_empty():
        return None
    return Q(record_id__in=records.values("pk"))


@scope_policy(RecordOffence)
def offence_scope(user: User, action: str) -> Q | None:
    return _records(user, action)


@scope_policy(DrugTest)
def test_scope(user: User, action: str) -> Q | None:
    return _records(user, action)


@scope_policy(InspectorAuthorisation)
def authorisation_scope(user: User, action: str) -> Q | None:
    asked = (
        Q(requested_of_id=user.pk)
        if action in RECORD_ACTIONS and user.has_role(Role.INSPECTOR)
        else None
    )
    return _any(_records(user, action), asked)


def _provider_referrals(user: User, action: str) -> Q | None:
    if action not in ("view", "change") or not user.has_role(*PROVIDER_ROLES):
        return None
    referrals = restrict(Referral.objects.all(), user, action)
    if referrals.query.is_empty():
        return None
    return Q(referral_id__in=referrals.values("pk"))


@scope_policy(RequiredAssessment)
def assessment_scope(user: User, action: str) -> Q | None:
    return _any(_records(user, action), _provider_referrals(user, action))


def _assessments(user: User, action: str) -> Q | None:
    assessments = restrict(RequiredAssessment.objects.all(), user, action)
    if assessments.query.is_empty():
        return None
    return Q(assessment_id__in=assessments.values("pk"))


@scope_policy(AssessmentEvent)
def event_scope(user: User, action: str) -> Q | None:
    return _assessments(user, action) if action in ("view", "aggregate") else None


@scope_policy(Notice)
def notice_scope(user: User, action: str) -> Q | None:
    if action != "view":
        return None
    if user.has_role(*PROVIDER_ROLES):
        # The provider's copies are the notices, never the police's evidential statement.
        condition = _assessments(user, action)
        return None if condition is None else condition & ~Q(kind="statement")
    return _assessments(user, action)


@scope_policy(BreachTask)
def breach_scope(user: User, action: str) -> Q | None:
    if action not in RECORD_ACTIONS and action != "aggregate":
        return None
    records = restrict(CustodyRecord.objects.all(), user, action)
    if records.query.is_empty():
        return None
    return Q(assessment__record_id__in=records.values("pk"))


def reference_scope(user: User, action: str) -> Q | None:
    """Reference data: read by everyone signed in, kept by administrators."""
    if action == "view":
        return Q()
    if action in ("change", "create") and user.has_role(Role.ADMINISTRATOR):
        return Q()
    return None


for _reference in (CustodySuite, SuiteNotification, Offence):
    scope_policy(_reference)(reference_scope)

# Whose data each row is: named on every audit event about it, denials included.
register_subject(CustodyRecord, "person_id")
for _part in (RecordOffence, DrugTest, InspectorAuthorisation, RequiredAssessment):
    register_subject(_part, "record__person_id")
for _assessment_part in (AssessmentEvent, Notice, BreachTask):
    register_subject(_assessment_part, "assessment__record__person_id")
