"""The partner engagement plan: partnership meetings and briefings (append-only: a record
of who was told what and when is never edited; a correction is a further record)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import Organisation, User
from pontio.audit.services import AuditContext
from pontio.operations import lifecycle
from pontio.operations.models import (
    Briefing,
    BriefingLevel,
    MeetingLevel,
    Operation,
    PartnerMeeting,
)
from pontio.operations.services.common import SHORT_MAX, audit, lock, raise_if, text_errors


def _open_errors(operation: Operation, errors: dict[str, list[str]]) -> None:
    if operation.phase not in lifecycle.ENGAGEMENT_PHASES:
        errors.setdefault("__all__", []).append(
            _("The operation is closed: its engagement plan can no longer change")
        )


@transaction.atomic
def meeting_record(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int,
    held_on: dt.date | None,
    level: str,
    organisation_ids: Iterable[int],
    other_attendees: str,
    summary: str,
) -> PartnerMeeting:
    operation = lock(actor, operation_id)
    errors: dict[str, list[str]] = {}
    _open_errors(operation, errors)
    now = timezone.now()
    if held_on is None:
        errors.setdefault("held_on", []).append(_("Enter the date of the meeting"))
    elif held_on > timezone.localdate(now) + dt.timedelta(days=365):
        errors.setdefault("held_on", []).append(_("The meeting must be within the next year"))
    if level not in MeetingLevel.values:
        errors.setdefault("level", []).append(_("Choose strategic or tactical"))
    organisations = list(Organisation.objects.filter(pk__in=set(organisation_ids)))
    others = text_errors(
        errors, "other_attendees", other_attendees, required=None, limit=SHORT_MAX * 2
    )
    if not organisations and not others:
        errors.setdefault("organisations", []).append(
            _("Select the organisations that attended, or name them")
        )
    text = text_errors(errors, "summary", summary, required=_("Enter a summary of the meeting"))
    raise_if(errors)
    assert held_on is not None  # noqa: S101 - checked above
    meeting = PartnerMeeting.objects.create(
        operation=operation,
        held_on=held_on,
        level=level,
        other_attendees=others,
        summary=text,
        recorded_by=actor,
        recorded_at=now,
    )
    meeting.organisations.set(organisations)
    audit(context, meeting, reason="partnership meeting recorded")
    return meeting


@transaction.atomic
def briefing_record(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int,
    organisation_id: int | None,
    recipient: str,
    briefed_at: dt.datetime | None,
    level: str,
    shared: str,
) -> Briefing:
    """Record that a named person or post in a partner organisation was told something."""
    operation = lock(actor, operation_id)
    errors: dict[str, list[str]] = {}
    _open_errors(operation, errors)
    now = timezone.now()
    organisation = (
        Organisation.objects.filter(pk=organisation_id, is_active=True).first()
        if organisation_id
        else None
    )
    if organisation is None:
        errors.setdefault("organisation", []).append(_("Select the organisation briefed"))
    who = text_errors(
        errors,
        "recipient",
        recipient,
        required=_("Enter the name or post of the person briefed"),
        limit=SHORT_MAX,
    )
    if briefed_at is None:
        errors.setdefault("briefed_at", []).append(_("Enter when they were briefed"))
    elif briefed_at > now:
        errors.setdefault("briefed_at", []).append(_("The briefing must be today or in the past"))
    if level not in BriefingLevel.values:
        errors.setdefault("level", []).append(_("Choose the level of the briefing"))
    what = text_errors(errors, "shared", shared, required=_("Enter what was shared"))
    raise_if(errors)
    assert organisation is not None and briefed_at is not None  # noqa: S101 - checked above
    briefing = Briefing.objects.create(
        operation=operation,
        organisation=organisation,
        recipient=who,
        briefed_at=briefed_at,
        level=level,
        shared=what,
        recorded_by=actor,
        recorded_at=now,
    )
    audit(context, briefing, reason="partner briefing recorded")
    return briefing
