"""Scope policies of person records (people.policies): who reaches which rows, for what."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import timezone
from tests.factories import CARMARTHENSHIRE, POWYS

from pontio.accounts.roles import Role
from pontio.core.scopes import has_policy, restrict
from pontio.people.models import Flag, Person, PersonMerge, Phone
from pontio.people.tests.helpers import make_person, user

pytestmark = pytest.mark.django_db


def test_every_people_model_has_a_policy() -> None:
    models = apps.get_app_config("people").get_models()
    assert [m.__name__ for m in models if not has_policy(m)] == []


def test_a_county_officer_views_their_area_but_checks_new_records_against_the_force() -> None:
    carms = make_person(county_code=CARMARTHENSHIRE)
    powys = make_person("Huw", county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    officer = user(Role.OFFICER, (CARMARTHENSHIRE,))
    assert set(restrict(Person.objects.all(), officer, "view")) == {carms}
    assert set(restrict(Person.objects.all(), officer, "change")) == {carms}
    assert set(restrict(Person.objects.all(), officer, "create")) == {carms, powys}


def test_parts_follow_their_person_for_each_purpose() -> None:
    powys = make_person("Huw", county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    phone = Phone.objects.create(person=powys, number="+447700900001", kind="mobile")
    officer = user(Role.OFFICER, (CARMARTHENSHIRE,))
    assert not restrict(Phone.objects.all(), officer, "view").exists()
    assert not restrict(Phone.objects.all(), officer, "change").exists()
    assert list(restrict(Phone.objects.all(), officer, "create")) == [phone]


@pytest.mark.parametrize(
    "role", [Role.PROVIDER_MANAGER, Role.OPCC_ANALYST, Role.PANEL_MEMBER, Role.ADMINISTRATOR]
)
def test_other_roles_reach_no_person_row_for_any_purpose(role: str) -> None:
    person = make_person()
    Flag.objects.create(person=person, kind="other", reason="x" * 12, raised_at=timezone.now())
    someone = user(role, (CARMARTHENSHIRE,), force_wide=True)
    for action in ("view", "change", "create", "export", "aggregate", "delete"):
        assert not restrict(Person.objects.all(), someone, action).exists(), action
        assert not restrict(Flag.objects.all(), someone, action).exists(), action


@pytest.mark.parametrize("action", ["aggregate", "delete"])
def test_no_one_counts_or_deletes_person_rows(action: str) -> None:
    person = make_person()
    Flag.objects.create(person=person, kind="other", reason="x" * 12, raised_at=timezone.now())
    intelligence = user(Role.INTELLIGENCE_OFFICER, force_wide=True)
    assert not restrict(Person.objects.all(), intelligence, action).exists()
    assert not restrict(Flag.objects.all(), intelligence, action).exists()


def test_a_merge_is_in_scope_with_its_survivor() -> None:
    survivor = make_person(county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    duplicate = make_person("David", is_active=False, merged_into=survivor)
    merge = PersonMerge.objects.create(survivor=survivor, duplicate=duplicate, reason="Same.")
    assert list(restrict(PersonMerge.objects.all(), user(Role.INSPECTOR, (POWYS,)), "view")) == [
        merge
    ]
    assert not restrict(
        PersonMerge.objects.all(), user(Role.INSPECTOR, (CARMARTHENSHIRE,)), "view"
    ).exists()
