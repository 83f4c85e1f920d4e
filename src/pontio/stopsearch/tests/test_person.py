"""Finding or adding the person searched from a search recorded without one, linking them
(a service, audited, version-checked), then the one-click referral (journey 4)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.people.models import Person
from pontio.stopsearch import services
from pontio.stopsearch.actions import LINK_PERSON, actions_for
from pontio.stopsearch.models import StopSearch
from pontio.stopsearch.tests.helpers import CONTEXT, POWYS, make_person, record
from pontio.stopsearch.views.person import SESSION_FIND

BORN = dt.date(2001, 4, 12)


def page(response: Any) -> str:
    return html.unescape(response.content.decode())


def link(search: StopSearch, actor: Any, person: Person, version: int | None = None) -> StopSearch:
    return services.search_person_link(
        context=CONTEXT,
        actor=actor,
        search_id=search.pk,
        expected_version=search.version if version is None else version,
        person_id=person.pk,
    )


@pytest.fixture
def officer(world: dict[str, Any]) -> Client:
    return demo_sign_in("officer")


def person_url(search: StopSearch) -> str:
    return reverse("stopsearch:person", args=[search.pk])


# --- the service ---------------------------------------------------------------------------------


def test_the_officer_links_the_person_and_it_is_audited_with_their_id(
    world: dict[str, Any],
) -> None:
    search = record(world["officer"])
    person = world["person"]
    linked = link(search, world["officer"], person)
    assert (linked.person_id, linked.version) == (person.pk, search.version + 1)
    event = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_type="stopsearch.stopsearch", object_id=str(search.pk)
    )
    assert event.person_id == str(person.pk)
    assert event.reason == "person searched linked"
    assert LINK_PERSON not in actions_for(linked, world["officer"])  # linked once


def test_a_link_from_a_stale_copy_is_refused(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    stale = search.version
    services.outcome_update(
        context=CONTEXT,
        actor=world["officer"],
        search_id=search.pk,
        expected_version=search.version,
        kind="drug_analysis",
        outcome="summons",
        linked_to_object=True,
        decided_on=timezone.localdate(),
        reason="Lab confirmed cocaine",
    )
    with pytest.raises(ValidationError) as error:
        link(search, world["officer"], world["person"], version=stale)
    assert error.value.code == "stale_version"
    search.refresh_from_db()
    assert search.person_id is None


def test_a_person_outside_the_officers_scope_cannot_be_linked(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    elsewhere = make_person(given="Gwilym", family="Bowen", county_code=POWYS, town="Newtown")
    with pytest.raises(PermissionDenied):
        link(search, world["officer"], elsewhere)
    search.refresh_from_db()
    assert search.person_id is None


def test_another_officer_cannot_link_a_person_to_the_search(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    with pytest.raises(PermissionDenied):
        link(search, world["custody.officer"], world["person"])


def test_a_search_with_a_person_or_of_a_vehicle_only_takes_no_link(world: dict[str, Any]) -> None:
    with_person = record(world["officer"], person=world["person"])
    vehicle = record(world["officer"], search_type="vehicle", vehicle_registration="CU15ABC")
    for search in (with_person, vehicle):
        assert LINK_PERSON not in actions_for(search, world["officer"])
        with pytest.raises(PermissionDenied):
            link(search, world["officer"], make_person(given="Iolo", family="Rees"))


def test_the_person_added_from_the_search_starts_with_what_the_search_recorded(
    world: dict[str, Any],
) -> None:
    search = record(world["officer"], gender="Female", self_defined_ethnicity="A1")
    linked = services.search_person_add(
        context=CONTEXT,
        actor=world["officer"],
        search_id=search.pk,
        expected_version=search.version,
        given_name=" Seren ",
        family_name="Hopkin",
        date_of_birth=BORN,
    )
    person = linked.person
    assert person is not None
    assert (person.given_name, person.family_name, person.date_of_birth) == (
        "Seren",
        "Hopkin",
        BORN,
    )
    assert (person.gender, person.self_defined_ethnicity) == ("female", "A1")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="people.person", object_id=str(person.pk)
    ).exists()


def test_a_person_with_a_broken_identity_is_not_added_nor_linked(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    people = Person.objects.count()
    with pytest.raises(ValidationError):
        services.search_person_add(
            context=CONTEXT,
            actor=world["officer"],
            search_id=search.pk,
            expected_version=search.version,
            given_name="",
            family_name="Hopkin",
            date_of_birth=BORN,
        )
    assert Person.objects.count() == people
    search.refresh_from_db()
    assert (search.person_id, search.version) == (None, 1)


# --- the page ------------------------------------------------------------------------------------


def test_the_record_offers_to_find_or_add_the_person(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world["officer"])
    content = page(officer.get(reverse("stopsearch:detail", args=[search.pk])))
    assert f'href="{person_url(search)}" role="button"' in content
    assert "Find or add the person searched" in content


def _find(client: Client, search: StopSearch, given: str, family: str, born: dt.date) -> Any:
    return client.post(
        person_url(search),
        {
            "step": "find",
            "version": str(search.version),
            "given_name": given,
            "family_name": family,
            "date_of_birth_0": str(born.day),
            "date_of_birth_1": str(born.month),
            "date_of_birth_2": str(born.year),
        },
    )


def test_finding_keeps_the_name_out_of_the_address_and_shows_the_matches(
    world: dict[str, Any], officer: Client
) -> None:
    person = world["person"]
    search = record(world["officer"])
    assert person.date_of_birth is not None
    response = _find(officer, search, person.given_name, person.family_name, person.date_of_birth)
    assert response.status_code == 302
    assert response["Location"] == person_url(search)  # no name, no date in the URL
    assert officer.session[SESSION_FIND]["family_name"] == person.family_name
    content = page(officer.get(person_url(search)))
    assert str(person) in content
    assert "This is the person" in content
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, person_id=str(person.pk), reason="possible match"
    ).exists()


def test_a_match_outside_the_area_is_opened_first_not_linked(
    world: dict[str, Any], officer: Client
) -> None:
    elsewhere = make_person(
        given="Gwilym", family="Bowen", dob=BORN, county_code=POWYS, town="Newtown"
    )
    search = record(world["officer"])
    _find(officer, search, "Gwilym", "Bowen", BORN)
    content = page(officer.get(person_url(search)))
    assert "Gwilym Bowen" in content
    assert reverse("people:detail", args=[elsewhere.pk]) in content
    assert f'name="person" value="{elsewhere.pk}"' not in content
    assert "Outside your area" in content


def test_an_identity_the_people_app_refuses_is_explained_on_its_field(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world["officer"])
    response = officer.post(
        person_url(search), {"step": "find", "version": str(search.version), "given_name": "Al"}
    )
    assert response.status_code == 200
    assert response.context["find"].errors["family_name"] == ["Enter a family name"]
    assert SESSION_FIND not in officer.session


def test_this_is_the_person_links_them_and_the_referral_is_one_click(
    world: dict[str, Any], officer: Client
) -> None:
    person = world["person"]
    search = record(world["officer"])
    assert person.date_of_birth is not None
    _find(officer, search, person.given_name, person.family_name, person.date_of_birth)
    response = officer.post(
        person_url(search),
        {"step": "link", "version": str(search.version), "person": str(person.pk)},
        follow=True,
    )
    search.refresh_from_db()
    assert search.person_id == person.pk
    content = page(response)
    assert "is linked to search" in content
    referral = reverse("referrals:create", args=[person.pk]) + f"?from_search={search.pk}"
    assert f'href="{referral}"' in content
    form = officer.get(referral).context["form"]
    assert (form["pathway"].value(), form["source_reference"].value()) == (
        "stop_search",
        search.reference,
    )
    assert SESSION_FIND not in officer.session


def test_none_of_these_adds_the_person_with_what_was_typed(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world["officer"])
    _find(officer, search, "Seren", "Hopkin", BORN)
    content = page(officer.get(person_url(search)))
    assert "Add Seren Hopkin as a new person" in content
    officer.post(person_url(search), {"step": "add", "version": str(search.version)})
    search.refresh_from_db()
    assert search.person is not None
    assert (search.person.family_name, search.person.date_of_birth) == ("Hopkin", BORN)


def test_a_stale_page_says_so_and_links_nobody(world: dict[str, Any], officer: Client) -> None:
    person = world["person"]
    search = record(world["officer"])
    response = officer.post(
        person_url(search),
        {"step": "link", "version": str(search.version + 5), "person": str(person.pk)},
    )
    assert response.status_code == 200
    assert "Someone else changed this record" in page(response)
    search.refresh_from_db()
    assert search.person_id is None


def test_the_typed_name_of_another_search_is_not_shown(
    world: dict[str, Any], officer: Client
) -> None:
    first = record(world["officer"])
    second = record(world["officer"])
    _find(officer, first, "Seren", "Hopkin", BORN)
    assert "Seren" not in page(officer.get(person_url(second)))


def test_another_officer_gets_not_found_on_the_page(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    client = demo_sign_in("custody.officer")
    assert client.get(person_url(search)).status_code == 404


def test_a_search_with_a_person_already_says_so(world: dict[str, Any], officer: Client) -> None:
    search = record(world["officer"], person=world["person"])
    content = page(officer.get(person_url(search)))
    assert "A person is already linked to this search." in content
    response = officer.post(
        person_url(search),
        {"step": "add", "version": str(search.version)},
    )
    assert response.status_code == 302
    search.refresh_from_db()
    assert search.person_id == world["person"].pk
