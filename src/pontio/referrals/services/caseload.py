"""Bulk allocation: a provider manager allocates several referrals to one caseworker.

Each chosen referral carries the version the manager saw. Each is allocated through
``moves.referral_allocate`` (which locks the row, checks the version, audits, and emails
the caseworker), in a savepoint of its own: a referral that someone else changed in the
meantime is left as it is and reported as stale, the others are allocated. Two managers
allocating the same unassigned case at once: the first wins; the second is told that case
had been changed, never silently overwrites it. A caseworker who is not one of the
referral's organisation's caseworkers is refused for that referral.

This is decided rather than all-or-nothing because the referrals are independent: one
stale row should not stop a manager's other allocations; the summary says what happened
to each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.concurrency import StaleVersionError
from pontio.core.permissions import require_permission
from pontio.referrals.services.moves import referral_allocate

MAX_ITEMS = 200


@dataclass
class BulkResult:
    """What happened to each referral (by id)."""

    allocated: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    refused: dict[int, list[str]] = field(default_factory=dict)
    not_found: list[int] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return len(self.stale) + len(self.refused) + len(self.not_found)


@transaction.atomic
def referrals_allocate(
    *,
    context: AuditContext,
    actor: User,
    items: list[tuple[int, int | None]],
    caseworker_id: int | None,
) -> BulkResult:
    """Allocate each (referral id, expected version) to the caseworker, one savepoint each."""
    require_permission(actor, "referrals.allocate")
    if not items:
        raise ValidationError(
            {"referrals": [_("Choose at least one referral to allocate")]}, code="none_chosen"
        )
    if len(items) > MAX_ITEMS:
        raise ValidationError(
            {"referrals": [_("Choose %(max)s referrals or fewer") % {"max": MAX_ITEMS}]},
            code="too_many",
        )
    if caseworker_id is None:
        raise ValidationError({"caseworker": [_("Choose a caseworker")]}, code="no_caseworker")
    result = BulkResult()
    seen: set[int] = set()
    for referral_id, version in items:
        if referral_id in seen:
            continue
        seen.add(referral_id)
        try:
            with transaction.atomic():
                referral_allocate(
                    context=context,
                    actor=actor,
                    referral_id=referral_id,
                    expected_version=version,
                    caseworker_id=caseworker_id,
                )
        except StaleVersionError:
            result.stale.append(referral_id)
        except PermissionDenied:
            result.not_found.append(referral_id)
        except ValidationError as error:
            result.refused[referral_id] = list(error.messages)
        else:
            result.allocated.append(referral_id)
    return result
