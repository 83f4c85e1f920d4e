"""The diversion contract's states and the one function that moves it between them.

referred -> active (contract agreed) | declined (not eligible or declined);
active -> completed (no further action) | failed (the failure route followed).
Every move is recorded as a ``ContractEvent`` with who, when and why.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.disposals.models import ContractEvent, ContractState, DiversionContract

TRANSITIONS: dict[str, frozenset[str]] = {
    ContractState.REFERRED: frozenset({ContractState.ACTIVE, ContractState.DECLINED}),
    ContractState.ACTIVE: frozenset({ContractState.COMPLETED, ContractState.FAILED}),
    ContractState.COMPLETED: frozenset(),
    ContractState.FAILED: frozenset(),
    ContractState.DECLINED: frozenset(),
}

CLOSED = frozenset({ContractState.COMPLETED, ContractState.FAILED, ContractState.DECLINED})


def can_move(contract: DiversionContract, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(contract.state, frozenset())


def transition(
    contract: DiversionContract, to_state: str, *, actor: User, reason: str = ""
) -> ContractEvent:
    """Move the contract (in memory; the caller saves it) and record the event."""
    if not can_move(contract, to_state):
        raise ValidationError(
            _("A contract that is %(state)s cannot become %(target)s")
            % {
                "state": ContractState(contract.state).label,
                "target": ContractState(to_state).label,
            },
            code="bad_transition",
        )
    from_state = contract.state
    contract.state = to_state
    now = timezone.now()
    if to_state in CLOSED:
        contract.closed_at = now
    return ContractEvent.objects.create(
        contract=contract,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        at=now,
        reason=reason,
    )
