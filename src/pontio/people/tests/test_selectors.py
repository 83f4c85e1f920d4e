"""Reads of person records (people.selectors): every row through restrict."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.factories import CARMARTHENSHIRE, POWYS

from pontio.accounts.roles import Role
from pontio.people import selectors
from pontio.people.models import Flag, Person, PersonMerge, Phone
from pontio.people.tests.helpers import make_person, user

pytestmark = pytest.mark.django_db


def test_a_persons_page_rows_are_those_the_user_may_see() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    Phone.objects.create(person=person, number="+447700900001", kind="mobile")
    Flag.objects.create(person=person, kind="other", reason="x" * 12, raised_at=timezone.now())
    officer = selectors.person_page(user(Role.OFFICER, (CARMARTHENSHIRE,)), person)
    assert officer.phones.count() == 1 and officer.flags.count() == 1
    assert officer.addresses.count() == 1
    outsider = selectors.person_page(user(Role.OFFICER, (POWYS,)), person)
    assert not outsider.phones.exists() and not outsider.addresses.exists()


def test_undoable_merges_are_those_not_undone() -> None:
    survivor = make_person(county_code=CARMARTHENSHIRE)
    one = make_person("A", is_active=False, merged_into=survivor)
    two = make_person("B", is_active=False, merged_into=survivor)
    live = PersonMerge.objects.create(survivor=survivor, duplicate=one, reason="Same.")
    PersonMerge.objects.create(
        survivor=survivor, duplicate=two, reason="Same.", unmerged_at=timezone.now()
    )
    sergeant = user(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    assert selectors.merges_into(sergeant, survivor).count() == 2
    assert list(selectors.merges_into(sergeant, survivor, undoable=True)) == [live]


def test_likely_matches_come_from_the_whole_force_merge_candidates_from_the_area() -> None:
    here = make_person("Dafydd", "Jones", dt.date(1990, 3, 7), county_code=CARMARTHENSHIRE)
    there = make_person("David", "Jones", dt.date(1990, 7, 3), county_code=POWYS,
                        postcode="LD3 7AB", town="Brecon")  # fmt: skip
    nearby = make_person("Dai", "Jones", dt.date(1990, 3, 7), county_code=CARMARTHENSHIRE)
    sergeant = user(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    duplicates = {p for p, _m in selectors.possible_duplicates(sergeant, here)}
    assert {there, nearby} <= duplicates
    candidates = {p for p, _m in selectors.merge_candidates(sergeant, here)}
    assert nearby in candidates and there not in candidates


def test_a_provider_gets_no_likely_matches() -> None:
    from pontio.people.matching import Identity

    make_person("Dafydd", "Jones", dt.date(1990, 3, 7))
    provider = user(Role.PROVIDER_MANAGER, (CARMARTHENSHIRE,))
    assert selectors.likely_matches(provider, Identity("Dafydd", "Jones")) == []


def test_the_search_matches_aliases_once_per_person() -> None:
    from pontio.people.models import Alias

    person = make_person("Nia", "Lewis", county_code=CARMARTHENSHIRE)
    Alias.objects.create(person=person, given_name="Nia", family_name="Lewys")
    Alias.objects.create(person=person, given_name="Nia", family_name="Lewis-Jones")
    found = selectors.search_people(user(Role.OFFICER, (CARMARTHENSHIRE,)), "Lewis")
    assert list(found) == [person]
    assert list(selectors.filter_people(Person.objects.all())) == [person]
