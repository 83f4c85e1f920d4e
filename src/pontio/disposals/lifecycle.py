"""The disposal's states and the one function that moves it (DESIGN.md §4).

draft -> awaiting authorisation (a disposal decided) -> authorised (a sergeant or above)
-> active (the agreement signed) -> completed (every condition complied with) or breached
(the type's breach route followed). A decision to charge or take no further action is
closed when recorded. Each move is a ``DisposalEvent``: who, when, from, to, why.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.disposals.models import Disposal, DisposalEvent
from pontio.disposals.models import DisposalState as S

ALLOWED: dict[str, frozenset[str]] = {
    "": frozenset({S.AWAITING_AUTHORISATION, S.CLOSED}),
    S.DRAFT: frozenset({S.AWAITING_AUTHORISATION, S.CLOSED}),
    S.AWAITING_AUTHORISATION: frozenset({S.AUTHORISED, S.CLOSED}),
    S.AUTHORISED: frozenset({S.ACTIVE, S.CLOSED}),
    S.ACTIVE: frozenset({S.COMPLETED, S.BREACHED}),
    S.COMPLETED: frozenset(),
    S.BREACHED: frozenset(),
    S.CLOSED: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return target in ALLOWED.get(current, frozenset())


def transition(
    disposal: Disposal, target: str, *, actor: User, at: dt.datetime, reason: str = ""
) -> DisposalEvent:
    """Move the disposal (saved by the caller) and record the event."""
    current = disposal.state if disposal.pk else ""
    if disposal.pk and not can_move(current, target):
        raise ValidationError(
            _("A disposal that is %(current)s cannot become %(target)s")
            % {"current": S(current).label.lower(), "target": S(target).label.lower()},
            code="invalid_transition",
        )
    disposal.state = target
    return DisposalEvent(
        disposal=disposal, from_state=current, to_state=target, actor=actor, at=at, reason=reason
    )
