"""Background verification of the audit chain."""

from __future__ import annotations

from django_tasks import task

from pontio.audit.chain import ChainReport, verify_chain
from pontio.audit.models import LogEvent
from pontio.audit.services import AuditContext, audit_record


def verification_summary(report: ChainReport) -> str:
    """A plain record of the outcome, kept as the reason of the VERIFY event (in English, as
    every reason in the log; ``selectors.verification_outcome`` reads it back for pages)."""
    if report.intact:
        return f"intact: {report.checked} events checked"
    return f"broken at sequence {report.broken_at} ({report.problem}); {report.checked} checked"


@task()
def verify_audit_log(requested_by: int | None = None) -> str:
    report = verify_chain()
    summary = verification_summary(report)
    audit_record(
        context=AuditContext(actor_id=requested_by, view_name="task:verify_audit_log"),
        action=LogEvent.VERIFY,
        object_type="audit.auditevent",
        reason=summary,
    )
    return summary
