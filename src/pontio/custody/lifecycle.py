"""The required-assessment lifecycle: the table of allowed moves and the one function that
makes them (Drugs Act 2005 ss9-14; DOMAIN.md §1.3).

- s9 / s11: the officer imposes the initial assessment with a written notice (RA1); a
  further written notice may change the time or place (RA2).
- s12: the assessor tells the police if the person fails to attend or does not remain for
  the whole assessment; attending and remaining is recorded (RA3).
- s10 / s13: before the initial assessment ends the assessor either says a follow-up is not
  needed (RA5: the requirement ends) or gives its time and place in writing (RA4); it may
  be changed by a further notice (RA2) and ends attended (RA3), failed or left early (s14).

Nothing else changes ``RequiredAssessment.state``: each move is checked against
``ALLOWED``, written as an ``AssessmentEvent`` (who, when, from, to, the notice, why) and
audited by the service that calls it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.custody.models import AssessmentEvent, AssessmentState, NoticeKind, RequiredAssessment

A = AssessmentState

INITIAL_STATES = frozenset(
    {
        A.INITIAL_REQUIRED,
        A.INITIAL_VARIED,
        A.INITIAL_ATTENDED,
        A.INITIAL_FAILED_TO_ATTEND,
        A.INITIAL_LEFT_EARLY,
    }
)
# Waiting for the person to attend an appointment (the provider records what happened).
AWAITING_INITIAL = frozenset({A.INITIAL_REQUIRED, A.INITIAL_VARIED})
AWAITING_FOLLOWUP = frozenset({A.FOLLOWUP_REQUIRED, A.FOLLOWUP_VARIED})
AWAITING_ATTENDANCE = AWAITING_INITIAL | AWAITING_FOLLOWUP
FAILURES = frozenset(
    {
        A.INITIAL_FAILED_TO_ATTEND,
        A.INITIAL_LEFT_EARLY,
        A.FOLLOWUP_FAILED_TO_ATTEND,
        A.FOLLOWUP_LEFT_EARLY,
    }
)
LEFT_EARLY = frozenset({A.INITIAL_LEFT_EARLY, A.FOLLOWUP_LEFT_EARLY})
FINISHED = FAILURES | frozenset({A.FOLLOWUP_NOT_REQUIRED, A.FOLLOWUP_ATTENDED})

# The first state, made by imposing the requirement (from no state).
START = A.INITIAL_REQUIRED

# from -> the states it may move to ("" is "no requirement yet").
ALLOWED: dict[str, frozenset[str]] = {
    "": frozenset({A.INITIAL_REQUIRED}),
    A.INITIAL_REQUIRED: frozenset(
        {A.INITIAL_VARIED, A.INITIAL_ATTENDED, A.INITIAL_FAILED_TO_ATTEND, A.INITIAL_LEFT_EARLY}
    ),
    A.INITIAL_VARIED: frozenset(
        {A.INITIAL_VARIED, A.INITIAL_ATTENDED, A.INITIAL_FAILED_TO_ATTEND, A.INITIAL_LEFT_EARLY}
    ),
    A.INITIAL_ATTENDED: frozenset({A.FOLLOWUP_REQUIRED, A.FOLLOWUP_NOT_REQUIRED}),
    A.INITIAL_FAILED_TO_ATTEND: frozenset(),
    A.INITIAL_LEFT_EARLY: frozenset(),
    A.FOLLOWUP_REQUIRED: frozenset(
        {
            A.FOLLOWUP_VARIED,
            A.FOLLOWUP_ATTENDED,
            A.FOLLOWUP_FAILED_TO_ATTEND,
            A.FOLLOWUP_LEFT_EARLY,
        }
    ),
    A.FOLLOWUP_VARIED: frozenset(
        {
            A.FOLLOWUP_VARIED,
            A.FOLLOWUP_ATTENDED,
            A.FOLLOWUP_FAILED_TO_ATTEND,
            A.FOLLOWUP_LEFT_EARLY,
        }
    ),
    A.FOLLOWUP_NOT_REQUIRED: frozenset(),
    A.FOLLOWUP_ATTENDED: frozenset(),
    A.FOLLOWUP_FAILED_TO_ATTEND: frozenset(),
    A.FOLLOWUP_LEFT_EARLY: frozenset(),
}

# The notice each state gives (a failure gives none: it opens a breach task instead).
NOTICE_OF: dict[str, str] = {
    A.INITIAL_REQUIRED: NoticeKind.RA1,
    A.INITIAL_VARIED: NoticeKind.RA2,
    A.INITIAL_ATTENDED: NoticeKind.RA3,
    A.FOLLOWUP_REQUIRED: NoticeKind.RA4,
    A.FOLLOWUP_NOT_REQUIRED: NoticeKind.RA5,
    A.FOLLOWUP_VARIED: NoticeKind.RA2,
    A.FOLLOWUP_ATTENDED: NoticeKind.RA3,
}

# The attendance the provider records -> the state it leads to, per stage.
ATTENDANCE_MOVES: dict[str, dict[str, str]] = {
    "initial": {
        "attended": A.INITIAL_ATTENDED,
        "dna": A.INITIAL_FAILED_TO_ATTEND,
        "left_early": A.INITIAL_LEFT_EARLY,
    },
    "followup": {
        "attended": A.FOLLOWUP_ATTENDED,
        "dna": A.FOLLOWUP_FAILED_TO_ATTEND,
        "left_early": A.FOLLOWUP_LEFT_EARLY,
    },
}


def stage_of(state: str) -> str:
    """ "initial" or "followup": which assessment a state belongs to."""
    return "initial" if state in INITIAL_STATES else "followup"


def allowed_moves(state: str) -> frozenset[str]:
    return ALLOWED.get(state, frozenset())


def _label(state: str) -> str:
    return str(AssessmentState(state).label) if state in AssessmentState.values else state


def check_move(from_state: str, to_state: str) -> None:
    """Raise ValidationError (code ``transition_not_allowed``) if the move is not in the table."""
    if to_state not in AssessmentState.values:
        raise ValidationError(
            _("“%(state)s” is not a required-assessment state") % {"state": str(to_state)[:40]},
            code="unknown_state",
        )
    if to_state not in allowed_moves(from_state):
        if not from_state:
            message = _("A required assessment starts as “%(to)s”") % {"to": _label(START)}
        else:
            message = _("A required assessment that is “%(from)s” cannot become “%(to)s”") % {
                "from": _label(from_state),
                "to": _label(to_state),
            }
        raise ValidationError(message, code="transition_not_allowed")


def transition(
    assessment: RequiredAssessment,
    to_state: str,
    *,
    actor: User | None,
    reason: str = "",
    at: dt.datetime | None = None,
    from_state: str | None = None,
) -> AssessmentEvent:
    """Move a (locked, saved) assessment to ``to_state``; raise ValidationError if not allowed.

    The caller holds the row lock, checks the version, saves the assessment and audits; this
    function changes the state in memory and writes the event. ``from_state`` is given only
    when the requirement is first imposed (from no state).
    """
    start = assessment.state if from_state is None else from_state
    check_move(start, to_state)
    assessment.state = to_state
    return AssessmentEvent.objects.create(
        assessment=assessment,
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        from_state=start,
        to_state=to_state,
        notice_kind=NOTICE_OF.get(to_state, ""),
        reason=reason,
    )
