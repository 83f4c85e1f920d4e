"""What a user may do with a referral now: the moves and the pieces of work open to them.

``actions_for(referral, user)`` is what the pages ask before they show a button; the
services refuse the same things by the same rules (the lifecycle table, who may move,
``WORKING`` for the provider's work, ``resend_refusal`` for sending elsewhere), so a button
is shown exactly when pressing it can succeed (a stale page aside).

The names:

- provider moves: ``accept``, ``reject``, ``hold``, ``resume``, ``close``;
- provider work: ``record_contact``, ``book_appointment``, ``record_attendance``,
  ``record_clinical``, ``record_top``; and ``allocate`` (managers);
- police: ``withdraw``, ``resend``.

Accepting a referral on hold is the same move as resuming it "accepted, not started yet",
so an on-hold referral offers ``resume`` (which asks where the work picks up) and not
``accept``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.referrals import lifecycle
from pontio.referrals.models import Party, Referral, Status

PROVIDER_MOVES = frozenset({"accept", "reject", "hold", "resume", "close"})
WORK = frozenset(
    {"record_contact", "book_appointment", "record_attendance", "record_clinical", "record_top"}
)
POLICE_MOVES = frozenset({"withdraw", "resend"})
ACTIONS = PROVIDER_MOVES | WORK | POLICE_MOVES | {"allocate"}


def provider_actions(status: str) -> frozenset[str]:
    """The provider's moves and work open from ``status`` (by the lifecycle table)."""
    moves = lifecycle.allowed_moves(status)
    actions: set[str] = set()
    if status == Status.ON_HOLD:
        if moves & {Status.ACCEPTED, Status.IN_PROGRESS}:
            actions.add("resume")
    elif Status.ACCEPTED in moves:
        actions.add("accept")
    if Status.REJECTED in moves:
        actions.add("reject")
    if Status.ON_HOLD in moves:
        actions.add("hold")
    if moves & {Status.COMPLETED, Status.FAILED}:
        actions.add("close")
    if status in lifecycle.WORKING:
        actions |= WORK
    return frozenset(actions)


def resend_refusal(referral: Referral) -> ValidationError | None:
    """Why the referral cannot be sent to another service, or None if it can.

    Whether it was already re-sent is read whatever the user's scope (a supervisor may
    have re-sent it): the rule is about the referral, not about who looks at it.
    """
    if hasattr(referral, "transferred_to"):
        return ValidationError(
            _("This referral has already been sent again as %(reference)s")
            % {"reference": referral.transferred_to.reference},
            code="already_resent",
        )
    if referral.status in lifecycle.CLOSED:
        return ValidationError(
            _("A closed referral cannot be sent again: make a new referral"), code="closed"
        )
    return None


def police_actions(referral: Referral) -> frozenset[str]:
    actions: set[str] = set()
    if Status.CANCELLED in lifecycle.allowed_moves(referral.status):
        actions.add("withdraw")
    if resend_refusal(referral) is None:
        actions.add("resend")
    return frozenset(actions)


def actions_for(referral: Referral, user: User) -> frozenset[str]:
    """Every action open to ``user`` on ``referral`` now (none outside their change scope)."""
    party = lifecycle.party_of(user)
    permission = "referrals.work" if party == Party.PROVIDER else "referrals.withdraw"
    if not has_permission(user, permission):
        return frozenset()
    if not restrict(Referral.objects.filter(pk=referral.pk), user, "change").exists():
        return frozenset()
    if party == Party.POLICE:
        return police_actions(referral)
    actions = provider_actions(referral.status)
    if has_permission(user, "referrals.allocate"):
        actions |= {"allocate"}
    return actions
