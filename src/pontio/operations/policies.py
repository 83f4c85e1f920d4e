"""Scope policies of operations (see ``core.scopes.restrict``).

- ``Operation``: ``view``, ``change``, ``create`` for operations leads: the operations
  covering one of their counties (force-wide leads every one). Intelligence officers and
  digital media examiners ``view`` those of their area too, so they can choose one to link a
  record to; they hold no permission to open the operation's page, and the chooser shows
  only the reference and code name. ``aggregate``: the OPCC analyst every operation, leads
  their area's. ``audit``: auditors.
- The operation's parts (events, meetings, briefings, forecast, shares, results, seizures,
  evaluations, links) follow their operation for leads (``aggregate`` too, for the results).
- ``ForecastRow`` for provider staff (``view`` only): the rows of a forecast shared with
  their organisation, for a county their organisation serves and (unless force-wide) one of
  their own counties, while the operation is open. This is the whole of what a provider
  sees of an operation.
- ``Evaluation`` for partner staff: their organisation's (``view``, ``change`` to answer).
- ``IntelligenceLink``: leads through the operation; intelligence officers the links of the
  reports they may read to operations of their area (``view``, ``create``).
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import PROVIDER_ROLES, Role
from pontio.core.permissions import has_permission
from pontio.core.recording import register_subject
from pontio.core.scopes import restrict, scope_policy
from pontio.intelligence.models import IntelligenceReport
from pontio.operations.models import (
    Briefing,
    Evaluation,
    ForecastRow,
    ForecastShare,
    IntelligenceLink,
    Operation,
    OperationEvent,
    OperationReferral,
    PartnerMeeting,
    Phase,
    ResultEntry,
    Seizure,
)

RECORD_ACTIONS = frozenset({"view", "change", "create"})
CHOOSERS = frozenset({Role.INTELLIGENCE_OFFICER, Role.DIGITAL_MEDIA_EXAMINER})
PARTNER_ROLES = frozenset({*PROVIDER_ROLES, Role.OPCC_ANALYST})


def _area(user: User) -> Q:
    if user.force_wide:
        return Q()
    return Q(pk__in=Operation.objects.filter(counties__in=user.county_ids).values("pk"))


@scope_policy(Operation)
def operation_scope(user: User, action: str) -> Q | None:
    if action in RECORD_ACTIONS and user.has_role(Role.OPERATIONS_LEAD):
        return _area(user)
    if action == "view" and user.has_role(*CHOOSERS):
        return _area(user)
    if action == "aggregate":
        if user.has_role(Role.OPCC_ANALYST):
            return Q()
        if user.has_role(Role.OPERATIONS_LEAD):
            return _area(user)
        return None
    if action == "audit":
        return Q() if has_permission(user, "audit.view_log") else None
    return None


def _operations(user: User, action: str) -> Q | None:
    """The parts of the operations a lead may ``action`` (never a chooser's)."""
    if action not in RECORD_ACTIONS and action not in ("aggregate", "audit"):
        return None
    if action in RECORD_ACTIONS and not user.has_role(Role.OPERATIONS_LEAD):
        return None
    operations = restrict(Operation.objects.all(), user, action)
    if operations.query.is_empty():
        return None
    return Q(operation_id__in=operations.values("pk"))


for _part in (
    OperationEvent,
    PartnerMeeting,
    Briefing,
    ForecastShare,
    ResultEntry,
    Seizure,
    OperationReferral,
):
    scope_policy(_part)(_operations)


def _any(*conditions: Q | None) -> Q | None:
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    combined = present[0]
    for extra in present[1:]:
        combined |= extra
    return combined


def provider_forecast(user: User) -> Q | None:
    """The forecast rows shared with the user's organisation, for its counties."""
    if not user.has_role(*PROVIDER_ROLES) or not user.organisation_id:
        return None
    condition = Q(
        operation__shares__organisation_id=user.organisation_id,
        operation__forecast_shared_at__isnull=False,
        county__organisations__id=user.organisation_id,
    ) & ~Q(operation__phase=Phase.CLOSED)
    if not user.force_wide:
        condition &= Q(county_id__in=user.county_ids)
    return Q(pk__in=ForecastRow.objects.filter(condition).values("pk"))


@scope_policy(ForecastRow)
def forecast_scope(user: User, action: str) -> Q | None:
    provider = provider_forecast(user) if action == "view" else None
    return _any(_operations(user, action), provider)


@scope_policy(Evaluation)
def evaluation_scope(user: User, action: str) -> Q | None:
    partner = (
        Q(organisation_id=user.organisation_id)
        if action in ("view", "change") and user.has_role(*PARTNER_ROLES) and user.organisation_id
        else None
    )
    return _any(_operations(user, action), partner)


@scope_policy(IntelligenceLink)
def intelligence_link_scope(user: User, action: str) -> Q | None:
    """Leads see the links of their operations; intelligence officers those of the reports
    they may read, to operations of their area (and make them: ``create``)."""
    officer = None
    if action in ("view", "create") and user.has_role(Role.INTELLIGENCE_OFFICER):
        reports = restrict(IntelligenceReport.objects.all(), user, "view")
        operations = restrict(Operation.objects.all(), user, "view")
        if not reports.query.is_empty() and not operations.query.is_empty():
            officer = Q(
                report_id__in=reports.values("pk"), operation_id__in=operations.values("pk")
            )
    return _any(_operations(user, action), officer)


# Whose data each row is: a link names the person the referral is about.
register_subject(OperationReferral, "referral__person_id")
