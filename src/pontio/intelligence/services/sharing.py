"""Sharing a report with an organisation, as its handling code allows."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import Organisation, User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.intelligence.actionable import checks
from pontio.intelligence.grading import WITH_CONDITIONS
from pontio.intelligence.models import (
    ReportShare,
    Scheme,
    ShareStatus,
)
from pontio.intelligence.sanitising import neutralise
from pontio.intelligence.services.assessment import _lock
from pontio.intelligence.services.common import (
    logger,
)

# --- sharing --------------------------------------------------------------------------------


@transaction.atomic
def share_create(
    *,
    actor: User,
    context: AuditContext,
    report_id: int,
    recipient_id: int,
    condition: str = "",
    at: dt.datetime | None = None,
) -> ReportShare:
    """Share the sanitised report with an organisation, as its handling code allows.

    Only an actionable report goes (``actionable.checks``). A C-coded item (3x5x2: sharing
    with conditions) needs its condition recorded; without one the share is refused, and the
    refusal is logged here and audited by the caller (outside this transaction, which the
    refusal rolls back), without the content. Every share is pending until the
    recipient accepts it (and with it the condition).
    """
    report = _lock(actor, report_id)
    condition_text, _m = neutralise(condition or "")
    if (
        report.scheme == Scheme.THREE_FIVE_TWO
        and report.handling_code == WITH_CONDITIONS
        and not condition_text
    ):
        logger.warning(
            "intelligence share refused: handling code C without a condition (report %s)", report.pk
        )
        raise ValidationError(
            {
                "condition": ValidationError(
                    _(
                        "This report has handling code C: record the handling condition the "
                        "recipient must accept before it can be shared."
                    ),
                    code="condition_required",
                )
            }
        )
    unmet = [c for c in checks(report, recipient_condition=condition_text) if not c.met]
    if unmet:
        logger.warning("intelligence share refused: report %s not actionable", report.pk)
        raise ValidationError(
            {
                "recipient": ValidationError(
                    _("This report cannot be shared yet: %(checks)s.")
                    % {"checks": "; ".join(str(c.label) for c in unmet)},
                    code="not_actionable",
                )
            }
        )
    recipient = Organisation.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None or recipient.pk == actor.organisation_id:
        raise ValidationError({"recipient": _("Choose the organisation to share with.")})
    share = ReportShare.objects.create(
        report=report,
        recipient=recipient,
        handling_code=report.handling_code,
        condition=condition_text,
        shared_by=actor,
        shared_at=at or timezone.now(),
    )
    audit_record(
        context=context, action=AuditAction.CREATE, obj=share, after=snapshot_fields(share)
    )
    return share


@transaction.atomic
def share_decide(
    *,
    actor: User,
    context: AuditContext,
    share_id: int,
    accept: bool,
    at: dt.datetime | None = None,
) -> ReportShare:
    """The recipient accepts (and with it the condition) or declines a pending share."""
    require_permission(actor, "intelligence.receive_share")
    share = (
        restrict(ReportShare.objects.select_for_update(of=("self",)), actor, "change")
        .filter(pk=share_id, recipient_id=actor.organisation_id)
        .first()
    )
    if share is None:
        raise PermissionDenied
    if share.status != ShareStatus.PENDING:
        raise ValidationError({"decision": _("This share has already been answered.")})
    before = snapshot_fields(share)
    share.status = ShareStatus.ACCEPTED if accept else ShareStatus.DECLINED
    share.decided_by = actor
    share.decided_at = at or timezone.now()
    share.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=share,
        before=before,
        after=snapshot_fields(share),
    )
    return share
