"""Submissions: the public's (anonymous, with a one-time secret) and signed-in officers' and
partners'. Store first: each is saved whole, with its audit event, in one transaction."""

from __future__ import annotations

import datetime as dt
import hmac
import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.models import County
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.intelligence import protection
from pontio.intelligence.models import (
    Channel,
    IntelligenceReport,
    ReportEvent,
    ReportOriginal,
)
from pontio.intelligence.sanitising import neutralise
from pontio.intelligence.services.common import (
    MAX_AREA,
    MAX_TEXT,
    _snapshot,
    logger,
)


def _new_reference(year: int) -> str:
    rng = random.SystemRandom()
    while True:
        reference = f"INT-{year}-{rng.randint(0, 999999):06d}"
        if not IntelligenceReport.objects.filter(reference=reference).exists():
            return reference


def clean_submission(*, what: str, area: str) -> tuple[str, str, bool]:
    """The text and area as plain text, and whether markup was removed; size checked."""
    text, marked_up = neutralise(what or "")
    place, place_marked = neutralise(area or "")
    if not text:
        raise ValidationError({"what": _("Tell us what is happening.")}, code="required")
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"what": _("Your report must be %(max)s characters or fewer.") % {"max": MAX_TEXT}},
            code="too_long",
        )
    if len(place) > MAX_AREA:
        raise ValidationError(
            {"area": _("The place must be %(max)s characters or fewer.") % {"max": MAX_AREA}},
            code="too_long",
        )
    return text, place, marked_up or place_marked


def _create(
    *,
    context: AuditContext,
    channel: str,
    county: County,
    area: str,
    what: str,
    when_seen: str,
    how_known: str,
    submitted_by: User | None,
    at: dt.datetime | None,
) -> tuple[IntelligenceReport, str]:
    text, place, marked_up = clean_submission(what=what, area=area)
    if marked_up:
        logger.info("intelligence submission: markup neutralised (channel %s)", channel)
    received = at or timezone.now()
    secret = protection.new_secret() if channel == Channel.PUBLIC else ""
    for _attempt in range(5):
        reference = _new_reference(received.year)
        try:
            with transaction.atomic():
                report = IntelligenceReport.objects.create(
                    reference=reference,
                    channel=channel,
                    submitted_by=submitted_by,
                    organisation=submitted_by.organisation if submitted_by else None,
                    received_at=received,
                    county=county,
                    area=place,
                    when_seen=when_seen,
                    how_known=how_known,
                    secret_hash=protection.secret_hash(reference, secret) if secret else "",
                )
            break
        except IntegrityError:  # two submissions drew the same reference: draw again
            continue
    else:  # pragma: no cover - a million references, five draws
        raise RuntimeError("could not allocate an intelligence reference")
    ReportOriginal.objects.create(report=report, text=text)
    ReportEvent.objects.create(
        report=report, to_status=report.status, actor=submitted_by, at=received
    )
    audit_record(context=context, action=AuditAction.CREATE, obj=report, after=_snapshot(report))
    return report, secret


@transaction.atomic
def report_submit_public(
    *,
    context: AuditContext,
    county: County,
    area: str,
    what: str,
    when_seen: str,
    how_known: str,
    at: dt.datetime | None = None,
) -> tuple[IntelligenceReport, str]:
    """A report from the public: ``(report, secret)``. The secret is shown once, never kept
    (only its HMAC). The context must not carry the submitter's address."""
    context = AuditContext(request_id=context.request_id, view_name=context.view_name)
    return _create(
        context=context,
        channel=Channel.PUBLIC,
        county=county,
        area=area,
        what=what,
        when_seen=when_seen,
        how_known=how_known,
        submitted_by=None,
        at=at,
    )


@transaction.atomic
def report_submit(
    *,
    actor: User,
    context: AuditContext,
    county: County,
    area: str,
    what: str,
    when_seen: str,
    how_known: str,
    at: dt.datetime | None = None,
) -> IntelligenceReport:
    """A report from a signed-in officer or partner."""
    require_permission(actor, "intelligence.submit")
    channel = Channel.PARTNER if actor.organisation_kind != "force" else Channel.OFFICER
    report, _secret = _create(
        context=context,
        channel=channel,
        county=county,
        area=area,
        what=what,
        when_seen=when_seen,
        how_known=how_known,
        submitted_by=actor,
        at=at,
    )
    return report


def public_status(reference: str, secret: str) -> str | None:
    """The public status of a report, or ``None`` for a wrong reference or secret alike."""
    report = (
        IntelligenceReport.objects.filter(reference=(reference or "").strip().upper())
        .only("reference", "secret_hash", "status")
        .first()
    )
    expected = protection.secret_hash(report.reference if report else "INT-0", secret)
    if report is None or not report.secret_hash:
        return None
    if not hmac.compare_digest(report.secret_hash, expected):
        return None
    return report.status
