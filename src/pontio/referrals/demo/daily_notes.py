"""Demo case notes, both ways, on open referrals the demo officer sent to the demo
caseworker's provider: general notes from each side, a change of circumstances (back in
custody), one open concern raised by the caseworker (on the officer's home page until
acknowledged) and one concern the officer has acknowledged. Idempotent: each note is made
once, recognised by its words."""

from __future__ import annotations

import datetime as dt

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.scopes import restrict
from pontio.referrals.models import OPEN, CaseNote, Referral
from pontio.referrals.services import notes as service

G, C, X = CaseNote.Category.GENERAL, CaseNote.Category.CHANGE, CaseNote.Category.CONCERN
# (author, category, text, notify the other side, acknowledged by the officer)
NOTES: tuple[tuple[str, str, str, bool, bool], ...] = (
    (
        "officer",
        G,
        "The person asked at the station whether the service offers evening appointments.",
        True,
        False,
    ),
    (
        "caseworker",
        G,
        "Left a voicemail; will try again tomorrow morning as the person asked.",
        False,
        False,
    ),
    (
        "officer",
        C,
        "Back in custody since this morning at Llanelli; expected to be released on bail tomorrow.",
        True,
        False,
    ),
    (
        "caseworker",
        X,
        "The person said at the appointment that they feel threatened by a "
        "neighbour. Please check for any police markers on the address.",
        False,
        False,
    ),
    (
        "caseworker",
        X,
        "The person mentioned a child staying at the address at weekends. "
        "Please confirm whether the police already know.",
        False,
        True,
    ),
)


def seed(context: AuditContext, now: dt.datetime) -> int:
    users = {u.username: u for u in User.objects.filter(username__in=["officer", "caseworker"])}
    officer, caseworker = users.get("officer"), users.get("caseworker")
    if officer is None or caseworker is None:
        return 0
    referrals = list(
        restrict(Referral.objects.all(), caseworker, "change")
        .filter(referred_by=officer, status__in=OPEN)
        .order_by("-sent_at", "-pk")[:5]
    )
    if not referrals:
        return 0
    made = 0
    for index, (author, category, text, notify, acknowledged) in enumerate(NOTES):
        if CaseNote.objects.filter(referral__referred_by=officer, text=text).exists():
            continue
        referral = referrals[index % len(referrals)]
        note = service.note_add(
            context=context,
            actor=users[author],
            referral_id=referral.pk,
            category=category,
            text=text,
            notify_other_side=notify,
        )
        made += 1
        if acknowledged:
            service.concern_acknowledge(
                context=context, actor=officer, note_id=note.pk, expected_version=note.version
            )
    return made
