"""The reminders app's rows for tests/system/test_access_matrix.py, as plain dicts of the
``Route`` fields, and the function that builds their records in the matrix's world.

- ``reminders:outbox``: administrators only; the page shows the world's message (its Notify
  reference is the marker, so nobody else ever sees it);
- ``reminders:notify-callback``: GOV.UK Notify's delivery callback, public (no sign-in:
  Notify authenticates with its bearer token) and POST only, so a GET is 405 for everyone.

``build_world`` needs ``world.referral_pk`` (the matrix's referral).
"""

from __future__ import annotations

from typing import Any

from pontio.accounts.roles import Role

ADMINS = frozenset({Role.ADMINISTRATOR})
PUBLIC = "public"


def message_ref(world: Any) -> tuple[str, ...]:
    return (f"pontio-msg-{world.reminders_message_pk}",)


ROUTES: dict[str, dict[str, Any]] = {
    "reminders:outbox": {"roles": ADMINS, "marker": message_ref},
    # Notify authenticates itself with its bearer token: an empty POST is refused (401).
    "reminders:notify-callback": {
        "roles": PUBLIC,
        "status": 405,
        "post_only": True,
        "post_status": 401,
    },
}


def build_world(world: Any, users: dict[str, Any]) -> None:
    """A message recorded locally for the world's referral (made directly: the matrix only
    needs a row for the outbox to show)."""
    from django.utils import timezone

    from pontio.referrals.models import Referral
    from pontio.reminders.models import Channel, Kind, MessageStatus, PersonMessage

    referral = Referral.objects.get(pk=world.referral_pk)
    now = timezone.now()
    message = PersonMessage.objects.create(
        referral=referral,
        kind=Kind.CONFIRMATION,
        channel=Channel.SMS,
        language="en",
        for_starts_at=now,
        status=MessageStatus.RECORDED_LOCALLY,
        due_at=now,
        sent_at=now,
        body="Your appointment is booked.",
    )
    world.reminders_message_pk = message.pk
