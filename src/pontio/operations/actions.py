"""What a user may do now on an operation: the pages ask, the services enforce the same."""

from __future__ import annotations

from pontio.accounts.models import User
from pontio.core.permissions import has_permission
from pontio.operations import lifecycle
from pontio.operations.models import Operation


def actions_for(operation: Operation, user: User) -> set[str]:
    """Names: edit, move, engage, forecast, results, link."""
    if not has_permission(user, "operations.manage"):
        return set()
    actions = {"edit"}
    if lifecycle.next_phase(operation.phase) is not None:
        actions.add("move")
    if operation.phase in lifecycle.ENGAGEMENT_PHASES:
        actions.add("engage")
    if lifecycle.forecast_editable(operation):
        actions.add("forecast")
    if lifecycle.results_recordable(operation):
        actions.add("results")
    if lifecycle.referrals_linkable(operation):
        actions.add("link")
    return actions
