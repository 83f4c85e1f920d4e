"""Person pages (views.records): scope and break-glass, the list and search, "add a person"
with likely matches, changing details."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import CARMARTHENSHIRE, POWYS

from pontio.accounts.events import AccountEvent
from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.people.models import Person
from pontio.people.tests.helpers import (
    HUGE_YEAR,
    denials,
    details,
    identity,
    make_person,
    sign_in_as,
    text,
)

pytestmark = pytest.mark.django_db


def test_county_officer_sees_own_county_and_unplaced_people_only() -> None:
    carms = make_person("Nia", "Lewis", county_code=CARMARTHENSHIRE)
    powys = make_person("Huw", "Pugh", county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    unplaced = make_person("Cai", "Bevan")
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    page = text(client.get(reverse("people:list")))
    assert "Lewis, Nia" in page and "Bevan, Cai" in page
    assert "Pugh, Huw" not in page
    assert client.get(reverse("people:detail", args=[carms.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[unplaced.pk])).status_code == 200
    read = AuditEvent.objects.filter(action=AuditAction.READ, object_type="people.person")
    assert read.filter(person_id=str(carms.pk)).exists()

    # Another county's person: the denial is audited and the officer is asked for a reason.
    before = denials(object_id=str(powys.pk))
    url = reverse("people:detail", args=[powys.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("accounts:break-glass", args=["people.person", powys.pk])
    )
    assert denials(object_id=str(powys.pk)) == before + 1
    # Editing it is simply not found (no break-glass for changes).
    assert client.get(reverse("people:edit", args=[powys.pk])).status_code == 404
    # Break-glass with a reason opens it for reading.
    client.post(response["Location"], {"reason": "Arrested in Carmarthen tonight, need history."})
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action=AccountEvent.BREAK_GLASS, object_id=str(powys.pk))


@pytest.mark.parametrize(
    "role", [Role.PROVIDER_CASEWORKER, Role.PROVIDER_MANAGER, Role.OPCC_ANALYST, Role.PANEL_MEMBER]
)
def test_providers_opcc_and_panel_are_refused_and_the_denial_is_logged(role: str) -> None:
    person = make_person("Nia", "Lewis")
    client = sign_in_as(role, (CARMARTHENSHIRE,))
    for url in (
        reverse("people:list"),
        reverse("people:detail", args=[person.pk]),
        reverse("people:create"),
        reverse("api-person-detail", args=[person.pk]),
    ):
        before = denials()
        assert client.get(url).status_code == 403, url
        assert denials() == before + 1


def test_create_shows_likely_matches_with_reasons_then_creates() -> None:
    existing = make_person("Dafydd", "Jones", dt.date(1990, 3, 27), county_code=POWYS,
                           postcode="LD3 7AB", town="Brecon")  # fmt: skip
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(reverse("people:create"), identity())
    assert response.status_code == 302
    assert response["Location"] == reverse("people:create-matches")
    page = text(client.get(response["Location"]))
    assert "Dafydd Jones" in page and "1990" in page and "Brecon" in page
    assert "Same date of birth" in page
    assert reverse("people:detail", args=[existing.pk]) in page
    # Minimal details only: no full date of birth or address line of the match.
    assert "1 Heol y Bryn" not in page and "LD3 7AB" not in page
    # The person was out of area: the matches page audits that it showed them.
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, person_id=str(existing.pk), reason="possible match"
    ).exists()

    details = client.get(reverse("people:create-details"))
    assert 'value="David"' in text(details)
    data = identity()
    data.update(
        {
            "gender": "male",
            "self_defined_ethnicity": "W1",
            "preferred_language": "cy",
            "interpreter_language": "",
        }
    )
    response = client.post(reverse("people:create-details"), data)
    assert response.status_code == 302
    person = Person.objects.get(given_name="David")
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.preferred_language == "cy"
    assert "pontio_people_new_identity" not in client.session
    # No names in any URL of the journey.
    for event in AuditEvent.objects.all():
        assert "David" not in event.view_name and "Jones" not in event.reason


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date_of_birth_2": "2999"}, "Date of birth must be in the past"),
        ({"date_of_birth_2": "1850"}, "Date of birth must be after 1 January 1900"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "The date must be a real date"),
        ({"pnc_id": "1234"}, "Enter a PNC ID in the correct format, like 12/345678A"),
        ({"postcode": "XX"}, "Enter a real postcode, like SA31 1AA"),
    ],
)
def test_create_step_one_refuses_bad_input(overrides: dict[str, str], message: str) -> None:
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(reverse("people:create"), identity(**overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert "pontio_people_new_identity" not in client.session


def test_duplicate_pnc_at_step_two_is_refused_and_nothing_saved() -> None:
    make_person("Rhys", "Morgan", pnc_id="12/345678A", county_code=POWYS, postcode="LD3 7AB")
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    client.post(reverse("people:create"), identity(pnc_id="12/345678A"))
    data = identity(pnc_id="12/345678a")
    data.update({"gender": "male", "self_defined_ethnicity": "NS", "preferred_language": "en"})
    response = client.post(reverse("people:create-details"), data)
    assert response.status_code == 200
    assert "This PNC ID already belongs to another person" in text(response)
    assert Person.objects.count() == 1


def test_steps_two_and_three_without_step_one_go_back_to_step_one() -> None:
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    for name in ("people:create-matches", "people:create-details"):
        response = client.get(reverse(name))
        assert response["Location"] == reverse("people:create")


def test_search_is_a_post_and_finds_sound_alike_names() -> None:
    make_person("Siân", "Llywelyn", county_code=CARMARTHENSHIRE)
    make_person("Huw", "Pugh", county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(reverse("people:list"), {"name": "Llewellyn"})
    assert response["Location"] == reverse("people:list")
    page = text(client.get(reverse("people:list")))
    assert "Llywelyn, Siân" in page and "Pugh" not in page
    client.post(reverse("people:list"), {"clear": "1"})
    assert "Pugh" in text(client.get(reverse("people:list")))


# --- bad input: three-box dates ------------------------------------------------------------


def test_a_huge_year_at_step_one_is_refused_clearly_and_nothing_kept() -> None:
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(reverse("people:create"), identity(date_of_birth_2=HUGE_YEAR))
    assert response.status_code == 200
    assert "The year must include 4 numbers" in text(response)
    assert "pontio_people_new_identity" not in client.session


def test_a_huge_year_at_step_two_is_refused_clearly_and_nothing_saved() -> None:
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    client.post(reverse("people:create"), identity())
    response = client.post(reverse("people:create-details"), details(date_of_birth_2=HUGE_YEAR))
    assert response.status_code == 200
    assert "The year must include 4 numbers" in text(response)
    assert not Person.objects.exists()


def test_a_huge_year_when_changing_details_is_refused_clearly_and_nothing_saved() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(
        reverse("people:edit", args=[person.pk]), details(version="1", date_of_birth_2=HUGE_YEAR)
    )
    assert response.status_code == 200
    assert "The year must include 4 numbers" in text(response)
    person.refresh_from_db()
    assert (person.date_of_birth, person.version) == (dt.date(1990, 3, 27), 1)


def test_a_four_digit_year_far_ahead_gets_the_date_of_birth_message() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(
        reverse("people:edit", args=[person.pk]), details(version="1", date_of_birth_2="9999")
    )
    assert "Date of birth must be in the past" in text(response)
    person.refresh_from_db()
    assert person.version == 1


@pytest.mark.parametrize(
    ("dob", "message"),
    [
        ({"date_of_birth_2": HUGE_YEAR}, "The year must include 4 numbers"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "The date must be a real date"),
        ({"date_of_birth_2": "1850"}, "The date must be on or after 1 January 1900"),
    ],
)
def test_a_bad_date_in_the_search_is_refused_clearly_and_not_kept(
    dob: dict[str, str], message: str
) -> None:
    make_person("Huw", "Pugh", county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    data = {
        "name": "Pugh",
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1990",
    } | dob
    response = client.post(reverse("people:list"), data)
    assert response.status_code == 200
    assert message in text(response)
    assert "pontio_people_search" not in client.session
    # The list behind the errors is the last search that was valid (none: everyone).
    assert "Pugh, Huw" in text(response)


def test_the_search_is_kept_and_shown_again_in_the_boxes() -> None:
    make_person("Huw", "Pugh", dob=dt.date(1980, 5, 6), county_code=CARMARTHENSHIRE)
    make_person("Huw", "Pugh", dob=dt.date(1981, 5, 6), county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    data = {"name": "Pugh", "date_of_birth_0": "6", "date_of_birth_1": "5"}
    client.post(reverse("people:list"), data | {"date_of_birth_2": "1980"})
    assert client.session["pontio_people_search"] == {"name": "Pugh", "dob": "1980-05-06"}
    page = text(client.get(reverse("people:list")))
    assert "1 person matches your search" in page
    assert 'value="1980"' in page and 'value="Pugh"' in page


def test_the_list_reads_the_same_number_of_queries_for_5_or_30_people() -> None:
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    counts = []
    for n in (5, 25):
        for i in range(n):
            make_person(f"Person{n}x{i}", "Pugh", county_code=CARMARTHENSHIRE)
        client.get(reverse("people:list"))  # the same session state each time
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("people:list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
