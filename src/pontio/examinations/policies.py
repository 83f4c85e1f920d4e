"""Scope policies of device examinations (see ``core.scopes.restrict``).

``ExaminationRequest`` (and its devices and status changes, through it):

- ``view``, ``change``: the requester their own requests; custody sergeants, inspectors,
  intelligence officers and operations leads the requests of their counties (force-wide
  users every one); digital media examiners the requests of their counties (the central
  unit's examiners are force-wide) and those assigned to them;
- ``create``: anyone who may request (the service checks the source is in their scope);
- ``aggregate`` (the capacity page, counted, never opened): examiners, inspectors, operations
  leads and the OPCC analyst, the whole force (capacity is a force-wide question);
- ``audit``: auditors identify the person of a custody-record request.

``ExaminerProfile``: read by examiners and those who see the capacity page (names of staff,
no personal data of the public); kept by administrators (and the demo, through the service).
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.core.permissions import has_permission
from pontio.core.recording import register_subject
from pontio.core.scopes import restrict, scope_policy
from pontio.examinations.models import Device, ExaminationRequest, ExaminerProfile, StatusChange

AREA_ROLES = frozenset(
    {
        Role.CUSTODY_SERGEANT,
        Role.INSPECTOR,
        Role.INTELLIGENCE_OFFICER,
        Role.OPERATIONS_LEAD,
        Role.DIGITAL_MEDIA_EXAMINER,
    }
)
AGGREGATE_ROLES = frozenset(
    {Role.DIGITAL_MEDIA_EXAMINER, Role.INSPECTOR, Role.OPERATIONS_LEAD, Role.OPCC_ANALYST}
)


def request_condition(user: User) -> Q | None:
    if not has_permission(user, "examinations.view"):
        return None
    if user.has_role(*AREA_ROLES) and user.force_wide:
        return Q()
    condition = Q(requested_by_id=user.pk)
    if user.has_role(*AREA_ROLES):
        condition |= Q(county_id__in=user.county_ids)
    if user.has_role(Role.DIGITAL_MEDIA_EXAMINER):
        condition |= Q(assigned_to__user_id=user.pk)
    return condition


@scope_policy(ExaminationRequest)
def request_scope(user: User, action: str) -> Q | None:
    if action in ("view", "change"):
        return request_condition(user)
    if action == "create":
        return Q() if has_permission(user, "examinations.request") else None
    if action == "aggregate":
        return Q() if user.has_role(*AGGREGATE_ROLES) else None
    if action == "audit":
        return Q() if has_permission(user, "audit.view_log") else None
    return None


def _requests(user: User, action: str) -> Q | None:
    if action not in ("view", "change", "aggregate"):
        return None
    rows = restrict(ExaminationRequest.objects.all(), user, action)
    if rows.query.is_empty():
        return None
    return Q(request_id__in=rows.values("pk"))


@scope_policy(Device)
def device_scope(user: User, action: str) -> Q | None:
    return _requests(user, action)


@scope_policy(StatusChange)
def change_scope(user: User, action: str) -> Q | None:
    return _requests(user, action)


@scope_policy(ExaminerProfile)
def profile_scope(user: User, action: str) -> Q | None:
    if action in ("view", "aggregate"):
        return Q() if user.has_role(*AGGREGATE_ROLES, Role.ADMINISTRATOR) else None
    if action in ("change", "create"):
        return Q() if user.has_role(Role.ADMINISTRATOR) else None
    return None


register_subject(ExaminationRequest, "custody_record__person_id")
register_subject(Device, "request__custody_record__person_id")
register_subject(StatusChange, "request__custody_record__person_id")
