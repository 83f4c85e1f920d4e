"""Moving a referral along its lifecycle, and allocating it to a caseworker.

Every move goes through ``lifecycle.transition`` (the table of allowed moves and codes),
names the version the user started from, and is audited in the same transaction. Who is
told follows from the move: the police when the provider rejects or closes, the
provider's staff when the police withdraw. Accepting a referral nobody is allocated to
allocates it to the caseworker who accepts it (``allocate_on_accept``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.recording import AuditAction
from pontio.referrals import lifecycle, selectors
from pontio.referrals.models import FINISHED, Alert, Party, Referral, ReferralCode, Status
from pontio.referrals.services.common import check_texts, lock_referral, snapshot
from pontio.referrals.services.notify import alert_police, notify_provider, queue_notifications
from pontio.referrals.services.summary import check_outcome

# Who takes a referral by accepting it (module docstring).
CASEWORKING_ROLES = frozenset({Role.PROVIDER_CASEWORKER, Role.NAVIGATOR})


def save_move(
    *, context: AuditContext, referral: Referral, before: dict[str, Any], reason: str = ""
) -> Referral:
    referral.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=referral,
        person_id=referral.person_id,
        reason=reason[:200],
        before=before,
        after=snapshot(referral),
    )
    return referral


def _after_move(referral: Referral, to_status: str, party: str) -> None:
    if party == Party.POLICE:
        # A withdrawal: the provider's staff are told (link only) so nobody keeps working it.
        notify_provider(referral, "referral_update")
        return
    if to_status == Status.REJECTED:
        alert_police(referral, Alert.Kind.REJECTED)
    elif (
        to_status in FINISHED
        and referral.status_code
        and referral.status_code.kind == ReferralCode.Kind.CLOSURE
    ):
        alert_police(referral, Alert.Kind.CLOSED)


def allocate_on_accept(referral: Referral, actor: User, from_status: str) -> None:
    """A caseworker (or navigator) who accepts a new referral nobody is allocated to takes
    it: it is theirs until a manager allocates it to someone else. A manager accepting one
    leaves the allocation to themselves (they may be triaging for the team)."""
    if referral.status != Status.ACCEPTED or from_status not in (Status.REQUESTED, Status.RECEIVED):
        return
    if referral.allocated_to_id is not None or not actor.has_role(*CASEWORKING_ROLES):
        return
    if any(u.pk == actor.pk for u in selectors.caseworkers_of(referral)):
        referral.allocated_to = actor


@transaction.atomic
def referral_transition(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    expected_version: int | None,
    to_status: str,
    code: ReferralCode | str | None = None,
    reason: str = "",
    outcome_against_reason: str = "",
    outcome_summary: str = "",
    require_outcome: bool = False,
) -> Referral:
    """Move a referral (accept, reject, hold, resume, close, withdraw) by the lifecycle table.

    A provider's closure may carry the end-of-service summary for the police
    (``services.summary``: required when ``require_outcome``, as on the closing page)."""
    party = lifecycle.party_of(actor)
    permission = "referrals.work" if party == Party.PROVIDER else "referrals.withdraw"
    referral = lock_referral(actor, referral_id, permission)
    if party == Party.POLICE and to_status != Status.CANCELLED:
        raise ValidationError(
            _("The police can withdraw a referral; the provider makes every other change"),
            code="wrong_party",
        )
    code_name = code.code if isinstance(code, ReferralCode) else code
    if code_name == lifecycle.RESEND_CODE:
        # "Re-sent to another provider" is true only of a referral that was: the re-send
        # service sets it when it makes the new referral, never a plain withdrawal.
        raise ValidationError(
            {"code": [_("To close it as re-sent, send the referral to another provider")]},
            code="use_resend",
        )
    if code_name == lifecycle.TRANSFER_CODE:
        raise ValidationError(
            {"code": [_("To close it as transferred, propose a transfer to another service")]},
            code="use_transfer",
        )
    check_texts(reason=reason)
    before = snapshot(referral)
    check_version(referral, expected_version)
    # The provider's words when holding, resuming or closing may be clinical: they are kept
    # as its note, never shown to the police (a rejection's words are meant for them).
    shared = lifecycle.reason_is_shared(party, to_status)
    lifecycle.transition(
        referral,
        to_status,
        actor=actor,
        party=party,
        code=code,
        reason=reason if shared else "",
        note="" if shared else reason,
    )
    referral.outcome_against_reason, referral.outcome_summary = check_outcome(
        referral, outcome_against_reason, outcome_summary, required=require_outcome
    )
    allocate_on_accept(referral, actor, before["status"])
    save_move(context=context, referral=referral, before=before, reason=reason if shared else "")
    _after_move(referral, to_status, party)
    return referral


@transaction.atomic
def referral_mark_received(
    *, context: AuditContext, actor: User, referral_id: int
) -> Referral | None:
    """The provider has opened a new referral: requested -> received (once, no version)."""
    if lifecycle.party_of(actor) != Party.PROVIDER:
        return None
    referral = lock_referral(actor, referral_id, "referrals.work")
    if referral.status != Status.REQUESTED:
        return referral
    before = snapshot(referral)
    referral.version += 1
    lifecycle.transition(
        referral,
        Status.RECEIVED,
        actor=actor,
        party=Party.PROVIDER,
        reason=_("Opened by the provider"),
    )
    return save_move(context=context, referral=referral, before=before)


@transaction.atomic
def referral_allocate(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    expected_version: int | None,
    caseworker_id: int | None,
) -> Referral:
    referral = lock_referral(actor, referral_id, "referrals.allocate")
    caseworker = None
    if caseworker_id is not None:
        caseworker = next(
            (u for u in selectors.caseworkers_of(referral) if u.pk == caseworker_id), None
        )
        if caseworker is None:
            raise ValidationError(
                {"caseworker": [_("Choose a caseworker of your organisation")]},
                code="unknown_caseworker",
            )
    before = snapshot(referral)
    check_version(referral, expected_version)
    referral.allocated_to = caseworker
    save_move(context=context, referral=referral, before=before)
    # The caseworker is told (link only), unless they allocated it to themselves or already
    # had it.
    if caseworker is not None and caseworker.pk not in (actor.pk, before["allocated_to"]):
        queue_notifications([caseworker], "referral_allocated", referral)
    return referral
