"""From custody records to the printed documents (``custody.notices``), and back to the rows.

The notices package renders plain values and reads no model; this module builds those
values from a required assessment (``notice_data``) or a breach task
(``statement_data``) and stores the PDF with the record (``Notice``), so the very notice
given can be printed again.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from pontio.accounts.models import User
from pontio.custody import notices
from pontio.custody.models import (
    AssessmentEvent,
    BreachTask,
    Notice,
    NoticeKind,
    RequiredAssessment,
)
from pontio.custody.notices import snapshot

LANGUAGES = "cy+en"

# Drawing a PDF takes about half a second; the demo seed gives hundreds of notices, so it
# keeps their values and lets each be drawn when first downloaded (``notice_pdf``).
_DEFER = contextvars.ContextVar("custody_defer_rendering", default=False)


@contextlib.contextmanager
def deferred_rendering() -> Iterator[None]:
    token = _DEFER.set(True)
    try:
        yield
    finally:
        _DEFER.reset(token)


def _draw(kind: str, data: notices.NoticeData | notices.StatementData) -> bytes:
    if isinstance(data, notices.StatementData):
        return notices.render_statement(data)
    return notices.render_notice(kind, data)


def notice_pdf(notice: Notice) -> bytes:
    """The notice's PDF: as stored, or drawn again from the values it was given with
    (nothing is written: a download is a read)."""
    if notice.pdf:
        return bytes(notice.pdf)
    return _draw(notice.kind, snapshot.load(notice.content))


def officer_of(user: User | None) -> notices.Officer:
    if user is None:
        return notices.Officer(name="", collar_number="")
    return notices.Officer(
        name=user.get_full_name() or user.username, collar_number=user.staff_number
    )


def _address_lines(assessment: RequiredAssessment) -> tuple[str, ...]:
    referral = assessment.referral
    if referral is not None and referral.address_line_1:
        parts = (
            referral.address_line_1,
            referral.address_line_2,
            referral.address_town,
            referral.address_postcode,
        )
        return tuple(p for p in parts if p)
    address = (
        assessment.record.person.addresses.filter(valid_to__isnull=True)
        .order_by("-valid_from", "-pk")
        .first()
    )
    if address is None:
        return ()
    parts = (address.line_1, address.line_2, address.town, address.postcode)
    return tuple(p for p in parts if p)


def appointment_of(
    assessment: RequiredAssessment, at: dt.datetime | None = None, place: str | None = None
) -> notices.Appointment:
    referral = assessment.referral
    provider_en = provider_cy = ""
    if referral is not None:
        provider_en = referral.service.name
        provider_cy = referral.service.name_cy or provider_en
    place_text = assessment.appointment_place if place is None else place
    return notices.Appointment(
        start=at or assessment.appointment_at,
        place_lines=tuple(line.strip() for line in place_text.split(",") if line.strip()),
        provider_name_en=provider_en,
        provider_name_cy=provider_cy,
    )


def notice_data(
    assessment: RequiredAssessment,
    *,
    actor: User | None,
    issued_at: dt.datetime,
    stage: str,
    reason: str = "",
    previous: notices.Appointment | None = None,
) -> notices.NoticeData:
    record = assessment.record
    person = record.person
    test = assessment.test
    from_provider = actor is not None and actor.organisation_id != record.created_by.organisation_id
    return notices.NoticeData(
        reference=record.custody_number,
        person_name=str(person),
        date_of_birth=person.date_of_birth,
        address_lines=_address_lines(assessment),
        suite_name_en=record.suite.label_en,
        suite_name_cy=record.suite.label_cy,
        officer=officer_of(assessment.imposed_by if from_provider else actor),
        issued_at=issued_at,
        stage=notices.Stage.parse(stage),
        appointment=appointment_of(assessment),
        previous_appointment=previous,
        reason=reason,
        test_result=test.effective_result,
        sample_taken_at=test.sample_taken_at,
        assessor_name=(actor.get_full_name() if from_provider and actor is not None else ""),
    )


def store_notice(
    assessment: RequiredAssessment,
    event: AssessmentEvent,
    *,
    actor: User | None,
    stage: str,
    reason: str = "",
    previous: notices.Appointment | None = None,
) -> Notice | None:
    """Render and keep the notice the event's state gives (None if it gives none)."""
    kind = event.notice_kind
    if not kind:
        return None
    issued_at = event.at.replace(microsecond=0)
    data = notice_data(
        assessment, actor=actor, issued_at=issued_at, stage=stage, reason=reason, previous=previous
    )
    return Notice.objects.create(
        assessment=assessment,
        event=event,
        kind=kind,
        languages=LANGUAGES,
        content=snapshot.dump(data),
        pdf=b"" if _DEFER.get() else _draw(kind, data),
        created_by=actor if actor is not None and actor.pk else None,
    )


def statement_data(
    task: BreachTask, *, reported_by: User | None, prepared_at: dt.datetime
) -> notices.StatementData:
    assessment = task.assessment
    record = assessment.record
    person = record.person
    notice = (
        assessment.notices.filter(kind__in=(NoticeKind.RA1, NoticeKind.RA2, NoticeKind.RA4))
        .order_by("-created_at", "-pk")
        .first()
    )
    reporter = reported_by.get_full_name() if reported_by is not None else ""
    return notices.StatementData(
        reference=record.custody_number,
        person_name=str(person),
        date_of_birth=person.date_of_birth,
        address_lines=_address_lines(assessment),
        witness_name=reporter,
        witness_occupation="",
        requirement_imposed_at=assessment.imposed_at,
        imposing_officer=officer_of(assessment.imposed_by),
        stage=notices.Stage.parse(task.stage),
        appointment=appointment_of(assessment, task.appointment_at),
        failure=task.failure,
        failure_reported_at=prepared_at,
        reported_by=reporter,
        prepared_at=prepared_at,
        suite_name_en=record.suite.label_en,
        suite_name_cy=record.suite.label_cy,
        notice_kind=notice.kind if notice is not None else NoticeKind.RA1,
    )


def store_statement(task: BreachTask, *, reported_by: User | None) -> Notice:
    """The evidential statement, prefilled, kept with the assessment and linked to the task."""
    prepared_at = timezone.now().replace(microsecond=0)
    data = statement_data(task, reported_by=reported_by, prepared_at=prepared_at)
    return Notice.objects.create(
        assessment=task.assessment,
        kind=NoticeKind.STATEMENT,
        languages=LANGUAGES,
        content=snapshot.dump(data),
        pdf=b"" if _DEFER.get() else _draw(NoticeKind.STATEMENT, data),
        created_by=reported_by if reported_by is not None and reported_by.pk else None,
    )
