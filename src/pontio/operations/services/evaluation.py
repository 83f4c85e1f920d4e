"""The partner evaluation: one answer per briefed organisation, final once given."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.permissions import require_permission
from pontio.core.scopes import restrict
from pontio.operations.models import Answer, DemandAnswer, Evaluation
from pontio.operations.services.common import audit, raise_if, snapshot, text_errors

COMMENT_MAX = 2000


@transaction.atomic
def evaluation_answer(
    *,
    context: AuditContext,
    actor: User,
    evaluation_id: int,
    briefed_in_time: str,
    enough_detail: str,
    demand: str,
    comment: str = "",
) -> Evaluation:
    require_permission(actor, "operations.evaluate")
    evaluation = (
        restrict(Evaluation.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=evaluation_id, organisation_id=actor.organisation_id or 0)
        .first()
    )
    if evaluation is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if evaluation.answered_at is not None:
        errors.setdefault("__all__", []).append(
            _("Your organisation has already answered this evaluation. Thank you.")
        )
        raise_if(errors)
    if briefed_in_time not in Answer.values:
        errors.setdefault("briefed_in_time", []).append(
            _("Choose whether you were briefed in time")
        )
    if enough_detail not in Answer.values:
        errors.setdefault("enough_detail", []).append(
            _("Choose whether you had enough detail to plan")
        )
    if demand not in DemandAnswer.values:
        errors.setdefault("demand", []).append(
            _("Choose how the demand compared with the forecast")
        )
    text = text_errors(errors, "comment", comment, required=None, limit=COMMENT_MAX)
    raise_if(errors)
    before = snapshot(evaluation)
    evaluation.briefed_in_time = briefed_in_time
    evaluation.enough_detail = enough_detail
    evaluation.demand = demand
    evaluation.comment = text
    evaluation.answered_by = actor
    evaluation.answered_at = timezone.now()
    evaluation.save()
    audit(context, evaluation, before=before, reason="partner evaluation answered")
    return evaluation
