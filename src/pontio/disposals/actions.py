"""What a user may do now on a disposal: the pages ask, the services enforce the same."""

from __future__ import annotations

from pontio.accounts.models import User
from pontio.core.permissions import has_permission
from pontio.disposals import lifecycle
from pontio.disposals.models import ComplianceStatus, Disposal
from pontio.disposals.models import DisposalState as S


def actions_for(disposal: Disposal, user: User) -> set[str]:
    """Names: add_condition, authorise, sign, complete, breach, record_compliance."""
    actions: set[str] = set()
    state = disposal.state
    if has_permission(user, "disposals.decide") and state in (
        S.AWAITING_AUTHORISATION,
        S.AUTHORISED,
    ):
        actions.add("add_condition")
    if (
        state == S.AWAITING_AUTHORISATION
        and has_permission(user, "disposals.authorise")
        and disposal.disposal_type is not None
        and set(disposal.disposal_type.authoriser_roles) & user.role_set
    ):
        actions.add("authorise")
    if state == S.AUTHORISED and has_permission(user, "disposals.decide"):
        actions.add("sign")
    if state == S.ACTIVE:
        if has_permission(user, "disposals.record_compliance"):
            actions.add("record_compliance")
        statuses = [c.status for c in disposal.conditions.all()]
        if (
            has_permission(user, "disposals.decide")
            and statuses
            and all(s in (ComplianceStatus.COMPLIED, ComplianceStatus.EXCUSED) for s in statuses)
        ):
            actions.add("complete")
        if has_permission(user, "disposals.breach") and ComplianceStatus.NOT_COMPLIED in statuses:
            actions.add("breach")
    return {a for a in actions if a != "complete" or lifecycle.can_move(state, S.COMPLETED)}
