"""A provider's own count of the referrals it received from every source in a quarter: the
denominator of the police share (docs/metrics.md). A new entry replaces the figure and is
audited with the old and new values."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.referrals.metrics.periods import total_quarters
from pontio.referrals.models import ProviderReferralTotal, Referral

MAX_TOTAL = 1_000_000


@transaction.atomic
def provider_total_record(
    *, context: AuditContext, actor: User, quarter_start: dt.date, total: int
) -> ProviderReferralTotal:
    """Enter (or correct) the actor's organisation's total referrals for a finished quarter."""
    require_permission(actor, "referrals.report_totals")
    if actor.organisation_id is None:
        raise PermissionDenied
    today = timezone.localdate()
    period = next((p for p in total_quarters(today) if p.start == quarter_start), None)
    if period is None:
        raise ValidationError(
            {"quarter": [_("Choose a quarter that has ended, from the list")]}, code="quarter"
        )
    if not 0 <= total <= MAX_TOTAL:
        raise ValidationError({"total": [_("Enter a number from 0 to 1,000,000")]}, code="total")
    # Counted, never read: the referrals the manager's organisation received.
    through_pontio = (
        restrict(Referral.objects.all(), actor, "aggregate")
        .filter(
            provider_id=actor.organisation_id,
            sent_on__gte=period.start,
            sent_on__lte=period.end,
        )
        .count()
    )
    if total < through_pontio:
        raise ValidationError(
            {
                "total": [
                    ngettext(
                        "The total must include the %(count)s referral you received through "
                        "Pontio in that quarter",
                        "The total must include the %(count)s referrals you received through "
                        "Pontio in that quarter",
                        through_pontio,
                    )
                    % {"count": through_pontio}
                ]
            },
            code="below_pontio",
        )
    existing = (
        restrict(ProviderReferralTotal.objects.select_for_update(), actor, "change")
        .filter(provider_id=actor.organisation_id, quarter_start=period.start)
        .first()
    )
    before = {"total": existing.total} if existing else None
    if existing is None:
        existing = ProviderReferralTotal(
            provider_id=actor.organisation_id, quarter_start=period.start
        )
    existing.total = total
    existing.entered_by = actor
    existing.entered_at = timezone.now()
    existing.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=existing,
        before=before,
        after={"quarter_start": period.start, "total": total},
    )
    return existing
