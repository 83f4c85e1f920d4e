"""The searching officer reads the reviewers' feedback on their search.

Completed inspector and independent reviews carry "learning for the officer". When the
officer who made the search opens it, the reviews they have not read yet are marked read,
so the audit team can see that feedback reached the officer (JOURNEYS.md journey 5). Anyone
else opening the record (a sergeant, an inspector) does not mark it read.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.recording import AuditAction
from pontio.stopsearch.models import SearchReview, StopSearch

FEEDBACK_KINDS = (SearchReview.Kind.INSPECTOR, SearchReview.Kind.INDEPENDENT)


@transaction.atomic
def feedback_read(*, context: AuditContext, actor: User, search: StopSearch) -> int:
    """Mark the completed reviews of the actor's own search as read; how many were new."""
    if search.officer_id is None or search.officer_id != actor.pk:
        return 0
    unread = list(
        SearchReview.objects.select_for_update().filter(
            search=search,
            kind__in=FEEDBACK_KINDS,
            completed_at__isnull=False,
            officer_read_at__isnull=True,
        )
    )
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
