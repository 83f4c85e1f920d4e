"""Reviews of stop and search records: completing them, assigning panel reviews, escalating.

Three kinds of review (``SearchReview.Kind``):

- the local inspector's and the independent reviewer's, made for the monthly sample
  (``sampling``): were the grounds reasonable, is the record complete, was the conduct
  proportionate, and what should the officer learn (required as soon as one answer is no);
- the panel's: a panel member watches the body-worn video of a search an inspector or
  administrator assigned to them and records notes, a judgement and comments (``learning``).

A completed review is final: it is evidence of the audit, so it is never edited. Who may
complete a review or send a search to the panel is decided once, in ``actions``, for the
pages and these services alike. Independent reviewers and panel members only ever see the
anonymised record (``anonymised``). Every write is in one transaction with its audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.core.working_days import add_working_days
from pontio.stopsearch.actions import assignable_searches, may_complete
from pontio.stopsearch.models import AUDIT_KINDS, SearchReview
from pontio.stopsearch.sampling import panel_members

SNAPSHOT_EXCLUDE = {"created_at", "updated_at"}


def snapshot(review: SearchReview) -> dict[str, Any]:
    return snapshot_fields(review, exclude=SNAPSHOT_EXCLUDE)


@dataclass
class ReviewAnswers:
    grounds_reasonable: bool | None = None
    record_complete: bool | None = None
    conduct_proportionate: bool | None = None
    learning: str = ""
    judgement: str = ""
    video_notes: str = ""


def check_answers(kind: str, answers: ReviewAnswers) -> ReviewAnswers:
    """Every problem at once, by field, or the answers cleaned for the kind of review."""
    errors: dict[str, list[str]] = {}
    learning = answers.learning.strip()
    if kind in AUDIT_KINDS:
        questions = {
            "grounds_reasonable": _("Say whether the grounds for the search were reasonable"),
            "record_complete": _("Say whether the record is complete"),
            "conduct_proportionate": _("Say whether the officer's conduct was proportionate"),
        }
        for field, message in questions.items():
            if getattr(answers, field) is None:
                errors[field] = [message]
        if (
            False
            in (
                answers.grounds_reasonable,
                answers.record_complete,
                answers.conduct_proportionate,
            )
            and not learning
        ):
            errors["learning"] = [
                _("Enter the learning for the officer: at least one answer is no")
            ]
        return _or_raise(
            errors,
            ReviewAnswers(
                grounds_reasonable=answers.grounds_reasonable,
                record_complete=answers.record_complete,
                conduct_proportionate=answers.conduct_proportionate,
                learning=learning,
            ),
        )
    if answers.judgement not in SearchReview.Judgement.values:
        errors["judgement"] = [_("Choose the panel's judgement of the search")]
    notes = answers.video_notes.strip()
    if not notes:
        errors["video_notes"] = [
            _("Enter your notes of the body-worn video (or say why there was none to watch)")
        ]
    if (
        answers.judgement in SearchReview.Judgement.values
        and answers.judgement != SearchReview.Judgement.APPROPRIATE
        and not learning
    ):
        errors["learning"] = [_("Enter the panel's comments: say what caused concern")]
    return _or_raise(
        errors, ReviewAnswers(judgement=answers.judgement, video_notes=notes, learning=learning)
    )


def _or_raise(errors: dict[str, list[str]], cleaned: ReviewAnswers) -> ReviewAnswers:
    if errors:
        raise ValidationError(errors, code="invalid_review")
    return cleaned


def completed_message(review: SearchReview) -> str:
    when = timezone.localtime(review.completed_at) if review.completed_at else timezone.now()
    return _(
        "This review was completed on %(date)s and can no longer be changed. "
        "A completed review is part of the audit record."
    ) % {"date": formats.date_format(when, "j F Y")}


@transaction.atomic
def review_complete(
    *,
    context: AuditContext,
    actor: User,
    review_id: int,
    expected_version: int | None,
    answers: ReviewAnswers,
) -> SearchReview:
    """Record the reviewer's answers; the review is then final."""
    review = (
        restrict(SearchReview.objects.select_for_update(), actor, "change")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not may_complete(actor, review):
        raise PermissionDenied
    if review.completed_at is not None:
        raise ValidationError(completed_message(review), code="review_completed")
    cleaned = check_answers(review.kind, answers)
    before = snapshot(review)
    check_version(review, expected_version)
    review.grounds_reasonable = cleaned.grounds_reasonable
    review.record_complete = cleaned.record_complete
    review.conduct_proportionate = cleaned.conduct_proportionate
    review.judgement = cleaned.judgement
    review.video_notes = cleaned.video_notes
    review.learning = cleaned.learning
    # An area inspector may take over a colleague's review: the one who answered is recorded.
    review.reviewer = actor
    review.completed_at = timezone.now()
    review.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=review,
        reason=f"{review.kind} review completed",
        before=before,
        after=snapshot(review),
    )
    return review


# --- panel review assignment ------------------------------------------------------------------


@transaction.atomic
def panel_assign(
    *,
    context: AuditContext,
    actor: User,
    reference: str,
    panel_member_id: int | None,
    today: dt.date | None = None,
) -> SearchReview:
    """Ask a panel member to review a search (with its body-worn video)."""
    require_permission(actor, "stopsearch.manage_audit")
    errors: dict[str, list[str]] = {}
    reference = reference.strip().upper()
    search = assignable_searches(actor).filter(reference=reference).first() if reference else None
    if not reference:
        errors["reference"] = [_("Enter the receipt reference of the search")]
    elif search is None:
        errors["reference"] = [
            _("There is no search recorded in Pontio with that reference that you can assign")
        ]
    member = panel_members().filter(pk=panel_member_id).first() if panel_member_id else None
    if member is None:
        errors["panel_member"] = [_("Choose the panel member who will review the search")]
    if search is not None and member is not None:
        already = SearchReview.objects.filter(
            search=search, kind=SearchReview.Kind.PANEL, reviewer=member, completed_at__isnull=True
        ).exists()
        if already:
            errors["reference"] = [
                _("This search is already waiting for a panel review by %(name)s")
                % {"name": member}
            ]
    if errors or search is None or member is None:
        raise ValidationError(errors, code="invalid_assignment")
    review = SearchReview.objects.create(
        search=search,
        kind=SearchReview.Kind.PANEL,
        reviewer=member,
        due_on=add_working_days(
            today or timezone.localdate(), settings.PONTIO_STOPSEARCH_REVIEW_DAYS
        ),
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=review,
        reason="panel review assigned",
        after=snapshot(review),
    )
    return review


# --- escalation -------------------------------------------------------------------------------


def overdue(reviews: QuerySet[SearchReview], today: dt.date) -> QuerySet[SearchReview]:
    """The reviews of ``reviews`` past their due date and not completed."""
    return reviews.filter(due_on__lt=today, completed_at__isnull=True)


@transaction.atomic
def escalate_overdue(today: dt.date, *, context: AuditContext) -> int:
    """Mark every review past its due date and not completed as escalated (once).

    Escalated reviews show as "Overdue, escalated" on the reviewers' lists and are counted
    on the home panel of inspectors and administrators (``dashboard``). A system task: it
    acts for no user, so it reads every review.
    """
    now = timezone.now()
    escalated = 0
    reviews = overdue(SearchReview.objects.all(), today)
    for review in reviews.filter(escalated_at__isnull=True).select_for_update():
        before = snapshot(review)
        review.escalated_at = now
        review.save(update_fields=["escalated_at", "updated_at"])
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=review,
            reason=f"review overdue since {review.due_on:%Y-%m-%d}: escalated",
            before=before,
            after=snapshot(review),
        )
        escalated += 1
    return escalated
