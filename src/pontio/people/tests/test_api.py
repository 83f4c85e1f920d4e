"""People API: scoped lists, search (in the body), single records, the OpenAPI description."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import CARMARTHENSHIRE, POWYS

from pontio.accounts.roles import Role
from pontio.people.models import Flag
from pontio.people.tests.helpers import make_person, sign_in_as

pytestmark = pytest.mark.django_db


def test_api_lists_people_in_scope_and_hides_others() -> None:
    carms = make_person("Nia", "Lewis", county_code=CARMARTHENSHIRE)
    powys = make_person("Huw", "Pugh", county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    listing = client.get(reverse("api-person-list")).json()
    ids = {row["id"] for row in listing["results"]}
    assert carms.pk in ids and powys.pk not in ids
    detail = client.get(reverse("api-person-detail", args=[carms.pk]))
    assert detail.status_code == 200
    body = detail.json()
    assert body["addresses"][0]["postcode"] == "SA31 1AA"
    assert body["addresses"][0]["county"] == CARMARTHENSHIRE
    missing = client.get(reverse("api-person-detail", args=[powys.pk]))
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"


def _search(client: Any, body: Any, **extra: Any) -> Any:
    return client.post(
        reverse("api-person-list"), json.dumps(body), content_type="application/json", **extra
    )


def test_api_search_takes_the_name_from_the_body_and_stays_in_scope() -> None:
    make_person("Siân", "Llywelyn", county_code=CARMARTHENSHIRE)
    make_person("Siân", "Llewellyn", county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    make_person("Huw", "Pugh", county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = _search(client, {"name": "Llewellyn"})
    assert response.status_code == 200
    body = response.json()
    assert [row["family_name"] for row in body["results"]] == ["Llywelyn"]
    assert body["count"] == 1


def test_api_search_by_date_of_birth_takes_an_iso_date() -> None:
    make_person("Huw", "Pugh", dob=dt.date(1980, 5, 6), county_code=CARMARTHENSHIRE)
    make_person("Huw", "Pugh", dob=dt.date(1981, 5, 6), county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    body = _search(client, {"name": "Pugh", "date_of_birth": "1980-05-06"}).json()
    assert [row["date_of_birth"] for row in body["results"]] == ["1980-05-06"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"date_of_birth": "6 May 1980"}, "date_of_birth", "The date must be a real date"),
        ({"date_of_birth": "99999999999-01-01"}, "date_of_birth", "The date must be a real date"),
        ({"date_of_birth": 1980}, "date_of_birth", "The date must be a real date"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth", "on or after 1 January 1900"),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
    ],
)
def test_api_search_refuses_invalid_values_with_a_message(
    body: dict[str, Any], field: str, message: str
) -> None:
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = _search(client, body)
    assert response.status_code == 400
    assert any(message in text for text in response.json()[field])


@pytest.mark.parametrize("body", [["Jones"], "Jones", 12])
def test_api_search_refuses_a_body_that_is_not_an_object(body: Any) -> None:
    response = _search(sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,)), body)
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize("query", [{"name": "Jones"}, {"date_of_birth": "1990-03-27"}])
def test_api_list_refuses_a_search_in_the_url(query: dict[str, str]) -> None:
    response = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,)).get(reverse("api-person-list"), query)
    assert response.status_code == 400
    (field,) = query
    assert "never put in a URL" in response.json()[field][0]


def test_api_search_is_refused_to_roles_without_people() -> None:
    make_person("Huw", "Pugh")
    client = sign_in_as(Role.PROVIDER_MANAGER, (CARMARTHENSHIRE,))
    assert _search(client, {"name": "Pugh"}).status_code == 403


def test_api_detail_shows_only_open_flags() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    Flag.objects.create(person=person, kind="other", reason="x" * 12, raised_at=timezone.now())
    Flag.objects.create(
        person=person,
        kind="safeguarding",
        reason="y" * 12,
        raised_at=timezone.now(),
        resolved_at=timezone.now(),
    )
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    body = client.get(reverse("api-person-detail", args=[person.pk])).json()
    assert [flag["kind"] for flag in body["open_flags"]] == ["other"]


# --- the OpenAPI description ----------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_people_operations_list_their_refusals(schema: dict[str, Any]) -> None:
    people = schema["paths"]["/api/v1/people/"]
    assert {"200", "403"} <= set(people["get"]["responses"])
    assert {"200", "400", "403"} <= set(people["post"]["responses"])
    assert {"200", "403", "404"} <= set(schema["paths"]["/api/v1/people/{id}/"]["get"]["responses"])


def test_the_search_body_is_described(schema: dict[str, Any]) -> None:
    body = schema["paths"]["/api/v1/people/"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"name", "date_of_birth"}
