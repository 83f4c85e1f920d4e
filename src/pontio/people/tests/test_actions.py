"""Who may do what on a person's record (people.actions): one rule, for pages and services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from tests.factories import CARMARTHENSHIRE, POWYS

from pontio.accounts.roles import Role
from pontio.people import actions, services
from pontio.people.actions import ADD_PARTS, CHANGE, EDITING, MERGE, MERGING, actions_for
from pontio.people.models import Person, Phone
from pontio.people.tests.helpers import CONTEXT, make_person, sign_in_as, text, user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OFFICER, EDITING),
        (Role.CUSTODY_OFFICER, EDITING),
        (Role.INTELLIGENCE_OFFICER, EDITING),
        (Role.CUSTODY_SERGEANT, EDITING | MERGING),
        (Role.INSPECTOR, EDITING | MERGING),
        (Role.PROVIDER_CASEWORKER, frozenset()),
        (Role.OPCC_ANALYST, frozenset()),
        (Role.ADMINISTRATOR, frozenset()),
    ],
)
def test_the_actions_on_a_record_in_the_area_follow_the_role(
    role: str, expected: frozenset[str]
) -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    assert actions_for(person, user(role, (CARMARTHENSHIRE,))) == expected


def test_no_action_is_open_outside_the_area_nor_on_a_merged_record() -> None:
    sergeant = user(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    powys = make_person(county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    assert actions_for(powys, sergeant) == frozenset()
    merged = make_person(is_active=False)
    assert actions_for(merged, sergeant) == frozenset()


def test_the_record_page_offers_exactly_the_open_actions() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    url = reverse("people:detail", args=[person.pk])
    officer = text(sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,)).get(url))
    assert reverse("people:edit", args=[person.pk]) in officer
    assert reverse("people:phone-add", args=[person.pk]) in officer
    assert reverse("people:merge", args=[person.pk]) not in officer
    sergeant = text(sign_in_as(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,)).get(url))
    assert reverse("people:merge", args=[person.pk]) in sergeant


def test_a_record_read_through_break_glass_offers_nothing() -> None:
    from pontio.accounts.models import BreakGlassGrant

    powys = make_person(county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    url = reverse("people:detail", args=[powys.pk])
    location = client.get(url)["Location"]
    client.post(location, {"reason": "Arrested in Carmarthen tonight, need history."})
    assert BreakGlassGrant.objects.exists()
    page = text(client.get(url))
    assert "Powys" in page or "Brecon" in page
    for name in ("people:edit", "people:phone-add", "people:flag-raise", "people:merge"):
        assert reverse(name, args=[powys.pk]) not in page, name


def test_services_refuse_what_the_rule_refuses(monkeypatch: Any) -> None:
    """The services ask the same function as the pages: when it opens nothing, they refuse."""
    officer = user(Role.OFFICER, force_wide=True)
    person = make_person()
    monkeypatch.setattr(actions, "actions_for", lambda person, user: frozenset({CHANGE}))
    with pytest.raises(PermissionDenied):
        services.phone_add(
            context=CONTEXT, actor=officer, person_id=person.pk, number="07700 900123"
        )
    assert not Phone.objects.exists()
    monkeypatch.setattr(actions, "actions_for", lambda person, user: frozenset({ADD_PARTS}))
    with pytest.raises(PermissionDenied):
        services.person_update(
            context=CONTEXT,
            actor=officer,
            person_id=person.pk,
            expected_version=1,
            data=services.PersonData(given_name="David", family_name="Jones"),
        )
    monkeypatch.setattr(actions, "actions_for", lambda person, user: frozenset({MERGE}) ^ MERGING)
    other = make_person("David")
    sergeant = user(Role.CUSTODY_SERGEANT, force_wide=True)
    with pytest.raises(PermissionDenied):
        services.person_merge(
            context=CONTEXT,
            actor=sergeant,
            survivor_id=person.pk,
            duplicate_id=other.pk,
            reason="The same person twice.",
            survivor_version=1,
            duplicate_version=1,
        )
    assert Person.objects.filter(is_active=True).count() == 2


def test_pages_refuse_what_the_rule_refuses(monkeypatch: Any) -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    monkeypatch.setattr(actions, "actions_for", lambda person, user: frozenset())
    assert client.get(reverse("people:phone-add", args=[person.pk])).status_code == 403
    assert client.get(reverse("people:edit", args=[person.pk])).status_code == 403
