"""Scope policies of drug intelligence (see ``core.scopes.restrict``).

- ``IntelligenceReport`` and its parts (actions, events, person links): intelligence
  officers, those of their counties (force-wide officers every one), for ``view``,
  ``change`` and ``create``; nobody else opens a report;
- ``ReportOriginal`` (the text as submitted): intelligence officers only, same area;
- ``ReportShare``: the intelligence officers of the report, and the recipient
  organisation's staff who may receive shares (they read the sanitised text through the
  share, never the report or the original);
- ``aggregate``: the OPCC analyst every report; intelligence officers their area's;
- ``audit``: auditors identify the records (they open nothing);
- ``CommunitySummary``: intelligence officers of the county. The approved lines are also
  read by the public page, which shows only approved, sanitised text (``selectors``).
"""

from __future__ import annotations

from django.db.models import Q

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.core.permissions import has_permission
from pontio.core.recording import register_subject
from pontio.core.scopes import scope_policy
from pontio.intelligence.models import (
    CommunitySummary,
    IntelligenceReport,
    ReportAction,
    ReportEvent,
    ReportOriginal,
    ReportPersonLink,
    ReportShare,
)
from pontio.intelligence.permissions import SHARE_RECIPIENTS

RECORD_ACTIONS = frozenset({"view", "change", "create"})


def _area(user: User, county_field: str) -> Q:
    return Q() if user.force_wide else Q(**{f"{county_field}__in": user.county_ids})


def _assessor(user: User, county_field: str) -> Q | None:
    return _area(user, county_field) if user.has_role(Role.INTELLIGENCE_OFFICER) else None


def _report_condition(user: User, action: str, prefix: str = "") -> Q | None:
    county = f"{prefix}county_id"
    if action in RECORD_ACTIONS:
        return _assessor(user, county)
    if action == "aggregate":
        if user.has_role(Role.OPCC_ANALYST):
            return Q()
        return _assessor(user, county)
    if action == "audit":
        return Q() if has_permission(user, "audit.view_log") else None
    return None


@scope_policy(IntelligenceReport)
def report_scope(user: User, action: str) -> Q | None:
    return _report_condition(user, action)


@scope_policy(ReportOriginal)
def original_scope(user: User, action: str) -> Q | None:
    if action not in RECORD_ACTIONS:
        return None
    return _assessor(user, "report__county_id")


def _part(user: User, action: str) -> Q | None:
    if action in RECORD_ACTIONS:
        return _assessor(user, "report__county_id")
    if action == "audit":
        return Q() if has_permission(user, "audit.view_log") else None
    return None


@scope_policy(ReportAction)
def action_scope(user: User, action: str) -> Q | None:
    return _part(user, action)


@scope_policy(ReportEvent)
def event_scope(user: User, action: str) -> Q | None:
    return _part(user, action)


@scope_policy(ReportPersonLink)
def person_link_scope(user: User, action: str) -> Q | None:
    return _part(user, action)


@scope_policy(ReportShare)
def share_scope(user: User, action: str) -> Q | None:
    assessor = _part(user, action)
    recipient = None
    if action in ("view", "change") and user.has_role(*SHARE_RECIPIENTS) and user.organisation_id:
        recipient = Q(recipient_id=user.organisation_id)
    if assessor is None:
        return recipient
    return assessor if recipient is None else assessor | recipient


@scope_policy(CommunitySummary)
def summary_scope(user: User, action: str) -> Q | None:
    if action in RECORD_ACTIONS:
        return _assessor(user, "county_id")
    return None


register_subject(ReportPersonLink, "person_id")
