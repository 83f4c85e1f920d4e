"""The searching officer reads the reviewers' feedback on their search.

Completed inspector and independent reviews carry "learning for the officer", panel reviews
the panel's judgement and comments. When the officer who made the search opens it, the
reviews they have not read yet are marked read,
so the audit team can see that feedback reached the officer (JOURNEYS.md journey 5). Anyone
else opening the record (a sergeant, an inspector) does not mark it read (``actions``:
``read_feedback`` is the searching officer's alone).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.stopsearch.actions import READ_FEEDBACK, search_actions
from pontio.stopsearch.models import SearchReview, StopSearch


@transaction.atomic
def feedback_read(*, context: AuditContext, actor: User, search: StopSearch) -> int:
    """Mark the completed reviews of the actor's own search as read; how many were new."""
    if READ_FEEDBACK not in search_actions(search, actor):
        return 0
    reviews = SearchReview.objects.select_for_update().filter(
        search=search,
        completed_at__isnull=False,
        officer_read_at__isnull=True,
    )
    unread = list(restrict(reviews, actor, "view"))
    now = timezone.now()
    for review in unread:
        # A plain field update: reading is not an edit, so the review's version stays.
        SearchReview.objects.filter(pk=review.pk).update(officer_read_at=now)
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=review,
            person_id=search.person_id or "",
            reason="feedback read by the officer",
            before={"officer_read_at": None},
            after={"officer_read_at": now},
        )
    return len(unread)
