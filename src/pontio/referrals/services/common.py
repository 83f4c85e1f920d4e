"""What every referral write shares: snapshots for the audit, the row lock, the text limit.

Every change of a referral re-reads it through ``restrict(..., "change")`` with a row lock,
so a user can only change what their scope lets them, and two changes queue one behind the
other. Free text is limited here, once, for the pages and the API alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.scopes import restrict
from pontio.referrals.models import Referral

SNAPSHOT_EXCLUDE = {"created_at", "updated_at"}
# Every free-text field of a referral and of the provider's work (reason, risks,
# safeguarding, release plan, notes, reasons for a move): one limit, checked by the
# services, so that a page and the API refuse the same text with the same message.
MAX_TEXT = 4000


def snapshot(obj: Any) -> dict[str, Any]:
    return snapshot_fields(obj, exclude=SNAPSHOT_EXCLUDE)


def age_on(date_of_birth: dt.date | None, on: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def too_long_message() -> str:
    return _("Enter %(max)s characters or fewer") % {"max": MAX_TEXT}


def text_errors(**texts: str | None) -> dict[str, list[ValidationError]]:
    """The free-text fields (by name) that are longer than ``MAX_TEXT``."""
    return limit_errors(**{name: (text, MAX_TEXT) for name, text in texts.items()})


def limit_errors(**fields: tuple[str | None, int]) -> dict[str, list[ValidationError]]:
    """The short fields (name=(text, limit)) longer than their column: refused with the
    limit, never cut, so nothing a user typed is silently lost."""
    return {
        name: [
            ValidationError(
                _("Enter %(max)s characters or fewer") % {"max": limit}, code="too_long"
            )
        ]
        for name, (text, limit) in fields.items()
        if text and len(text.strip()) > limit
    }


def check_limits(**fields: tuple[str | None, int]) -> None:
    errors = limit_errors(**fields)
    if errors:
        raise ValidationError(errors)


def check_texts(**texts: str | None) -> None:
    """Refuse free text longer than ``MAX_TEXT``, by field."""
    errors = text_errors(**texts)
    if errors:
        raise ValidationError(errors)


def lock_referral(actor: User, referral_id: int, permission: str) -> Referral:
    """The referral, locked for the change, if the actor may change it; else PermissionDenied."""
    require_permission(actor, permission)
    referral = (
        restrict(Referral.objects.select_for_update(), actor, "change")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise PermissionDenied
    return referral
