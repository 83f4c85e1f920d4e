"""The referral lifecycle: the table of allowed moves and the one function that makes them.

Statuses are FHIR R4 Task statuses. Every move is checked against ``ALLOWED``, needs a
code of the right kind from the registry where ``NEEDS_CODE`` says so (and the evidence
the code asks for, ``ReferralCode.evidence``: a planned completion needs a treatment start),
is recorded as a ``ReferralEvent`` (who, when, from, to, code, why), and updates the timers
and who acts next. Nothing else changes ``Referral.status``.

What the police see of a move: its status, code and date always; its words only when they
are meant for them (``reason_is_shared``): the police's own reasons and the provider's
message with a rejection. The provider's words when holding, resuming or closing may be
clinical, so they are kept as the provider's note (``ReferralEvent.note``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import PROVIDER_ROLES
from pontio.referrals import sla
from pontio.referrals.models import (
    FINISHED,
    Party,
    Referral,
    ReferralCode,
    ReferralEvent,
    Status,
)

S = Status

# The statuses in which the provider records work (contact, appointments, clinical, TOP).
WORKING = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD})
# Finished in a way that cannot be undone by sending elsewhere (a rejection can be re-sent).
CLOSED = frozenset({S.COMPLETED, S.FAILED, S.CANCELLED})

# from -> the statuses it may move to.
ALLOWED: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.RECEIVED, S.ACCEPTED, S.REJECTED, S.CANCELLED}),
    S.RECEIVED: frozenset({S.ACCEPTED, S.REJECTED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.ON_HOLD, S.FAILED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.ON_HOLD, S.COMPLETED, S.FAILED, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.ACCEPTED, S.IN_PROGRESS, S.FAILED, S.CANCELLED}),
    S.REJECTED: frozenset(),
    S.COMPLETED: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
}

# to-status -> the code kinds that may explain it (a code is then required).
NEEDS_CODE: dict[str, frozenset[str]] = {
    S.REJECTED: frozenset({ReferralCode.Kind.REJECTION}),
    S.ON_HOLD: frozenset({ReferralCode.Kind.HOLD}),
    S.COMPLETED: frozenset({ReferralCode.Kind.CLOSURE}),
    S.FAILED: frozenset({ReferralCode.Kind.CLOSURE}),
    S.CANCELLED: frozenset({ReferralCode.Kind.CANCELLATION, ReferralCode.Kind.CLOSURE}),
}

# Which party may make an uncoded move.
UNCODED_PARTY: dict[str, str] = {
    S.RECEIVED: Party.PROVIDER,
    S.ACCEPTED: Party.PROVIDER,
    S.IN_PROGRESS: Party.PROVIDER,
}


def party_of(user: User) -> str:
    """Which side of the referral the user acts for."""
    return Party.PROVIDER if user.has_role(*PROVIDER_ROLES) else Party.POLICE


def allowed_moves(status: str) -> frozenset[str]:
    return ALLOWED.get(status, frozenset())


def codes_for(to_status: str, party: str, on: dt.date | None = None) -> list[ReferralCode]:
    """The codes a party may choose for a move to ``to_status`` (effective today)."""
    kinds = NEEDS_CODE.get(to_status, frozenset())
    return list(
        ReferralCode.objects.effective(on).filter(
            kind__in=kinds, leads_to=to_status, chosen_by=party
        )
    )


def closing_codes(status: str, party: str = Party.PROVIDER) -> list[ReferralCode]:
    """Closure codes of the closing moves open from ``status`` (all of them if none is open,
    so a page can still explain why the referral cannot be closed)."""
    moves = allowed_moves(status)
    chosen = [c for s in CLOSED for c in codes_for(s, party) if c.code != TRANSFER_CODE]
    allowed = [c for c in chosen if c.leads_to in moves]
    return allowed or chosen


def closing_status(status: str, code: str) -> str:
    """The status a closure code leads to; for an unknown or non-closing code, a closing move
    open now, so that ``transition`` explains what is wrong with the code itself."""
    found = ReferralCode.objects.filter(code=code).only("leads_to").first()
    if found is not None and found.leads_to in CLOSED:
        return str(found.leads_to)
    moves = allowed_moves(status)
    return next((s for s in (S.FAILED, S.COMPLETED) if s in moves), S.COMPLETED)


# Re-sending elsewhere has its own page (and its own service), so it is not a withdrawal.
RESEND_CODE = "CAN_TRANSFERRED"
# A provider-to-provider transfer closes the old referral with this code when the receiving
# provider accepts it (services.transfers): never chosen on the closing form.
TRANSFER_CODE = "CLO_TRANSFERRED"


def withdrawal_codes() -> list[ReferralCode]:
    """The reasons the police may choose to withdraw a referral."""
    return [c for c in codes_for(S.CANCELLED, Party.POLICE) if c.code != RESEND_CODE]


def reason_is_shared(party: str, to_status: str) -> bool:
    """Whether a user's words for this move are shown to both sides, or kept as the
    provider's note (``services.referral_transition`` applies it to what users type; the
    fixed words Pontio writes itself, such as "Contact made", are always shared)."""
    return party == Party.POLICE or to_status == Status.REJECTED


def _check_evidence(referral: Referral, code: ReferralCode | None) -> None:
    """A code that needs a record (a planned completion: the treatment start) is refused
    until that record is there."""
    if code is None or not code.evidence:
        return
    if code.evidence == ReferralCode.Evidence.TREATMENT_START and (
        referral.treatment_started_on is None
    ):
        raise ValidationError(
            {
                "code": [
                    _(
                        "“%(label)s” needs a recorded treatment start: record the treatment "
                        "start first, or choose another reason"
                    )
                    % {"label": code.label}
                ]
            },
            code="no_treatment_start",
        )
    if code.evidence == ReferralCode.Evidence.ASSESSMENT and referral.assessed_on is None:
        raise ValidationError(
            {
                "code": [
                    _(
                        "“%(label)s” needs a recorded assessment: record the assessment "
                        "first, or choose another reason"
                    )
                    % {"label": code.label}
                ]
            },
            code="no_assessment",
        )


def _label(status: str) -> str:
    return str(Status(status).label)


def _resolve_code(
    code: ReferralCode | str | None, to_status: str, party: str
) -> ReferralCode | None:
    kinds = NEEDS_CODE.get(to_status)
    if kinds is None:
        if code:
            raise ValidationError(
                {
                    "code": [
                        _("No reason code is used when a referral becomes “%(status)s”.")
                        % {"status": _label(to_status)}
                    ]
                },
                code="code_not_expected",
            )
        return None
    if not code:
        raise ValidationError({"code": [_("Choose a reason")]}, code="code_required")
    if isinstance(code, str):
        found = ReferralCode.objects.filter(code=code).first()
        if found is None:
            raise ValidationError(
                {"code": [_("“%(code)s” is not a known reason code") % {"code": code[:40]}]},
                code="unknown_code",
            )
        code = found
    if not code.is_effective():
        raise ValidationError(
            {"code": [_("The reason “%(label)s” is no longer in use") % {"label": code.label}]},
            code="code_not_effective",
        )
    if code.kind not in kinds or code.leads_to != to_status:
        raise ValidationError(
            {
                "code": [
                    _("The reason “%(label)s” cannot be used when a referral becomes “%(status)s”")
                    % {"label": code.label, "status": _label(to_status)}
                ]
            },
            code="code_wrong_move",
        )
    if code.chosen_by != party:
        raise ValidationError(
            {
                "code": [
                    _("Only the %(party)s may choose the reason “%(label)s”")
                    % {"party": Party(code.chosen_by).label.lower(), "label": code.label}
                ]
            },
            code="code_wrong_party",
        )
    return code


def transition(
    referral: Referral,
    to_status: str,
    *,
    actor: User | None,
    party: str,
    code: ReferralCode | str | None = None,
    reason: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> ReferralEvent:
    """Move a (locked) referral to ``to_status``; raise ValidationError if not allowed.

    The caller holds the row lock, checks the version and saves the referral; this function
    changes the referral's fields in memory and writes the event.
    """
    from_status = referral.status
    if to_status not in Status.values:
        raise ValidationError(
            _("“%(status)s” is not a referral status") % {"status": str(to_status)[:40]},
            code="unknown_status",
        )
    if to_status not in allowed_moves(from_status):
        raise ValidationError(
            _("A referral that is “%(from)s” cannot become “%(to)s”")
            % {"from": _label(from_status), "to": _label(to_status)},
            code="transition_not_allowed",
        )
    chosen = _resolve_code(code, to_status, party)
    if chosen is None and UNCODED_PARTY.get(to_status, party) != party:
        raise ValidationError(
            _("Only the provider can mark a referral “%(status)s”") % {"status": _label(to_status)},
            code="wrong_party",
        )
    _check_evidence(referral, chosen)
    at = at or timezone.now()
    today = timezone.localtime(at).date()

    if from_status == Status.ON_HOLD and referral.held_since:
        sla.push_back(referral, referral.held_since, today)
        referral.held_since = None
    if to_status == Status.ON_HOLD and chosen is not None and chosen.stops_timer:
        referral.held_since = today
    if to_status in FINISHED:
        referral.closed_on = today
        if chosen is None or chosen.stops_timer:
            referral.timer_stopped_on = today

    referral.status = to_status
    referral.status_code = chosen
    referral.next_actor = chosen.next_actor if chosen else Party.PROVIDER
    if to_status in FINISHED and chosen is None:
        referral.next_actor = Party.NOBODY
    actor_org = getattr(actor, "organisation_id", None)
    return ReferralEvent.objects.create(
        referral=referral,
        at=at,
        actor=actor if actor is not None and actor.pk else None,
        actor_organisation_id=actor_org,
        from_status=from_status,
        to_status=to_status,
        code=chosen,
        reason=reason,
        note=note,
    )
