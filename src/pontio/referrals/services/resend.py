"""The police send a referral to another service: the old one is closed as transferred (or
stays rejected) and the new one points back to it, so the history reads both ways."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.recording import AuditAction
from pontio.referrals import lifecycle
from pontio.referrals.actions import resend_refusal
from pontio.referrals.models import Party, Referral, Status
from pontio.referrals.services.common import check_texts, lock_referral, snapshot
from pontio.referrals.services.create import data_of, referral_create


@transaction.atomic
def referral_resend(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    expected_version: int | None,
    service_id: int,
    reason: str,
) -> Referral:
    """Send the referral to another service. An open referral is cancelled as transferred;
    a rejected one stays rejected. The new referral points back to the old (its history)."""
    old = lock_referral(actor, referral_id, "referrals.withdraw")
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Enter why the referral is being sent again")]})
    check_texts(reason=reason)
    refusal = resend_refusal(old)
    if refusal is not None:
        raise refusal
    if service_id == old.service_id:
        raise ValidationError({"service": [_("Choose a different service")]}, code="same_service")
    before = snapshot(old)
    check_version(old, expected_version)
    if old.status != Status.REJECTED:
        lifecycle.transition(
            old,
            Status.CANCELLED,
            actor=actor,
            party=Party.POLICE,
            code=lifecycle.RESEND_CODE,
            reason=reason,
        )
    old.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=old,
        person_id=old.person_id,
        reason="re-sent",
        before=before,
        after=snapshot(old),
    )
    new, _created = referral_create(
        context=context,
        actor=actor,
        person_id=old.person_id,
        data=data_of(old),
        service_id=service_id,
        transferred_from=old,
    )
    return new
