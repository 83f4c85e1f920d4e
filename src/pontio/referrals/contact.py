"""The contact route a referral must carry before it can be sent.

Referral forms reaching providers without a way to contact the person is one of the problems
the source documents name. A referral is refused until it has at least one working route:
a valid UK phone number, a full address (first line, town and a valid postcode), or a
custody release plan. Each chosen way of contacting must be possible with what is given.
The error says exactly what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from pontio.core.phones import normalise_uk_phone
from pontio.core.postcodes import is_postcode, normalise_postcode
from pontio.referrals.models import ContactChannel

PHONE_CHANNELS = frozenset({ContactChannel.PHONE, ContactChannel.TEXT})
ADDRESS_CHANNELS = frozenset({ContactChannel.LETTER, ContactChannel.VISIT})
REFERRAL_CHANNELS = (
    ContactChannel.PHONE,
    ContactChannel.TEXT,
    ContactChannel.LETTER,
    ContactChannel.VISIT,
    ContactChannel.EMAIL,
    ContactChannel.IN_PERSON,
)
MIN_RELEASE_PLAN = 15
# The column's length (``Referral.contact_email``, RFC 5321's limit).
EMAIL_MAX = 254


@dataclass
class ContactRoute:
    phone: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    address_town: str = ""
    address_postcode: str = ""
    release_plan: str = ""
    channels: list[str] = field(default_factory=list)
    # The address the person gave for email, with their consent (only for the "email" way;
    # it is not a contact route on its own, the provider still needs a phone, address or plan).
    email: str = ""


def check_contact_route(route: ContactRoute) -> ContactRoute:
    """The route cleaned (phone in E.164, postcode formatted), or ValidationError."""
    errors: dict[str, list[str]] = {}
    phone = ""
    if route.phone.strip():
        try:
            phone = normalise_uk_phone(route.phone)
        except ValidationError:
            errors["contact_phone"] = [
                _("Enter a UK phone number, like 01267 226000 or 07700 900982")
            ]
    email = route.email.strip()
    if email:
        try:
            if len(email) > EMAIL_MAX:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = [
                _("Enter an email address in the correct format, like name@example.com")
            ]
    line_1 = route.address_line_1.strip()
    town = route.address_town.strip()
    postcode = normalise_postcode(route.address_postcode)
    address_started = any(
        v.strip()
        for v in (
            route.address_line_1,
            route.address_line_2,
            route.address_town,
            route.address_postcode,
        )
    )
    address_ok = False
    if address_started:
        if not line_1:
            errors["address_line_1"] = [_("Enter the first line of the address")]
        if not town:
            errors["address_town"] = [_("Enter the town or city")]
        if not postcode:
            errors["address_postcode"] = [_("Enter the postcode")]
        elif not is_postcode(postcode):
            errors["address_postcode"] = [_("Enter a real postcode, like SA31 1AB")]
        address_ok = not {"address_line_1", "address_town", "address_postcode"} & set(errors)
    plan = route.release_plan.strip()
    if plan and len(plan) < MIN_RELEASE_PLAN:
        errors["release_plan"] = [
            _("Describe the release plan: when the person is released and where they will go")
        ]
    plan_ok = bool(plan) and "release_plan" not in errors
    channels = [c for c in route.channels if c]
    unknown = [c for c in channels if c not in REFERRAL_CHANNELS]
    if unknown:
        errors["contact_channels"] = [_("Choose how to contact the person from the list")]
    elif not channels:
        errors["contact_channels"] = [_("Choose at least one way to contact the person")]
    else:
        missing = []
        if PHONE_CHANNELS & set(channels) and not phone and "contact_phone" not in errors:
            missing.append(_("You chose phone or text: enter a phone number"))
        if ADDRESS_CHANNELS & set(channels) and not address_ok and not address_started:
            missing.append(_("You chose letter or home visit: enter the address"))
        if ContactChannel.EMAIL in channels and not email:
            missing.append(_("You chose email: enter an email address"))
        if ContactChannel.IN_PERSON in channels and not plan_ok and "release_plan" not in errors:
            missing.append(_("You chose in person: enter the custody release plan"))
        if missing:
            errors["contact_channels"] = missing
    route_errors = {"contact_phone", "address_line_1", "address_town", "address_postcode"}
    if not (phone or address_ok or plan_ok) and not (route_errors | {"release_plan"}) & set(errors):
        errors["__all__"] = [
            _(
                "The provider has no way to contact the person. Enter a UK phone number, "
                "a full address (first line, town and postcode) or a custody release plan"
            )
        ]
    if errors:
        raise ValidationError(errors, code="contact_route")
    return ContactRoute(
        phone=phone,
        address_line_1=line_1 if address_ok else "",
        address_line_2=route.address_line_2.strip() if address_ok else "",
        address_town=town if address_ok else "",
        address_postcode=postcode if address_ok else "",
        release_plan=plan,
        channels=channels,
        email=email,
    )
