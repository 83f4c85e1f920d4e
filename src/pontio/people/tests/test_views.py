"""Person pages end to end: scope and break-glass, create with matches, merge, flags, API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.conftest import sign_in_client
from tests.factories import CARMARTHENSHIRE, CEREDIGION, POWYS, UserFactory, county

from pontio.accounts.events import AccountEvent
from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.people.models import Flag, Person, PersonMerge, Phone
from pontio.people.tests.helpers import make_person

pytestmark = pytest.mark.django_db


def _client(role: str, counties: tuple[str, ...] = (), force_wide: bool = False) -> Client:
    user = UserFactory(roles=[role], counties=list(counties), force_wide=force_wide)
    return sign_in_client(user)


def _text(response: Any) -> str:
    return response.content.decode()


def _denials(**kwargs: Any) -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED, **kwargs).count()


# --- scope --------------------------------------------------------------------------------


def test_county_officer_sees_own_county_and_unplaced_people_only() -> None:
    carms = make_person("Nia", "Lewis", county_code=CARMARTHENSHIRE)
    powys = make_person("Huw", "Pugh", county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    unplaced = make_person("Cai", "Bevan")
    client = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    page = _text(client.get(reverse("people:list")))
    assert "Lewis, Nia" in page and "Bevan, Cai" in page
    assert "Pugh, Huw" not in page
    assert client.get(reverse("people:detail", args=[carms.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[unplaced.pk])).status_code == 200
    read = AuditEvent.objects.filter(action=AuditAction.READ, object_type="people.person")
    assert read.filter(person_id=str(carms.pk)).exists()

    # Another county's person: the denial is audited and the officer is asked for a reason.
    before = _denials(object_id=str(powys.pk))
    url = reverse("people:detail", args=[powys.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("accounts:break-glass", args=["people.person", powys.pk])
    )
    assert _denials(object_id=str(powys.pk)) == before + 1
    # Editing it is simply not found (no break-glass for changes).
    assert client.get(reverse("people:edit", args=[powys.pk])).status_code == 404
    # Break-glass with a reason opens it for reading.
    client.post(response["Location"], {"reason": "Arrested in Carmarthen tonight, need history."})
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action=AccountEvent.BREAK_GLASS, object_id=str(powys.pk))


def test_moving_a_person_out_of_the_county_moves_them_out_of_scope() -> None:
    person = make_person("Nia", "Lewis", county_code=CARMARTHENSHIRE)
    carms = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    response = carms.post(
        reverse("people:address-add", args=[person.pk]),
        {
            "version": 1,
            "line_1": "3 Heol Las",
            "town": "Aberystwyth",
            "county": str(county(CEREDIGION).pk),
            "postcode": "sy23 1aa",
            "valid_from_0": "1",
            "valid_from_1": "2",
            "valid_from_2": "2025",
        },
    )
    assert response.status_code == 302
    assert carms.get(reverse("people:edit", args=[person.pk])).status_code == 404
    ceredigion = _client(Role.INSPECTOR, (CEREDIGION,))
    assert ceredigion.get(reverse("people:detail", args=[person.pk])).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.PROVIDER_CASEWORKER, Role.PROVIDER_MANAGER, Role.OPCC_ANALYST, Role.PANEL_MEMBER]
)
def test_providers_opcc_and_panel_are_refused_and_the_denial_is_logged(role: str) -> None:
    person = make_person("Nia", "Lewis")
    client = _client(role, (CARMARTHENSHIRE,))
    for url in (
        reverse("people:list"),
        reverse("people:detail", args=[person.pk]),
        reverse("people:create"),
        reverse("api-person-detail", args=[person.pk]),
    ):
        before = _denials()
        assert client.get(url).status_code == 403, url
        assert _denials() == before + 1


# --- create with matches ------------------------------------------------------------------


def _identity(**overrides: str) -> dict[str, str]:
    data = {
        "given_name": "David",
        "family_name": "Jones",
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1990",
        "pnc_id": "",
        "postcode": "",
    }
    data.update(overrides)
    return data


def test_create_shows_likely_matches_with_reasons_then_creates() -> None:
    existing = make_person("Dafydd", "Jones", dt.date(1990, 3, 27), county_code=POWYS,
                           postcode="LD3 7AB", town="Brecon")  # fmt: skip
    client = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(reverse("people:create"), _identity())
    assert response.status_code == 302
    assert response["Location"] == reverse("people:create-matches")
    page = _text(client.get(response["Location"]))
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
    assert 'value="David"' in _text(details)
    data = _identity()
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
    client = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(reverse("people:create"), _identity(**overrides))
    assert response.status_code == 200
    assert message in _text(response)
    assert "pontio_people_new_identity" not in client.session


def test_duplicate_pnc_at_step_two_is_refused_and_nothing_saved() -> None:
    make_person("Rhys", "Morgan", pnc_id="12/345678A", county_code=POWYS, postcode="LD3 7AB")
    client = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    client.post(reverse("people:create"), _identity(pnc_id="12/345678A"))
    data = _identity(pnc_id="12/345678a")
    data.update({"gender": "male", "self_defined_ethnicity": "NS", "preferred_language": "en"})
    response = client.post(reverse("people:create-details"), data)
    assert response.status_code == 200
    assert "This PNC ID already belongs to another person" in _text(response)
    assert Person.objects.count() == 1


def test_steps_two_and_three_without_step_one_go_back_to_step_one() -> None:
    client = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    for name in ("people:create-matches", "people:create-details"):
        response = client.get(reverse(name))
        assert response["Location"] == reverse("people:create")


def test_search_is_a_post_and_finds_sound_alike_names() -> None:
    make_person("Siân", "Llywelyn", county_code=CARMARTHENSHIRE)
    make_person("Huw", "Pugh", county_code=CARMARTHENSHIRE)
    client = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(reverse("people:list"), {"name": "Llewellyn"})
    assert response["Location"] == reverse("people:list")
    page = _text(client.get(reverse("people:list")))
    assert "Llywelyn, Siân" in page and "Pugh" not in page
    client.post(reverse("people:list"), {"clear": "1"})
    assert "Pugh" in _text(client.get(reverse("people:list")))


# --- parts, flags -----------------------------------------------------------------------


def test_invalid_phone_on_the_page_shows_the_message_and_saves_nothing() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = _client(Role.CUSTODY_OFFICER, (CARMARTHENSHIRE,))
    url = reverse("people:phone-add", args=[person.pk])
    response = client.post(url, {"number": "0123"})
    assert "Enter a UK phone number, like 01267 226000 or 07700 900982" in _text(response)
    assert not Phone.objects.exists()
    assert client.post(url, {"number": "07700 900123"}).status_code == 302
    assert "07700 900123" in _text(client.get(reverse("people:detail", args=[person.pk])))


def test_flag_raise_and_resolve_through_the_pages() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(
        reverse("people:flag-raise", args=[person.pk]),
        {"kind": "risk_to_staff", "reason": "Spat at staff during booking in."},
    )
    assert response.status_code == 302
    flag = Flag.objects.get(person=person)
    detail = _text(client.get(reverse("people:detail", args=[person.pk])))
    assert "Spat at staff during booking in." in detail
    url = reverse("people:flag-resolve", args=[person.pk, flag.pk])
    response = client.post(url, {"version": 1, "resolution": "short"})
    assert "Explain in at least 10 characters how the flag was resolved" in _text(response)
    response = client.post(url, {"version": 1, "resolution": "Reviewed: behaviour improved."})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.resolution == "Reviewed: behaviour improved." and not flag.is_open
    # Resolved flags cannot be resolved again.
    assert client.get(url).status_code == 404


def test_consent_through_the_page() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(
        reverse("people:consent-add", args=[person.pk]),
        {
            "purpose": "referral_to_treatment",
            "basis": "consent",
            "given": "yes",
            "date_0": "2",
            "date_1": "1",
            "date_2": "2026",
        },
    )
    assert response.status_code == 302
    page = _text(client.get(reverse("people:detail", args=[person.pk])))
    assert "Referral to treatment or support" in page


# --- merge --------------------------------------------------------------------------------


def test_merge_flow_and_undo_through_the_pages() -> None:
    survivor = make_person("Dafydd", "Jones", dt.date(1990, 3, 7), county_code=CARMARTHENSHIRE)
    duplicate = make_person("David", "Jones", dt.date(1990, 7, 3), county_code=CARMARTHENSHIRE)
    client = _client(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    detail = _text(client.get(reverse("people:detail", args=[survivor.pk])))
    assert "Possible duplicates" in detail and "David Jones" in detail
    url = reverse("people:merge", args=[survivor.pk])
    choose = _text(client.get(url))
    assert f"?duplicate={duplicate.pk}" in choose
    confirm_url = f"{url}?duplicate={duplicate.pk}"
    confirm = client.get(confirm_url)
    assert confirm.status_code == 200 and "Merge the records" in _text(confirm)
    response = client.post(confirm_url, {"survivor_version": 1, "duplicate_version": 1})
    assert "Enter why these records are the same person" in _text(response)
    response = client.post(
        confirm_url,
        {"survivor_version": 1, "duplicate_version": 1, "reason": "Same custody photograph."},
    )
    assert response.status_code == 302
    merge = PersonMerge.objects.get()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert "Merge history" in _text(client.get(reverse("people:detail", args=[survivor.pk])))
    assert "no longer used" in _text(client.get(reverse("people:detail", args=[duplicate.pk])))

    unmerge = reverse("people:unmerge", args=[survivor.pk])
    assert "Undo the merge" in _text(client.get(f"{unmerge}?merge={merge.pk}"))
    response = client.post(unmerge, {"merge": merge.pk, "reason": "Different people: twins."})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.is_active and duplicate.merged_into is None


def test_conflicting_merge_shows_the_conflict_and_refuses() -> None:
    a = make_person("Rhys", "Evans", dt.date(1980, 1, 2), pnc_id="11/1A",
                    county_code=CARMARTHENSHIRE)  # fmt: skip
    b = make_person("Rhys", "Evans", dt.date(1980, 1, 2), pnc_id="12/2B",
                    county_code=CARMARTHENSHIRE)  # fmt: skip
    client = _client(Role.INSPECTOR, force_wide=True)
    url = f"{reverse('people:merge', args=[a.pk])}?duplicate={b.pk}"
    page = _text(client.get(url))
    assert "The records have different PNC IDs" in page and "Merge the records" not in page
    response = client.post(
        url, {"survivor_version": 1, "duplicate_version": 1, "reason": "Looks the same to me."}
    )
    assert "The records have different PNC IDs" in _text(response)
    assert not PersonMerge.objects.exists()


def test_officers_cannot_merge() -> None:
    a = make_person(county_code=CARMARTHENSHIRE)
    client = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    before = _denials()
    assert client.get(reverse("people:merge", args=[a.pk])).status_code == 403
    assert _denials() == before + 1


# --- API ------------------------------------------------------------------------------------


def test_api_lists_people_in_scope_and_hides_others() -> None:
    carms = make_person("Nia", "Lewis", county_code=CARMARTHENSHIRE)
    powys = make_person("Huw", "Pugh", county_code=POWYS, postcode="LD3 7AB", town="Brecon")
    client = _client(Role.OFFICER, (CARMARTHENSHIRE,))
    listing = client.get(reverse("api-person-list")).json()
    ids = (
        {row["id"] for row in listing["results"]}
        if "results" in listing
        else {row["id"] for row in listing}
    )
    assert carms.pk in ids and powys.pk not in ids
    detail = client.get(reverse("api-person-detail", args=[carms.pk]))
    assert detail.status_code == 200
    body = detail.json()
    assert body["addresses"][0]["postcode"] == "SA31 1AA"
    assert body["addresses"][0]["county"] == CARMARTHENSHIRE
    missing = client.get(reverse("api-person-detail", args=[powys.pk]))
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"


def test_seed_people_is_idempotent(settings: Any) -> None:
    from pontio.people.demo import seed_people

    first = seed_people(count=30, duplicates=3)
    assert first.created >= 30
    again = seed_people(count=30, duplicates=3)
    assert again.created == 0
    assert Person.objects.count() == first.created
    postcodes = set(Person.objects.values_list("addresses__postcode", flat=True))
    assert all(p is None or " " in p for p in postcodes)
    assert all(
        number.startswith(("+447700900", "+441632960"))
        for number in Phone.objects.values_list("number", flat=True)
    )


def test_refused_duplicate_pnc_and_conflicting_merge_are_logged() -> None:
    make_person("Rhys", "Morgan", pnc_id="12/345678A")
    client = _client(Role.CUSTODY_SERGEANT, force_wide=True)
    client.post(reverse("people:create"), _identity(pnc_id="12/345678A"))
    data = _identity(pnc_id="12/345678A")
    data.update({"gender": "male", "self_defined_ethnicity": "NS", "preferred_language": "en"})
    before = _denials()
    client.post(reverse("people:create-details"), data)
    assert _denials() == before + 1
    assert AuditEvent.objects.filter(reason__startswith="refused: PNC ID").exists()

    a = make_person("Huw", "Pugh", dt.date(1980, 1, 2), pnc_id="11/1A")
    b = make_person("Huw", "Pugh", dt.date(1980, 1, 2), pnc_id="13/2B")
    url = f"{reverse('people:merge', args=[a.pk])}?duplicate={b.pk}"
    client.post(url, {"survivor_version": 1, "duplicate_version": 1, "reason": "Same man, surely."})
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, person_id=str(a.pk), reason__startswith="merge refused"
    ).exists()
    assert not PersonMerge.objects.exists()
