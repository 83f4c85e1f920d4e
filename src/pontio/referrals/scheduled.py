"""Scheduled work of referrals (cron, docs/operations.md): old drafts deleted, the daily
digest of work coming due. Apart from ``tasks`` (the emails the services queue), so that
the services may queue emails and these tasks may call the services without a cycle."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from pontio.audit.services import AuditContext
from pontio.referrals.services.drafts import delete_old_drafts as delete
from pontio.referrals.services.due import send_work_digests as send


@task()
def delete_old_drafts() -> int:
    """Delete referral drafts 30 days after their last change (a system deletion, audited)."""
    return delete(context=AuditContext.system("delete_old_drafts"))


@task()
def send_work_digests() -> int:
    """Queue today's link-only digests of work coming due (once per working day)."""
    return len(send(timezone.localdate()))
