"""Builders shared by the stop and search tests: search data, recorded searches, people."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from typing import Any

from django.utils import timezone
from tests.factories import county
from tests.factories import make_person as _make_person

from pontio.audit.services import AuditContext
from pontio.stopsearch import services
from pontio.stopsearch.models import StopSearch

CONTEXT = AuditContext.system("test")
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"
NOV_2016 = dt.date(2016, 11, 1)
_numbers = itertools.count(1)


def search_data(**changes: Any) -> services.SearchData:
    values: dict[str, Any] = {
        "search_type": "person",
        "searched_at": timezone.now() - dt.timedelta(hours=2),
        "place": "Stepney Street, Llanelli",
        "county": county(CARMS),
        "legislation": "mda_s23",
        "object_of_search": "controlled_drugs",
        "grounds": "Strong smell of cannabis from him; seen passing a small bag to another man.",
        "gowisely_given": True,
        "found": "nothing",
        "outcome": "nfa",
        "gender": "Male",
        "age_range": "18-24",
        "self_defined_ethnicity": "W1",
        "officer_defined_ethnicity": "White",
        "removal_of_more_than_outer_clothing": False,
        "body_worn_video": "BWV-4471-2026",
    }
    values.update(changes)
    return services.SearchData(**values)


def record(actor: Any, **changes: Any) -> StopSearch:
    """A search recorded by ``actor`` through the service."""
    search, created = services.search_record(
        context=CONTEXT, actor=actor, data=search_data(**changes)
    )
    assert created
    return search


# A person living in Llanelli, Carmarthenshire, unless told otherwise.
make_person = functools.partial(_make_person, county_code=CARMS)


def make_search(ons_code: str | None = CARMS, **changes: Any) -> StopSearch:
    """A search row made directly (for the figures, which only read rows)."""
    number = next(_numbers)
    values: dict[str, Any] = {
        "reference": f"SSTEST{number:05d}",
        "search_type": "person",
        "searched_at": dt.datetime(2016, 11, 15, 14, 0, tzinfo=dt.UTC),
        "month": NOV_2016,
        "county": county(ons_code) if ons_code else None,
        "legislation": "mda_s23",
        "object_of_search": "controlled_drugs",
        "officer_defined_ethnicity": "White",
        "original_outcome": "nfa",
        "current_outcome": "nfa",
        "current_linked": False,
    }
    values.update(changes)
    return StopSearch.objects.create(**values)


def imported_search(**changes: Any) -> StopSearch:
    number = next(_numbers)
    return make_search(None, source="policeuk", source_key=f"test:{number}", **changes)
