"""The scrutiny panel's writes: a panel member's judgement, a quarter drawn by hand.

A completed review is final (it is the evidence of scrutiny), so it is never edited. Every
write is one transaction with its audit event; a stale copy of the review is refused.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.disposals import panel
from pontio.disposals.models import DisposalSample, PanelJudgement, PanelReview

FEEDBACK_MAX = 5000


@transaction.atomic
def review_submit(
    *,
    context: AuditContext,
    actor: User,
    review_id: int,
    judgement: str,
    feedback: str,
    expected_version: int | None = None,
) -> PanelReview:
    """Record the panel member's judgement of a disposal assigned to them, with feedback to
    the force (required unless the disposal was judged appropriate)."""
    require_permission(actor, "disposals.panel_review")
    review = (
        restrict(PanelReview.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=review_id, reviewer_id=actor.pk)
        .first()
    )
    if review is None:
        raise PermissionDenied
    check_version(review, expected_version)
    errors: dict[str, list[str]] = {}
    if review.reviewed_at is not None:
        errors["judgement"] = [_("This review has been completed and cannot be changed")]
    if judgement not in PanelJudgement.values:
        errors["judgement"] = [_("Choose whether the disposal was appropriate")]
    feedback = feedback.strip()
    if judgement and judgement != PanelJudgement.APPROPRIATE and not feedback:
        errors["feedback"] = [_("Say what concerned the panel, as feedback to the force")]
    if len(feedback) > FEEDBACK_MAX:
        errors["feedback"] = [
            _("Feedback must be %(max)s characters or fewer") % {"max": FEEDBACK_MAX}
        ]
    if errors:
        raise ValidationError(errors, code="invalid_review")
    before = snapshot_fields(review)
    review.judgement = judgement
    review.feedback = feedback
    review.reviewed_at = timezone.now()
    review.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=review,
        reason="panel review completed",
        before=before,
        after=snapshot_fields(review),
    )
    return review


def sample_draw(
    *,
    context: AuditContext,
    actor: User,
    quarter: dt.date | None,
    today: dt.date | None = None,
    seed: int | None = None,
) -> tuple[DisposalSample, bool]:
    """Draw (or find) the sample of a quarter that has ended; (sample, created)."""
    require_permission(actor, "disposals.draw_sample")
    today = today or timezone.localdate()
    if quarter is None or panel.quarter_start(quarter) not in panel.ended_quarters(today):
        raise ValidationError(
            {"quarter": [_("Choose a quarter that has ended")]}, code="invalid_draw"
        )
    return panel.draw_sample(quarter=quarter, context=context, actor=actor, seed=seed)
