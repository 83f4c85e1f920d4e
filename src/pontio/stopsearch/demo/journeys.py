"""The demo search of journey 4, so that it can be walked by hand on a fresh demo.

A week ago the demo officer (Carmarthenshire) searched a man in Llanelli under the Misuse
of Drugs Act, gave the GOWISELY information, recorded the grounds, found nothing and took no
further action; the search was recorded from the Stop and search list, so no person is
linked. Walking the journey: the drug analysis comes back ("Update the outcome", with a
reason), both outcomes and the history show, the officer finds or adds the person ("Find or
add the person searched") and refers them in one click.

Recorded through the real service at the time (``travel``), with its own idempotency key:
seeding again finds it and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.stopsearch import services
from pontio.stopsearch.demo.common import KEY, at, travel
from pontio.stopsearch.vocab import (
    AgeRange,
    Found,
    Legislation,
    ObjectOfSearch,
    OfficerEthnicity,
    Outcome,
    SearchGender,
    SearchType,
)

JOURNEY_4 = f"{KEY}journey-4"
CARMARTHENSHIRE = "W06000010"
PLACE = "Stepney Street, Llanelli"
GROUNDS = (
    "Strong smell of cannabis as I approached; he was seen passing a small bag to another "
    "man in the doorway of the arcade and put his hand in his jacket pocket when he saw me."
)


def journey_search(now: dt.datetime, context: AuditContext) -> bool:
    """The search of journey 4, a week ago; whether it was made now."""
    officer = User.objects.filter(username="officer", is_active=True).first()
    county = County.objects.filter(ons_code=CARMARTHENSHIRE).first()
    if officer is None or county is None:
        return False
    day = timezone.localdate(now) - dt.timedelta(days=7)
    searched_at = at(day, 21, 40)
    with travel(min(searched_at + dt.timedelta(minutes=25), now)):
        _search, created = services.search_record(
            context=context,
            actor=officer,
            idempotency_key=JOURNEY_4,
            data=services.SearchData(
                search_type=SearchType.PERSON,
                searched_at=searched_at,
                place=PLACE,
                county=county,
                legislation=Legislation.MDA_S23,
                object_of_search=ObjectOfSearch.CONTROLLED_DRUGS,
                grounds=GROUNDS,
                gowisely_given=True,
                found=Found.NOTHING,
                outcome=Outcome.NFA,
                gender=SearchGender.MALE,
                age_range=AgeRange.EIGHTEEN_24,
                self_defined_ethnicity="W1",
                officer_defined_ethnicity=OfficerEthnicity.WHITE,
                removal_of_more_than_outer_clothing=False,
                body_worn_video=f"BWV-{day:%y%m%d}-1432",
            ),
        )
    return created
