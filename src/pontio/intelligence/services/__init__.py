"""Writes of drug intelligence: submission, assessment, actions, sharing, "you said, we did".

Every write is keyword-only, in one transaction with its audit event. Assessment writes lock
the report through ``restrict(..., "change")`` (intelligence officers of its area), check
the version the page was shown with, and record a ``ReportEvent`` when the public status
moves (received -> assessed -> actioned: ``STATUS_MOVES``).

Store first, assess later: a submission is saved whole (report, original text) in one
transaction before anything else looks at it, and nothing in the assessment ever deletes it.
"""

from __future__ import annotations

from pontio.intelligence.services.assessment import (
    action_record,
    report_grade,
    report_link_person,
    report_link_report,
    report_prioritise,
    report_sanitise,
)
from pontio.intelligence.services.common import MAX_AREA, MAX_TEXT, STATUS_MOVES
from pontio.intelligence.services.sharing import share_create, share_decide
from pontio.intelligence.services.submissions import (
    clean_submission,
    public_status,
    report_submit,
    report_submit_public,
)
from pontio.intelligence.services.summaries import (
    check_summary_text,
    summary_approve,
    summary_draft,
)

__all__ = [
    "MAX_AREA",
    "MAX_TEXT",
    "STATUS_MOVES",
    "action_record",
    "check_summary_text",
    "clean_submission",
    "public_status",
    "report_grade",
    "report_link_person",
    "report_link_report",
    "report_prioritise",
    "report_sanitise",
    "report_submit",
    "report_submit_public",
    "share_create",
    "share_decide",
    "summary_approve",
    "summary_draft",
]
