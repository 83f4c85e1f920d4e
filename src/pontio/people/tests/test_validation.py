"""The rules of a person's values (people.validation), each written once and tested here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from pontio.people import validation

TODAY = dt.date(2026, 6, 15)


def _refusal(check: object, *args: object, **kwargs: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        check(*args, **kwargs)  # type: ignore[operator]
    return caught.value.message_dict


# --- date of birth ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "message"),
    [
        (dt.date(2026, 6, 16), "Date of birth must be in the past"),
        (dt.date(1899, 12, 31), "Date of birth must be after 1 January 1900"),
        (dt.date(1906, 6, 14), "Check the date of birth: the person would be over 120"),
    ],
)
def test_an_impossible_date_of_birth_is_refused(dob: dt.date, message: str) -> None:
    assert _refusal(validation.validate_date_of_birth, dob, TODAY) == {"date_of_birth": [message]}


@pytest.mark.parametrize("dob", [None, TODAY, dt.date(1906, 6, 15), dt.date(1990, 3, 27)])
def test_a_possible_date_of_birth_is_accepted(dob: dt.date | None) -> None:
    validation.validate_date_of_birth(dob, TODAY)


def test_the_age_limit_on_the_29th_of_february_falls_on_the_28th() -> None:
    leap = dt.date(2020, 2, 29)  # 120 years before, 1900 had no 29 February
    validation.validate_date_of_birth(dt.date(1900, 2, 28), leap)
    assert _refusal(validation.validate_date_of_birth, dt.date(1900, 2, 27), leap) == {
        "date_of_birth": ["Check the date of birth: the person would be over 120"]
    }


# --- PNC ID, postcode, phone, email ---------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [(" 12/345678x ", "12/345678X"), ("", "")])
def test_a_pnc_id_is_normalised(typed: str, stored: str) -> None:
    assert validation.check_pnc_format(typed) == stored


@pytest.mark.parametrize("typed", ["12345678X", "123/4567X", "12/12345678X", "12/3456"])
def test_a_pnc_id_in_another_format_is_refused(typed: str) -> None:
    assert _refusal(validation.check_pnc_format, typed) == {
        "pnc_id": ["Enter a PNC ID in the correct format, like 12/345678A"]
    }


def test_a_postcode_is_normalised_or_refused() -> None:
    assert validation.clean_postcode("sa311aa") == "SA31 1AA"
    assert _refusal(validation.clean_postcode, "SA31") == {
        "postcode": ["Enter a real postcode, like SA31 1AA"]
    }


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("07912 345678", "mobile"), ("01267 226000", "landline"), ("07000 123456", "landline")],
)
def test_a_phone_number_is_stored_with_its_kind(typed: str, kind: str) -> None:
    assert validation.clean_phone(typed)[1] == kind


def test_a_drama_number_is_refused_in_production() -> None:
    with override_settings(PONTIO_ENV="production"):
        assert _refusal(validation.clean_phone, "07700 900123") == {
            "number": ["Enter a UK phone number, like 01267 226000 or 07700 900982"]
        }


def test_an_email_address_is_lower_cased_or_refused() -> None:
    assert validation.clean_email(" Nia@Example.COM ") == "nia@example.com"
    assert _refusal(validation.clean_email, "nia@") == {
        "address": ["Enter an email address in the correct format, like name@example.com"]
    }


# --- address and consent dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("moved", "dob", "message"),
    [
        (dt.date(2026, 6, 16), None, "The date they moved in must be today or in the past"),
        (
            dt.date(1990, 3, 26),
            dt.date(1990, 3, 27),
            "The date they moved in must be on or after their date of birth",
        ),
        (dt.date(1899, 12, 31), None, "The date must be on or after 1 January 1900"),
    ],
)
def test_an_implausible_move_in_date_is_refused(
    moved: dt.date, dob: dt.date | None, message: str
) -> None:
    assert _refusal(validation.check_moved_in, moved, date_of_birth=dob, today=TODAY) == {
        "valid_from": [message]
    }


@pytest.mark.parametrize(
    ("moved", "dob"),
    [(TODAY, None), (dt.date(1990, 3, 27), dt.date(1990, 3, 27)), (dt.date(1900, 1, 1), None)],
)
def test_a_plausible_move_in_date_is_accepted(moved: dt.date, dob: dt.date | None) -> None:
    validation.check_moved_in(moved, date_of_birth=dob, today=TODAY)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(2026, 6, 16), "The date must be today or in the past"),
        (dt.date(1999, 12, 31), "The date must be on or after 1 January 2000"),
    ],
)
def test_an_implausible_consent_date_is_refused(day: dt.date, message: str) -> None:
    assert _refusal(validation.check_consent_date, day, TODAY) == {"date": [message]}


@pytest.mark.parametrize("day", [dt.date(2000, 1, 1), TODAY])
def test_a_plausible_consent_date_is_accepted(day: dt.date) -> None:
    validation.check_consent_date(day, TODAY)
