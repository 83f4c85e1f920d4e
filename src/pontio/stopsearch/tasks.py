"""Background work of the stop and search audit: the monthly sample and escalation.

Both are idempotent, so the worker (or cron through the management commands) can run them
every day: the sample of a month is drawn once, and a review is escalated once.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from pontio.audit.services import AuditContext
from pontio.stopsearch import sampling, services


@task()
def draw_monthly_samples() -> int:
    """From the 1st of a month on, draw last month's sample of every county (once)."""
    month = sampling.previous_month(timezone.localdate())
    results = sampling.draw_month(month, context=AuditContext.system("draw_monthly_samples"))
    return sum(1 for _sample, created in results if created)


@task()
def escalate_overdue_reviews() -> int:
    return services.escalate_overdue(
        timezone.localdate(), context=AuditContext.system("escalate_overdue_reviews")
    )
