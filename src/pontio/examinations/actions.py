"""What a user may do now on a request: ``actions_for(row, user)``. The pages ask it to show
buttons; the services enforce the same rules (``rules``, ``services``)."""

from __future__ import annotations

from django.utils import timezone

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.core.permissions import has_permission
from pontio.examinations import rules
from pontio.examinations.models import ExaminationRequest, ExaminerProfile
from pontio.examinations.vocab import OPEN_STATUSES, Status


def actions_for(
    row: ExaminationRequest, user: User, profile: ExaminerProfile | None = None
) -> set[str]:
    actions: set[str] = set()
    if row.status not in OPEN_STATUSES:
        return actions
    examiner = has_permission(user, "examinations.examine")
    if row.requested_by_id == user.pk or user.has_role(Role.DIGITAL_MEDIA_EXAMINER):
        actions.add("withdraw")
    if not examiner:
        return actions
    today = timezone.localdate()
    if row.status == Status.REQUESTED and not rules.examiner_refusals(profile, row, today):
        actions.add("take")
    if profile is not None and profile.supervisor:
        actions.add("assign")
    if (
        row.status == Status.ASSIGNED
        and row.assigned_to is not None
        and row.assigned_to.user_id == user.pk
    ):
        actions.add("result")
    return actions
