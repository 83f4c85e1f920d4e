"""Demo amendments and questions to the police, on referrals the demo officer sent: one
corrected phone number, one question waiting for the police (contact details, the
first-contact target waits) and one answered question. Idempotent: each is made once,
recognised by its words."""

from __future__ import annotations

import datetime as dt

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.scopes import restrict
from pontio.referrals.models import OPEN, InformationRequest, Referral, ReferralAmendment
from pontio.referrals.services import amend as service

AMEND_REASON = "The person gave a new mobile number at the front desk."
NEW_PHONE = "07700 900321"
OPEN_QUESTION = "The phone number does not connect. Is there another number or an address?"
ANSWERED_QUESTION = "Which GP surgery is the person registered with?"
ANSWER = "Llanelli Health Centre, Dr Evans."


def seed(context: AuditContext, now: dt.datetime) -> int:
    officer = User.objects.filter(username="officer").first()
    caseworker = User.objects.filter(username="caseworker").first()
    if officer is None or caseworker is None:
        return 0
    candidates = list(
        restrict(Referral.objects.all(), caseworker, "change")
        .filter(referred_by=officer, status__in=OPEN)
        .exclude(contact_phone="")
        .order_by("-sent_at", "-pk")[:20]
    )
    made = 0
    mine = ReferralAmendment.objects.filter(referral__referred_by=officer, reason=AMEND_REASON)
    if not mine.exists():
        target = next((r for r in candidates if r.contact_phone != "+447700900321"), None)
        if target is not None:
            service.referral_amend(
                context=context,
                actor=officer,
                referral_id=target.pk,
                expected_version=target.version,
                changes={"contact_phone": NEW_PHONE},
                reason=AMEND_REASON,
            )
            made += 1
    asked = InformationRequest.objects.filter(referral__referred_by=officer)
    free = [r for r in candidates if not r.information_requests.filter(answered_at=None).exists()]
    for question, code, answer in (
        (OPEN_QUESTION, "HOLD_CONTACT_DETAILS", ""),
        (ANSWERED_QUESTION, "HOLD_AWAITING_INFO", ANSWER),
    ):
        if asked.filter(question=question).exists() or not free:
            continue
        target = free.pop()
        target.refresh_from_db()
        request = service.information_request(
            context=context,
            actor=caseworker,
            referral_id=target.pk,
            expected_version=target.version,
            code=code,
            question=question,
        )
        made += 1
        if answer:
            service.information_answer(
                context=context,
                actor=officer,
                request_id=request.pk,
                expected_version=request.version,
                answer=answer,
            )
    return made
