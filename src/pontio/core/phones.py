"""UK telephone numbers: validated with ``phonenumbers``, stored E.164, shown national.

Used by people (phones of a person) and the directory (phones of a service).
Ofcom reserves some ranges for drama (TV, film, and our demo data); ``phonenumbers`` calls
them invalid because they never connect. They are accepted everywhere except production.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Ofcom drama ranges (E.164 prefixes with the number of digits after the prefix).
DRAMA_RANGES = (
    ("+441632960", 3),
    ("+447700900", 3),
    ("+44207946", 4),
    ("+441134960", 3),
    ("+441214960", 3),
    ("+441314960", 3),
    ("+441514960", 3),
    ("+441614960", 3),
    ("+441174960", 3),
    ("+442890180", 3),
    ("+442920180", 3),
    ("+448081570", 3),
    ("+449098790", 3),
)


def is_drama_number(e164: str) -> bool:
    return any(
        e164.startswith(prefix) and len(e164) == len(prefix) + digits and e164[1:].isdigit()
        for prefix, digits in DRAMA_RANGES
    )


def invalid_phone_message() -> str:
    return _("Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")


def normalise_uk_phone(value: str) -> str:
    """The number in E.164 form, or a ValidationError with the GOV.UK message."""
    text = (value or "").strip()
    try:
        parsed = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValidationError(invalid_phone_message(), code="invalid_phone") from None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if parsed.country_code != 44:
        raise ValidationError(invalid_phone_message(), code="invalid_phone")
    if phonenumbers.is_valid_number(parsed):
        return e164
    if settings.PONTIO_ENV != "production" and is_drama_number(e164):
        return e164
    raise ValidationError(invalid_phone_message(), code="invalid_phone")


def national_format(e164: str) -> str:
    try:
        parsed = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
