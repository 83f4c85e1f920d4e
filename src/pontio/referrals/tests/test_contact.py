"""The contact route a referral must carry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pontio.referrals.contact import ContactRoute, check_contact_route


def _errors(route: ContactRoute) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        check_contact_route(route)
    return error.value.message_dict


def test_no_route_at_all_says_what_would_do() -> None:
    errors = _errors(ContactRoute(channels=["visit"]))
    assert errors["contact_channels"] == ["You chose letter or home visit: enter the address"]
    assert errors["__all__"] == [
        "The provider has no way to contact the person. Enter a UK phone number, a full "
        "address (first line, town and postcode) or a custody release plan"
    ]


def test_nothing_entered_names_the_three_possible_routes() -> None:
    errors = _errors(ContactRoute(channels=["in_person"], release_plan=""))
    assert errors["contact_channels"] == ["You chose in person: enter the custody release plan"]
    errors = _errors(ContactRoute(channels=["phone"]))
    assert errors["contact_channels"] == ["You chose phone or text: enter a phone number"]


def test_a_phone_number_that_is_not_uk_is_refused() -> None:
    errors = _errors(ContactRoute(phone="12345", channels=["phone"]))
    assert errors["contact_phone"] == ["Enter a UK phone number, like 01267 226000 or 07700 900982"]


def test_a_partial_address_names_each_missing_part() -> None:
    errors = _errors(ContactRoute(address_line_1="2 Stryd Fawr", channels=["letter"]))
    assert errors["address_town"] == ["Enter the town or city"]
    assert errors["address_postcode"] == ["Enter the postcode"]
    errors = _errors(
        ContactRoute(
            address_line_1="2 Stryd Fawr",
            address_town="Tregaron",
            address_postcode="XX",
            channels=["letter"],
        )
    )
    assert errors["address_postcode"] == ["Enter a real postcode, like SA31 1AB"]


def test_a_release_plan_must_say_something() -> None:
    errors = _errors(ContactRoute(release_plan="soon", channels=["in_person"]))
    assert errors["release_plan"][0].startswith("Describe the release plan")


def test_a_route_with_no_channel_is_refused() -> None:
    errors = _errors(ContactRoute(phone="07700 900123"))
    assert errors["contact_channels"] == ["Choose at least one way to contact the person"]


def test_a_valid_phone_is_stored_in_international_form() -> None:
    route = check_contact_route(ContactRoute(phone="07700 900123", channels=["phone"]))
    assert route.phone == "+447700900123"


def test_an_address_alone_is_enough_and_the_postcode_is_formatted() -> None:
    route = check_contact_route(
        ContactRoute(
            address_line_1="2 Stryd Fawr",
            address_town="Tregaron",
            address_postcode="sy256ab",
            channels=["letter"],
        )
    )
    assert route.address_postcode == "SY25 6AB"


def test_a_custody_release_plan_alone_is_enough() -> None:
    plan = "Released 14:00 from Llanelli custody suite; will go to his mother's in Felinfoel"
    route = check_contact_route(ContactRoute(release_plan=plan, channels=["in_person"]))
    assert route.release_plan == plan
