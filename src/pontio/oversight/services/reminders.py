"""Reminders to owners when a position is due (the scheduled task's work).

Each recommendation's next update is due ``update_every_days`` after its last position. From
``REMINDER_DAYS`` before that date the owners (the staff of the owner organisation who may
record positions) get one link-only email, once per due date: ``reminded_for`` keeps the
date they were reminded of, and a new position clears it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.oversight.models import Rag, Recommendation
from pontio.oversight.selectors import REMINDER_DAYS
from pontio.referrals.services.notify import page_link, queue_link_emails

TEMPLATE = "recommendation_update_due"
REPORTERS = (Role.OPCC_ANALYST, Role.INSPECTOR)


def owners(recommendation: Recommendation) -> list[User]:
    return list(
        User.objects.filter(
            organisation_id=recommendation.owner_organisation_id,
            is_active=True,
            role_grants__role__in=REPORTERS,
        ).distinct()
    )


@transaction.atomic
def remind_due(today: dt.date) -> int:
    """Queue the reminders that are due today; the number of recommendations reminded."""
    horizon = today + dt.timedelta(days=REMINDER_DAYS)
    reminded = 0
    candidates = (
        Recommendation.objects.select_related("review")
        .exclude(rag=Rag.COMPLETE)
        .select_for_update(of=("self",))
    )
    for recommendation in candidates:
        due = recommendation.next_update_due()
        if due is None or due > horizon or recommendation.reminded_for == due:
            continue
        link = page_link(reverse("oversight:recommendation", args=[recommendation.pk]))
        queue_link_emails(owners(recommendation), TEMPLATE, link)
        recommendation.reminded_for = due
        recommendation.save(update_fields=["reminded_for"])
        reminded += 1
    return reminded
