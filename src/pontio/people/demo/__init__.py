"""Demo people (demo and tests only, never production), split by feature:

- ``generated``: several hundred fictional people from a seeded generator, and the person
  the access-matrix test reaches;
- ``journeys``: the people of the journeys, written out by hand;
- ``records``: recording one person through the people services, back in time.

The names other modules use are re-exported here.
"""

from pontio.people.demo.generated import (
    SEED,
    STREETS,
    TOWNS,
    access_matrix_person,
    seed_people,
)
from pontio.people.demo.journeys import JOURNEY_PEOPLE, JourneyPerson, seed_journey_people
from pontio.people.demo.records import RECORDERS, SeedResult, _refuse_in_production

__all__ = [
    "JOURNEY_PEOPLE",
    "RECORDERS",
    "SEED",
    "STREETS",
    "TOWNS",
    "JourneyPerson",
    "SeedResult",
    "_refuse_in_production",
    "access_matrix_person",
    "seed_journey_people",
    "seed_people",
]
