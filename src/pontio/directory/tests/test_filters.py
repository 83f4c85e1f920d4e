"""The directory search (directory.filters): one FilterSet for the page and the API list."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from tests.conftest import demo_sign_in

from pontio.directory.demo import SERVICES
from pontio.directory.filters import ServiceFilter
from pontio.directory.models import Service


def _names(directory: dict[str, Any], **params: str) -> set[str]:
    request = SimpleNamespace(user=directory["officer"])
    search = ServiceFilter(params, queryset=Service.objects.all(), request=request)
    assert search.is_valid(), search.errors
    return {s.name for s in search.qs}


def test_the_county_is_given_by_its_ons_code(directory: dict[str, Any]) -> None:
    names = _names(directory, county="W06000023")
    assert "Kaleidoscope Newtown" in names and "DDAS Llanelli" not in names


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"age": "99999999999"}, "age", "Age must be 120 or less"),
        ({"age": "9" * 5000}, "age", "Age must be a whole number, like 34"),
        ({"age": "-1"}, "age", "Age must be 0 or more"),
        ({"age": "thirty"}, "age", "Age must be a whole number, like 34"),
        ({"county": "W99999999"}, "county", "Select a valid choice"),
        ({"substance": "chocolate"}, "substance", "Select a valid choice"),
        ({"pontio_only": "banana"}, "pontio_only", "Enter true or false"),
        ({"place": "Atlantis"}, "place", "We could not find that town or postcode"),
        (
            {"place": "Llanelli", "county": "W06000023"},
            "place",
            "That town or postcode is not in the county you selected",
        ),
    ],
)
def test_invalid_values_are_refused_on_the_page_and_in_the_api(
    directory: dict[str, Any], params: dict[str, str], field: str, message: str
) -> None:
    client = demo_sign_in("officer")
    page = client.get("/directory/", params)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "services found" not in page.content.decode()
    api = client.get("/api/v1/directory/services/", params)
    assert api.status_code == 400
    assert any(message in text for text in api.json()[field])


@pytest.mark.parametrize(("value", "ticked"), [("on", True), ("true", True), ("false", False)])
def test_yes_no_filters_take_a_checkbox_or_true_and_false(
    directory: dict[str, Any], value: str, ticked: bool
) -> None:
    names = _names(directory, pontio_only=value)
    assert ("Community Drug and Alcohol Team (Hywel Dda)" not in names) is ticked


def test_the_api_lists_inactive_services_the_page_does_not(directory: dict[str, Any]) -> None:
    Service.objects.filter(name="DDAS Llanelli").update(status=Service.Status.INACTIVE)
    client = demo_sign_in("officer")
    api = client.get("/api/v1/directory/services/", {"place": "Llanelli"}).json()
    assert "DDAS Llanelli" in {s["name"] for s in api["results"]}
    page = client.get("/directory/", {"place": "Llanelli"}).content.decode()
    assert "DDAS Carmarthen" in page and "DDAS Llanelli" not in page


def test_the_api_filters_with_the_page_parameters(directory: dict[str, Any]) -> None:
    client = demo_sign_in("officer")
    body = client.get("/api/v1/directory/services/", {"age": "15"}).json()
    assert [s["name"] for s in body["results"]] == ["DDAS young people's service"]
    everything = client.get("/api/v1/directory/services/").json()
    assert everything["count"] == len(SERVICES)
