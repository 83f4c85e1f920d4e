"""Producing a Panel report: built, rendered, printed and stored once, with what went in.

The stored PDF is what was produced: a later download returns the same bytes (its SHA-256 is
kept beside it), whatever has changed in the tracker since. A new report is a new row.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.oversight import report
from pontio.oversight.models import PanelReport, ReportLanguage, Review


def check_report_date(review: Review, as_of: dt.date, today: dt.date) -> None:
    if as_of < review.published_on:
        raise ValidationError(
            {
                "as_of": [
                    _("The review was published on %(date)s: choose a date on or after it")
                    % {"date": formats.date_format(review.published_on, "j F Y")}
                ]
            },
            code="report_before_review",
        )
    if as_of > today:
        raise ValidationError(
            {"as_of": [_("The date must be today or in the past")]}, code="report_in_future"
        )


@transaction.atomic
def report_produce(
    *,
    context: AuditContext,
    actor: User,
    review_id: int,
    as_of: dt.date,
    language: str,
    today: dt.date | None = None,
) -> PanelReport:
    review = restrict(Review.objects.all(), actor, "view").filter(pk=review_id).first()
    if review is None or not has_permission(actor, "oversight.produce_report"):
        raise PermissionDenied
    if language not in ReportLanguage.values:
        raise ValidationError({"language": [_("Select the language of the report")]})
    check_report_date(review, as_of, today or timezone.localdate())
    data = report.build(actor, review, as_of)
    produced_at = timezone.now()
    html = report.render_document(data, language, produced_at)
    pdf = report.to_pdf(html)
    created = PanelReport.objects.create(
        review=review,
        as_of=as_of,
        language=language,
        inputs={**data.inputs(), "untranslated": data.untranslated() if language != "en" else []},
        html=html,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        produced_by=actor,
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=created,
        after={
            "review": review.pk,
            "as_of": as_of.isoformat(),
            "language": language,
            "sha256": created.sha256,
        },
    )
    return created
