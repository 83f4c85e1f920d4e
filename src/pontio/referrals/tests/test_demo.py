"""The demo referrals: made through the real services and lifecycle, dated in the past,
every status reached, and a second run adds nothing."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django.utils import timezone

from pontio.referrals import lifecycle
from pontio.referrals.demo import ENDS, KEY, SCENARIOS, seed_referrals
from pontio.referrals.models import Referral, ReferralEvent
from pontio.referrals.tests.helpers import make_person


def test_the_demo_walks_referrals_through_the_lifecycle_and_adds_nothing_again(
    world: dict[str, Any],
) -> None:
    for n in range(3):
        make_person(f"Demo{n}", "Person")
    count = len(SCENARIOS)
    result = seed_referrals(count=count)
    assert (result.created, result.skipped) == (count, 0)
    made = {
        int(r.idempotency_key.removeprefix(KEY)): r
        for r in Referral.objects.filter(idempotency_key__startswith=KEY)
    }
    # The first referrals take each scenario in turn: every status of the lifecycle.
    assert {i: r.status for i, r in made.items()} == dict(enumerate(ENDS.values()))
    now = timezone.now()
    for referral in made.values():
        events = list(ReferralEvent.objects.filter(referral=referral).order_by("at", "pk"))
        assert events[0].from_status == "" and events[0].at == referral.sent_at
        for before, event in pairwise(events):
            assert event.from_status == before.to_status, event
            assert event.to_status in lifecycle.allowed_moves(event.from_status), event
        assert events[-1].to_status == referral.status
        assert all(e.at < now for e in events)
        assert referral.sent_at < now and referral.reference.startswith("PR")
    again = seed_referrals(count=count)
    assert (again.created, again.skipped) == (0, count)
    assert Referral.objects.count() == count
