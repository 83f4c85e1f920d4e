"""Background work of person matching: re-estimating the model and de-duplicating.

Scheduled weekly from cron through the management commands (docs/operations.md), or started
by an administrator from the matching page, which queues ``deduplicate`` for the worker.
"""

from __future__ import annotations

from django_tasks import task

from pontio.audit.services import AuditContext
from pontio.people.services import linkage


@task()
def deduplicate(run_id: int) -> int:
    """Do the work of an opened run; returns the number of clusters found."""
    return linkage.run_deduplication(run_id).clusters


@task()
def reestimate_match_model() -> int:
    """Estimate a model from the people table and make it current; returns its version."""
    return linkage.estimate_model(
        context=AuditContext.system("reestimate_match_model"), actor=None
    ).pk
