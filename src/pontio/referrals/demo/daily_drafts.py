"""Demo referral drafts: one half-written referral of the demo officer ("officer") for a
person they may see, so "My drafts" and its home-page link have something to show.

Idempotent: when the officer already has a draft nothing is made."""

from __future__ import annotations

import datetime

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.scopes import restrict
from pontio.people.models import Person
from pontio.referrals.models import OPEN, Referral, ReferralDraft
from pontio.referrals.services.drafts import draft_save

OFFICER = "officer"


def _person_for(officer: User) -> Person | None:
    """A person the officer may see, best one they referred before whose referral is
    finished (so the draft is a new referral, not a duplicate)."""
    people = restrict(Person.objects.filter(is_active=True), officer, "view")
    open_people = Referral.objects.filter(status__in=OPEN).values("person_id")
    finished = (
        Referral.objects.filter(referred_by=officer)
        .exclude(person_id__in=open_people)
        .values("person_id")
    )
    return (
        people.filter(pk__in=finished).order_by("pk").first()
        or people.exclude(pk__in=open_people).order_by("pk").first()
        or people.order_by("pk").first()
    )


def seed(context: AuditContext, now: datetime.datetime) -> int:
    officer = User.objects.filter(username=OFFICER, is_active=True).first()
    if officer is None or ReferralDraft.objects.filter(owner=officer).exists():
        return 0
    person = _person_for(officer)
    if person is None:
        return 0
    draft_save(
        context=context,
        actor=officer,
        person_id=person.pk,
        data={
            "pathway": "voluntary",
            "reason": "Asked for help with alcohol and cannabis use after a welfare check. "
            "Would like a call back after work.",
            "consent_given": "yes",
            "preferred_language": person.preferred_language,
            "contact_channels": ["phone"],
            "contact_times": "Weekdays after 5pm",
        },
        check=False,
    )
    return 1
