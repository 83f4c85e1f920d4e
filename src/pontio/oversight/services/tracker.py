"""Writes of the recommendations tracker: positions, the report's texts, reminders.

A position is a dated statement of where a recommendation stands, as the owner reported it
to a board. Positions are only ever added: the RAG history is their sequence, and a
correction is a new position with the same date. The recommendation keeps its current
status and the date of its last position, so lists and reminders need no second query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.dates import long_date
from pontio.core.models import snapshot_fields
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.oversight.models import (
    REPORT_SECTIONS,
    Board,
    EvidenceLink,
    PositionUpdate,
    Rag,
    Recommendation,
    Review,
)


@dataclass(frozen=True)
class PositionData:
    as_of: dt.date
    rag: str
    text_en: str
    text_cy: str = ""
    reported_to: Board | None = None
    evidence: Sequence[tuple[str, str]] = field(default_factory=tuple)


def check_position(recommendation: Recommendation, data: PositionData, today: dt.date) -> None:
    """The rules a new position must meet (each error on its field)."""
    errors: dict[str, list[str]] = {}
    if data.as_of > today:
        errors.setdefault("as_of", []).append(
            _("The date of the position must be today or in the past")
        )
    published = recommendation.review.published_on
    if data.as_of < published:
        errors.setdefault("as_of", []).append(
            _("The review was published on %(date)s: a position cannot be dated before it")
            % {"date": long_date(published)}
        )
    last = recommendation.last_position_on
    if last and data.as_of < last:
        errors.setdefault("as_of", []).append(
            _(
                "The last position is dated %(date)s: a new position must be dated on or "
                "after it (to correct it, record a new position with the same date)"
            )
            % {"date": long_date(last)}
        )
    if data.rag not in Rag.values:
        errors.setdefault("rag", []).append(_("Select the status"))
    if not data.text_en.strip():
        errors.setdefault("text_en", []).append(_("Enter the position in English"))
    if errors:
        raise ValidationError(errors, code="invalid_position")


@transaction.atomic
def position_record(
    *,
    context: AuditContext,
    actor: User,
    recommendation_id: int,
    expected_version: int | None,
    data: PositionData,
    today: dt.date | None = None,
) -> PositionUpdate:
    """Add a position to a recommendation the actor may report on, and make its status
    the recommendation's current one."""
    today = today or timezone.localdate()
    recommendation = (
        restrict(Recommendation.objects.select_related("review"), actor, "change")
        .select_for_update(of=("self",))
        .filter(pk=recommendation_id)
        .first()
    )
    if recommendation is None:
        raise PermissionDenied
    check_version(recommendation, expected_version)
    check_position(recommendation, data, today)
    before = snapshot_fields(recommendation, exclude={"created_at", "updated_at"})
    position = PositionUpdate.objects.create(
        recommendation=recommendation,
        as_of=data.as_of,
        rag=data.rag,
        text_en=data.text_en.strip(),
        text_cy=data.text_cy.strip(),
        reported_to=data.reported_to,
        entered_by=actor,
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(position=position, label=label.strip(), url=url.strip())
        for label, url in data.evidence
        if url.strip()
    )
    recommendation.rag = data.rag
    recommendation.last_position_on = data.as_of
    recommendation.reminded_for = None
    recommendation.save()
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=position,
        after=snapshot_fields(position, exclude={"entered_at"}),
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=recommendation,
        before=before,
        after=snapshot_fields(recommendation, exclude={"created_at", "updated_at"}),
    )
    return position


SECTION_FIELDS = tuple(
    f"{name}_{language}" for name, _label in REPORT_SECTIONS for language in ("en", "cy")
)


@transaction.atomic
def review_sections_update(
    *,
    context: AuditContext,
    actor: User,
    review_id: int,
    expected_version: int | None,
    texts: dict[str, str],
) -> Review:
    """Save the report's editable sections (purpose, summary, outcome, situation)."""
    review = (
        restrict(Review.objects.all(), actor, "change")
        .select_for_update(of=("self",))
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise PermissionDenied
    check_version(review, expected_version)
    before = snapshot_fields(review, exclude={"created_at", "updated_at"})
    for name in SECTION_FIELDS:
        if name in texts:
            setattr(review, name, texts[name].strip())
    review.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=review,
        before=before,
        after=snapshot_fields(review, exclude={"created_at", "updated_at"}),
    )
    return review
