"""Bilingual PDFs of the custody documents, rendered with WeasyPrint (decision D46).

Every document is Welsh first, then English (the Welsh Language Standards: Welsh is not
treated less favourably). The same template part is rendered twice, inside
``{% language "cy" %}`` and ``{% language "en" %}``: every sentence is one msgid of the
project's catalogue, and dates follow each language's names for days and months.

Nothing is fetched while rendering: the stylesheet is passed in as a string, and a URL
fetcher that refuses every URL stops the render if a template ever names one, so a notice
can never call out to the network or read a file it was not given.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pontio.core.pdf import Bilingual, Both, DocumentError, html_to_pdf, stylesheet, w3c

from .data import (
    DrugTestData,
    Failure,
    NoticeData,
    NoticeKind,
    Stage,
    StatementData,
    TestCondition,
    TestResult,
)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

TITLES: dict[NoticeKind, Promise] = {
    NoticeKind.RA1: _("Requirement to attend an initial assessment"),
    NoticeKind.RA2: _("Change to the time or place of your assessment"),
    NoticeKind.RA3: _("Record of attendance at a required assessment"),
    NoticeKind.RA4: _("Requirement to attend a follow-up assessment"),
    NoticeKind.RA5: _("A follow-up assessment is not required"),
}
STATEMENT_TITLE = _("Witness statement")
TEST_RECORD_TITLE = _("Record of a drug test in police detention")

RESULT_LABELS: dict[str, Promise] = {
    TestResult.OPIATES: _("opiates (such as heroin)"),
    TestResult.COCAINE: _("cocaine (including crack)"),
    TestResult.BOTH: _("opiates and cocaine"),
    TestResult.NEGATIVE: _("negative: no specified Class A drug found"),
}
STAGE_LABELS: dict[str, Promise] = {
    Stage.INITIAL: _("initial assessment"),
    Stage.FOLLOW_UP: _("follow-up assessment"),
}
CONDITION_LABELS: dict[str, Promise] = {
    TestCondition.ARREST: _("Arrest condition: arrested and not yet charged"),
    TestCondition.CHARGE: _("Charge condition: charged with an offence"),
}

# Appointments are needed by the notices that give one; RA3 and RA5 name the assessment
# that took place, when known.
_NEEDS_APPOINTMENT = {NoticeKind.RA1, NoticeKind.RA2, NoticeKind.RA4}


class NoticeError(DocumentError):
    """The data cannot make this document (a missing appointment, an unknown kind)."""


@functools.cache
def _engine() -> Engine:
    # A private engine: the notices render the same whether or not the custody app (and so
    # APP_DIRS) is installed, and no project context processor or tag library is involved.
    return Engine(
        dirs=[str(TEMPLATE_DIR)],
        libraries={"i18n": "django.templatetags.i18n"},
        autoescape=True,
    )


def _w3c(moment: dt.datetime) -> str:
    if timezone.is_naive(moment):
        raise NoticeError("Datetimes for custody documents must be aware")
    return w3c(moment)


def _pdf(part: str, context: dict[str, Any], *, created: dt.datetime, title: Both) -> bytes:
    """Render ``part`` in Welsh then English inside the shared document, as PDF bytes."""
    html = (
        _engine()
        .get_template("custody/notices/document.html")
        .render(Context({**context, "part": part, "title": title, "created": _w3c(created)}))
    )
    return html_to_pdf(html, stylesheet())


def _label(labels: dict[str, Promise], value: str) -> Promise | str:
    return labels.get(value, value)


def render_notice(kind: NoticeKind | str, data: NoticeData) -> bytes:
    """The bilingual PDF of one required-assessment notice (RA1-RA5)."""
    try:
        kind = NoticeKind(kind)
    except ValueError:
        raise NoticeError(f"Unknown notice kind {kind!r}") from None
    if kind in _NEEDS_APPOINTMENT and data.appointment is None:
        raise NoticeError(f"An {kind} notice needs an appointment")
    if kind is NoticeKind.RA2 and data.previous_appointment is None:
        raise NoticeError("An RA2 notice needs the appointment it replaces")
    stage = Stage.parse(data.stage)
    if kind is NoticeKind.RA1:
        stage = Stage.INITIAL  # s9 always imposes the initial assessment
    elif kind in {NoticeKind.RA4, NoticeKind.RA5}:
        stage = Stage.FOLLOW_UP
    context = {
        "kind": kind.value,
        "data": data,
        "stage": stage.value,
        "stage_label": STAGE_LABELS[stage],
        "suite": Bilingual(data.suite_name_en, data.suite_name_cy),
        "result_label": _label(RESULT_LABELS, str(data.test_result)),
        "appointment": _appointment(data.appointment),
        "previous": _appointment(data.previous_appointment),
    }
    return _pdf(
        f"custody/notices/{kind.value.lower()}.html",
        context,
        created=data.issued_at,
        title=Both(TITLES[kind]),
    )


def _appointment(appointment: Any) -> dict[str, Any] | None:
    if appointment is None:
        return None
    return {
        "start": appointment.start,
        "place_lines": appointment.place_lines,
        "provider": Bilingual(appointment.provider_name_en, appointment.provider_name_cy),
        "phone": appointment.phone,
    }


def render_statement(data: StatementData) -> bytes:
    """The evidential statement for a failure to attend or to remain (ss12, 14), prefilled.

    Headings in Welsh and English; the facts in the language the witness makes it in.
    """
    language = "cy" if data.language.startswith("cy") else "en"
    stage = Stage.parse(data.stage)
    context = {
        "data": data,
        "language": language,
        "stage": stage.value,
        # "fails to remain" is how ss12 and 14 put it; Pontio records it as left_early
        "failed_to_remain": str(data.failure) in {Failure.LEFT_EARLY, "failed_to_remain"},
        "suite": Bilingual(data.suite_name_en, data.suite_name_cy),
        "appointment": _appointment(data.appointment),
        "notice_kind": str(data.notice_kind),
        "h": _STATEMENT_HEADINGS,
    }
    return _pdf(
        "custody/notices/statement.html",
        context,
        created=data.prepared_at,
        title=Both(STATEMENT_TITLE),
    )


_STATEMENT_HEADINGS = {
    "statement_of": Both(_("Statement of")),
    "occupation": Both(_("Occupation")),
    "reference": Both(_("Custody number")),
    "declaration": Both(_("Declaration")),
    "facts": Both(_("The facts")),
    "further": Both(_("Further details")),
    "signature": Both(_("Signature")),
    "date": Both(_("Date")),
    "taken_by": Both(_("Statement taken by (name and collar number)")),
    "officer_signature": Both(_("Signature of the officer taking the statement")),
}


def render_test_record(data: DrugTestData) -> bytes:
    """The bilingual record of a drug test in police detention (DT1-like; PACE s63B-63C)."""
    context = {
        "kind": "DT1",
        "data": data,
        "suite": Bilingual(data.suite_name_en, data.suite_name_cy),
        "condition_label": _label(CONDITION_LABELS, str(data.condition)),
        "result_label": _label(RESULT_LABELS, str(data.result)) if data.result else "",
        "positive": str(data.result) in {TestResult.OPIATES, TestResult.COCAINE, TestResult.BOTH},
    }
    return _pdf(
        "custody/notices/test_record.html",
        context,
        created=data.recorded_at,
        title=Both(TEST_RECORD_TITLE),
    )
