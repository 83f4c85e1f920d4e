"""The end-of-service summary for the police: when the provider closes a referral, how far
the support met the reason the police referred the person for (achieved, partly, not), and
a few plain words for the referring officer.

The summary is shared with the police, so it must not carry clinical detail (the closing
note stays the provider's, ``lifecycle.reason_is_shared``). It is limited to
``MAX_SUMMARY`` characters. The outcome and the summary are required on the closing page
once the work has started (the referral has been in progress) for every closure except the
neutral ones (the closure codes that cancel the referral: the person died, went to prison,
moved away, or was transferred), where nobody could finish the work. Before the work
started (the person was never reached), the closure code already tells the police what
happened, so they are optional. They are optional through API v1 (a new required field
would break its clients) and for Pontio's own closures (a transfer). A summary without an
outcome, or an outcome on any move other than a provider's closure, is refused.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pontio.referrals.models import OutcomeAgainstReason, Referral, ReferralCode, Status

MAX_SUMMARY = 1000


def is_neutral(code: ReferralCode | None) -> bool:
    """A closure nobody could finish (it cancels the referral): no outcome is asked for."""
    return (
        code is not None
        and code.kind == ReferralCode.Kind.CLOSURE
        and code.leads_to == Status.CANCELLED
    )


def is_provider_closure(referral: Referral) -> bool:
    code = referral.status_code
    return (
        referral.status in (Status.COMPLETED, Status.FAILED, Status.CANCELLED)
        and code is not None
        and code.kind == ReferralCode.Kind.CLOSURE
    )


def work_started(referral: Referral) -> bool:
    """Whether the referral has been in progress (contact, attendance or clinical work)."""
    return referral.events.filter(to_status=Status.IN_PROGRESS).exists()


def check_outcome(
    referral: Referral, outcome: str, summary: str, *, required: bool
) -> tuple[str, str]:
    """The outcome and summary to store on ``referral`` (just moved), or a ValidationError.
    ``required``: the caller asks for them (the closing page), once the work has started."""
    outcome = (outcome or "").strip()
    summary = (summary or "").strip()
    if not is_provider_closure(referral):
        if outcome or summary:
            raise ValidationError(
                {
                    "outcome_against_reason": [
                        _("Record the outcome for the police only when you close the referral")
                    ]
                },
                code="outcome_not_closing",
            )
        return "", ""
    required = required and not is_neutral(referral.status_code) and work_started(referral)
    errors: dict[str, list[str]] = {}
    if outcome and outcome not in OutcomeAgainstReason.values:
        errors["outcome_against_reason"] = [_("Choose achieved, partly achieved or not achieved")]
    elif not outcome and (summary or required):
        errors["outcome_against_reason"] = [
            _("Choose how far the support met the reason for the referral")
        ]
    if required and not summary:
        errors["outcome_summary"] = [_("Enter a short summary for the police")]
    if len(summary) > MAX_SUMMARY:
        errors["outcome_summary"] = [_("Enter %(max)s characters or fewer") % {"max": MAX_SUMMARY}]
    if errors:
        raise ValidationError(errors, code="invalid_outcome")
    return outcome, summary
