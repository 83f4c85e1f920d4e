"""The people search (people.filters): one FilterSet for the page and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import CARMARTHENSHIRE

from pontio.people.filters import PersonFilter
from pontio.people.models import Person
from pontio.people.tests.helpers import HUGE_YEAR, make_person

pytestmark = pytest.mark.django_db


def _boxes(day: int, month: int, year: str) -> dict[str, str]:
    return {"date_of_birth_0": str(day), "date_of_birth_1": str(month), "date_of_birth_2": year}


def test_the_page_boxes_and_the_api_iso_date_find_the_same_people() -> None:
    wanted = make_person("Huw", "Pugh", dob=dt.date(1980, 5, 6), county_code=CARMARTHENSHIRE)
    make_person("Huw", "Pugh", dob=dt.date(1981, 5, 6), county_code=CARMARTHENSHIRE)
    page = PersonFilter({"name": "pugh"} | _boxes(6, 5, "1980"), queryset=Person.objects.all())
    api = PersonFilter({"name": "pugh", "date_of_birth": "1980-05-06"}, queryset=Person.objects)
    assert list(page.qs) == list(api.qs) == [wanted]
    assert page.searching and api.searching


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_boxes(6, 5, HUGE_YEAR), "The year must include 4 numbers"),
        (_boxes(31, 2, "1980"), "The date must be a real date"),
        ({"date_of_birth": "not a date"}, "The date must be a real date"),
        ({"name": "x" * 101}, "Ensure this value has at most 100 characters (it has 101)."),
    ],
)
def test_invalid_values_are_field_errors(data: dict[str, str], message: str) -> None:
    search = PersonFilter(data, queryset=Person.objects.all())
    assert not search.is_valid()
    assert message in [m for messages in search.errors.values() for m in messages]
    assert not search.searching


def test_the_search_survives_the_session() -> None:
    search = PersonFilter({"name": " Pugh "} | _boxes(6, 5, "1980"), queryset=Person.objects)
    assert search.is_valid()
    saved = search.to_session()
    assert saved == {"name": "Pugh", "dob": "1980-05-06"}
    again = PersonFilter(PersonFilter.data_from_session(saved), queryset=Person.objects)
    assert again.is_valid() and again.form.cleaned_data["date_of_birth"] == dt.date(1980, 5, 6)


def test_no_search_is_everyone() -> None:
    make_person()
    search = PersonFilter(PersonFilter.data_from_session(None), queryset=Person.objects.all())
    assert search.is_valid() and not search.searching
    assert search.qs.count() == 1
