"""Pages that add to a record (views.parts): addresses, phones, flags, consent."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.factories import CARMARTHENSHIRE, CEREDIGION, county

from pontio.accounts.roles import Role
from pontio.people.models import Address, ConsentRecord, Flag, Phone
from pontio.people.tests.helpers import (
    HUGE_YEAR,
    make_person,
    sign_in_as,
    text,
)

pytestmark = pytest.mark.django_db


def test_moving_a_person_out_of_the_county_moves_them_out_of_scope() -> None:
    person = make_person("Nia", "Lewis", county_code=CARMARTHENSHIRE)
    carms = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
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
    # Back to the search, told why: the record's own page would now ask for a reason.
    assert response.status_code == 302
    assert response["Location"] == reverse("people:list")
    assert "no longer open to you" in text(carms.get(response["Location"]))
    assert carms.get(reverse("people:edit", args=[person.pk])).status_code == 404
    ceredigion = sign_in_as(Role.INSPECTOR, (CEREDIGION,))
    assert ceredigion.get(reverse("people:detail", args=[person.pk])).status_code == 200


def test_a_move_within_the_users_area_returns_to_the_record() -> None:
    person = make_person("Nia", "Lewis", county_code=CARMARTHENSHIRE)
    carms = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = carms.post(
        reverse("people:address-add", args=[person.pk]),
        {
            "version": 1,
            "line_1": "3 Stepney Street",
            "town": "Llanelli",
            "county": str(county(CARMARTHENSHIRE).pk),
            "postcode": "sa15 3ty",
            "valid_from_0": "1",
            "valid_from_1": "2",
            "valid_from_2": "2025",
        },
    )
    assert response["Location"] == reverse("people:detail", args=[person.pk])


def test_invalid_phone_on_the_page_shows_the_message_and_saves_nothing() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.CUSTODY_OFFICER, (CARMARTHENSHIRE,))
    url = reverse("people:phone-add", args=[person.pk])
    response = client.post(url, {"number": "0123"})
    assert "Enter a UK phone number, like 01267 226000 or 07700 900982" in text(response)
    assert not Phone.objects.exists()
    assert client.post(url, {"number": "07700 900123"}).status_code == 302
    assert "07700 900123" in text(client.get(reverse("people:detail", args=[person.pk])))


def test_flag_raise_and_resolve_through_the_pages() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(
        reverse("people:flag-raise", args=[person.pk]),
        {"kind": "risk_to_staff", "reason": "Spat at staff during booking in."},
    )
    assert response.status_code == 302
    flag = Flag.objects.get(person=person)
    detail = text(client.get(reverse("people:detail", args=[person.pk])))
    assert "Spat at staff during booking in." in detail
    url = reverse("people:flag-resolve", args=[person.pk, flag.pk])
    response = client.post(url, {"version": 1, "resolution": "short"})
    assert "Explain in at least 10 characters how the flag was resolved" in text(response)
    response = client.post(url, {"version": 1, "resolution": "Reviewed: behaviour improved."})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.resolution == "Reviewed: behaviour improved." and not flag.is_open
    # Resolved flags cannot be resolved again.
    assert client.get(url).status_code == 404


def test_consent_through_the_page() -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
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
    page = text(client.get(reverse("people:detail", args=[person.pk])))
    assert "Referral to treatment or support" in page


# --- bad input: three-box dates ------------------------------------------------------------


def _address(**overrides: str) -> dict[str, str]:
    data = {
        "version": "1",
        "line_1": "3 Heol Las",
        "town": "Carmarthen",
        "county": str(county(CARMARTHENSHIRE).pk),
        "postcode": "SA31 1AA",
        "valid_from_0": "1",
        "valid_from_1": "2",
        "valid_from_2": "2025",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (HUGE_YEAR, "The year must include 4 numbers"),
        ("1850", "The date they moved in must be on or after their date of birth"),
        ("2999", "The date they moved in must be today or in the past"),
    ],
)
def test_a_bad_move_in_date_is_refused_clearly_and_nothing_saved(year: str, message: str) -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(
        reverse("people:address-add", args=[person.pk]), _address(valid_from_2=year)
    )
    assert response.status_code == 200
    assert message in text(response)
    assert Address.objects.filter(person=person).count() == 1
    person.refresh_from_db()
    assert person.version == 1


def _consent(**overrides: str) -> dict[str, str]:
    data = {
        "purpose": "referral_to_treatment",
        "basis": "consent",
        "given": "yes",
        "date_0": "2",
        "date_1": "1",
        "date_2": "2026",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (HUGE_YEAR, "The year must include 4 numbers"),
        ("1999", "The date must be on or after 1 January 2000"),
        ("2999", "The date must be today or in the past"),
    ],
)
def test_a_bad_consent_date_is_refused_clearly_and_nothing_saved(year: str, message: str) -> None:
    person = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    response = client.post(reverse("people:consent-add", args=[person.pk]), _consent(date_2=year))
    assert response.status_code == 200
    assert message in text(response)
    assert not ConsentRecord.objects.exists()


def test_a_flag_is_dated_by_the_service_not_by_a_box() -> None:
    """Flags have no date boxes: raised and resolved are the moments they happen."""
    from pontio.people.forms import FlagForm, FlagResolveForm

    assert not any("date" in name or "_at" in name for name in FlagForm.base_fields)
    assert not any("date" in name or "_at" in name for name in FlagResolveForm.base_fields)
