"""The phases of a drug-disruption operation and the rules that move it (one place).

planning -> covert -> enforcement -> aftercare -> closed, one step at a time, never back.
Each move is dated (the day and time the phase began, which may be earlier than when it is
recorded, never in the future and never before the previous move) and recorded as an
``OperationEvent`` (who, when, from, to, why).

The rule of recommendation 1 of the Commissioner's review (Operations Regent and Moose):
partners are told in time to plan for the referral demand enforcement creates, so
**enforcement cannot start** until

- at least one partner briefing has been recorded, and
- a forecast of the expected referrals (at least one row) has been shared with the
  providers serving its counties, and not changed since it was shared.

What may be done in each phase:

- the forecast is written and shared in planning and covert; from enforcement on it is
  frozen, because it is what the demand is compared with;
- results (arrests, charges, convictions, seizures) are recorded from enforcement on,
  closed included (convictions come months later);
- referrals made during the operation are linked from enforcement on, closed included;
- the partner evaluation opens when the operation is closed.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.operations.models import Operation, OperationEvent, Phase

ORDER: tuple[str, ...] = (
    Phase.PLANNING,
    Phase.COVERT,
    Phase.ENFORCEMENT,
    Phase.AFTERCARE,
    Phase.CLOSED,
)

# The field holding the moment each phase began.
STARTED_FIELD: dict[str, str] = {
    Phase.PLANNING: "planning_started_at",
    Phase.COVERT: "covert_started_at",
    Phase.ENFORCEMENT: "enforcement_started_at",
    Phase.AFTERCARE: "aftercare_started_at",
    Phase.CLOSED: "closed_at",
}

FORECAST_PHASES = frozenset({Phase.PLANNING, Phase.COVERT})
RESULT_PHASES = frozenset({Phase.ENFORCEMENT, Phase.AFTERCARE, Phase.CLOSED})
LINK_PHASES = RESULT_PHASES
ENGAGEMENT_PHASES = frozenset({Phase.PLANNING, Phase.COVERT, Phase.ENFORCEMENT, Phase.AFTERCARE})


def next_phase(current: str) -> str | None:
    index = ORDER.index(current)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def can_move(current: str, target: str) -> bool:
    return next_phase(current) == target


def last_moved_at(operation: Operation) -> dt.datetime:
    moments = [getattr(operation, STARTED_FIELD[p]) for p in ORDER]
    return max(m for m in moments if m is not None)


def move_errors(
    operation: Operation,
    target: str,
    at: dt.datetime,
    *,
    now: dt.datetime,
    briefings: int,
    forecast_rows: int,
) -> dict[str, list[str]]:
    """Why the operation cannot move to ``target`` at ``at`` (empty: it can)."""
    errors: dict[str, list[str]] = {}
    if not can_move(operation.phase, target):
        errors["phase"] = [
            _("An operation in its %(current)s phase cannot move to %(target)s")
            % {
                "current": Phase(operation.phase).label.lower(),
                "target": Phase(target).label.lower(),
            }
        ]
        return errors
    if at > now:
        errors["started_at"] = [_("The date the phase began must be today or in the past")]
    # Times are entered to the minute: the minute the previous phase began will do.
    elif at < last_moved_at(operation).replace(second=0, microsecond=0):
        errors["started_at"] = [
            _("The date the phase began must be on or after the start of the previous phase")
        ]
    if target == Phase.ENFORCEMENT:
        if briefings == 0:
            errors.setdefault("phase", []).append(
                _("Record at least one partner briefing before enforcement starts")
            )
        if forecast_rows == 0:
            errors.setdefault("phase", []).append(
                _("Add the expected referrals by county and week before enforcement starts")
            )
        elif operation.forecast_shared_at is None:
            errors.setdefault("phase", []).append(
                _("Share the forecast with the providers before enforcement starts")
            )
    return errors


def transition(
    operation: Operation, target: str, *, actor: User, at: dt.datetime, reason: str = ""
) -> OperationEvent:
    """Move the operation (saved by the caller) and make the event (saved by the caller)."""
    current = operation.phase if operation.pk else ""
    if operation.pk:
        # Within the minute the previous phase began (entered to the minute): not before it.
        at = max(at, last_moved_at(operation))
    operation.phase = target
    setattr(operation, STARTED_FIELD[target], at)
    return OperationEvent(
        operation=operation, from_phase=current, to_phase=target, actor=actor, at=at, reason=reason
    )


def forecast_editable(operation: Operation) -> bool:
    return operation.phase in FORECAST_PHASES


def results_recordable(operation: Operation) -> bool:
    return operation.phase in RESULT_PHASES


def referrals_linkable(operation: Operation) -> bool:
    return operation.phase in LINK_PHASES


def evaluation_open(operation: Operation) -> bool:
    return operation.phase == Phase.CLOSED
