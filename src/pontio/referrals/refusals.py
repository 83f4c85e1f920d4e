"""How a request the rules refused is audited, for the pages and the API alike: as a
denial, naming the rules that refused it (their codes), never what was typed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from pontio.audit.services import audit_request
from pontio.core.recording import AuditAction
from pontio.referrals.models import Referral


def refusal_codes(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return sorted({e.code or "invalid" for errors in error.error_dict.values() for e in errors})
    return sorted({e.code or "invalid" for e in error.error_list})


def audit_refusal(
    request: Any,
    error: ValidationError,
    *,
    referral: Referral | None = None,
    person_id: int | None = None,
    what: str = "",
) -> None:
    """A refused change is logged like any other denial (which rule, never the text)."""
    reason = (f"{what} refused: " if what else "refused: ") + ", ".join(refusal_codes(error))
    if referral is not None:
        audit_request(
            request,
            AuditAction.DENIED,
            obj=referral,
            person_id=referral.person_id,
            reason=reason[:200],
        )
        return
    audit_request(
        request,
        AuditAction.DENIED,
        object_type="referrals.referral",
        person_id=person_id,
        reason=reason[:200],
    )
