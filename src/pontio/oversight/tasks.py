"""Background work of oversight: the reminders of positions falling due (daily, idempotent)
and the dashboards' opening view built ahead of the request (every 10 minutes; D79)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from pontio.oversight.figures_warm import warm_dashboards, warm_facts
from pontio.oversight.services.reminders import remind_due


@task()
def remind_position_updates() -> int:
    return remind_due(timezone.localdate())


@task()
def warm_figures() -> int:
    today, now = timezone.localdate(), timezone.now()
    return warm_dashboards(today=today, now=now).tiles + warm_facts(today=today, now=now).tiles
