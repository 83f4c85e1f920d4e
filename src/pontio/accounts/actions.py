"""What an administrator may do to an account now: one rule for the page and the services.

The user page shows a button for each action here; ``services.users`` refuses the same
actions when this says no (an edit from a stale page, a crafted POST).
"""

from __future__ import annotations

from typing import Any

from pontio.accounts.models import User
from pontio.accounts.selectors import confirmed_device, user_is_locked_out
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict

EDIT = "edit"
DEACTIVATE = "deactivate"
ACTIVATE = "activate"
RESET_MFA = "reset-mfa"
UNLOCK = "unlock"
# The account actions of the user page's buttons (the URL's ``action``).
ACCOUNT_ACTIONS = frozenset({DEACTIVATE, ACTIVATE, RESET_MFA, UNLOCK})


def may_change(actor: Any, subject: User) -> bool:
    return has_permission(actor, "accounts.manage_users") and (
        restrict(User.objects.filter(pk=subject.pk), actor, "change").exists()
    )


def actions_for(subject: User, actor: Any) -> frozenset[str]:
    """The actions ``actor`` may take on ``subject``'s account, as it is now.

    Nobody closes, reopens, unlocks or resets their own account (they would lock themselves
    out, or hide their own lock-out); an administrator of the whole force may still edit
    their own details.
    """
    if not may_change(actor, subject):
        return frozenset()
    if subject.pk == getattr(actor, "pk", None):
        return frozenset({EDIT})
    actions = {EDIT, DEACTIVATE if subject.is_active else ACTIVATE}
    if confirmed_device(subject) is not None:
        actions.add(RESET_MFA)
    if user_is_locked_out(subject):
        actions.add(UNLOCK)
    return frozenset(actions)
