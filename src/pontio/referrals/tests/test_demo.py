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


def test_the_journeys_can_be_walked_on_the_demo(world: dict[str, Any]) -> None:
    """Journey 1: a Llanelli person with a likely duplicate; journey 2: new referrals in the
    DDAS caseworker's inbox and on her home page; journey 13: the Kaleidoscope caseworker
    cannot open one. A second run adds nothing."""
    from tests.conftest import demo_sign_in

    from pontio.people.demo import seed_people
    from pontio.people.models import Person
    from pontio.people.selectors import possible_duplicates
    from pontio.referrals import selectors
    from pontio.referrals.demo import JOURNEY_KEY, JOURNEY_REFERRALS

    seed_people(count=3, duplicates=0)
    result = seed_referrals(count=0)
    assert result.created == len(JOURNEY_REFERRALS)
    assert [journeys for journeys, _ref, _url in result.journeys] == ["2 and 13", "2"]

    officer = world["officer"]
    ffion = Person.objects.get(given_name="Ffion", family_name="Bowen", date_of_birth__month=3)
    duplicates = possible_duplicates(officer, ffion)
    assert any(
        match.likely and other.date_of_birth.month == 5 and other.family_name == "Bowen"
        for other, match in duplicates
    )

    journey = Referral.objects.filter(idempotency_key__startswith=JOURNEY_KEY)
    assert {r.status for r in journey} == {"requested"}
    assert {r.service.name for r in journey} == {"DDAS Llanelli", "DDAS Carmarthen"}
    caseworker = world["caseworker"]
    assert selectors.inbox_count(caseworker, {"status": "requested"}) == 2
    rowlands = journey.get(person__family_name="Rowlands")
    assert demo_sign_in("caseworker").get(f"/referrals/{rowlands.pk}/").status_code == 200
    other = demo_sign_in("powys.caseworker")
    assert other.get(f"/referrals/{rowlands.pk}/").status_code == 404
    assert other.get(f"/api/v1/referrals/{rowlands.pk}/").status_code == 404

    again = seed_referrals(count=0)
    assert again.created == 0 and again.skipped == len(JOURNEY_REFERRALS)
    assert [ref for _j, ref, _url in again.journeys] == [ref for _j, ref, _url in result.journeys]
    assert seed_people(count=3, duplicates=0).created == 0


def test_the_demo_shows_allocations(world: dict[str, Any]) -> None:
    """Accepting allocates: the referrals the caseworker accepted in the demo are hers."""
    for n in range(3):
        make_person(f"Demo{n}", "Person")
    seed_referrals(count=len(SCENARIOS))
    worked = Referral.objects.filter(
        idempotency_key__startswith=KEY, status__in=["accepted", "in-progress", "on-hold"]
    )
    assert worked.exists()
    assert all(r.allocated_to_id is not None for r in worked)
