"""Links of an operation to the referrals made during it (from the suggested list only) and
to intelligence reports (from the report's assessment screen)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.permissions import require_permission
from pontio.core.scopes import restrict
from pontio.intelligence.models import IntelligenceReport
from pontio.operations import lifecycle, selectors
from pontio.operations.models import IntelligenceLink, Operation, OperationReferral
from pontio.operations.services.common import audit, lock, raise_if


@transaction.atomic
def referrals_link(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int,
    referral_ids: Iterable[int],
) -> list[OperationReferral]:
    """Link the chosen referrals; each must be one the operation's page suggests (made in its
    counties during enforcement or aftercare, countable by the actor, not yet linked)."""
    operation = lock(actor, operation_id)
    errors: dict[str, list[str]] = {}
    if not lifecycle.referrals_linkable(operation):
        errors.setdefault("__all__", []).append(
            _("Referrals are linked once enforcement has started")
        )
    wanted = {int(r) for r in referral_ids}
    if not wanted:
        errors.setdefault("referrals", []).append(_("Select at least one referral to link"))
    raise_if(errors)
    allowed = set(
        selectors.suggested_referrals(actor, operation)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if wanted - allowed:
        errors.setdefault("referrals", []).append(
            _(
                "Link only referrals made in the operation's counties during enforcement "
                "or aftercare that are not linked yet"
            )
        )
    raise_if(errors)
    now = timezone.now()
    links = []
    for referral_id in sorted(allowed):
        link = OperationReferral.objects.create(
            operation=operation, referral_id=referral_id, linked_by=actor, linked_at=now
        )
        audit(context, link, reason="referral linked to operation")
        links.append(link)
    return links


@transaction.atomic
def intelligence_link(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int | None,
    report_id: int,
) -> IntelligenceLink:
    """Link an intelligence report the officer may read to an operation of their area."""
    require_permission(actor, "operations.link_intelligence")
    report = restrict(IntelligenceReport.objects.all(), actor, "view").filter(pk=report_id).first()
    if report is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    operation = (
        restrict(Operation.objects.all(), actor, "view").filter(pk=operation_id).first()
        if operation_id
        else None
    )
    if operation is None:
        errors.setdefault("operation", []).append(_("Select an operation"))
    elif IntelligenceLink.objects.filter(operation=operation, report=report).exists():
        errors.setdefault("operation", []).append(
            _("The report is already linked to that operation")
        )
    raise_if(errors)
    assert operation is not None  # noqa: S101 - an error otherwise
    link = IntelligenceLink.objects.create(
        operation=operation, report=report, linked_by=actor, linked_at=timezone.now()
    )
    audit(context, link, reason="intelligence report linked to operation")
    return link
