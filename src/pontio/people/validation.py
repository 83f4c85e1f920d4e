"""The rules of a person record's values, written once.

Each function takes a typed value and returns it normalised, or raises a ``ValidationError``
naming the field, with the message the user sees. The services apply them before any write;
step 1 of "add a person", which saves nothing, asks them through
``services.identity_check`` so that its form shows the same messages. Forms parse input and
report these errors; they never repeat the rules.

Dates (``core.dates`` for the force-wide bounds):

- a date of birth is from ``EARLIEST_BIRTH`` to today, and the person is at most
  ``MAX_AGE_YEARS`` old;
- the date someone moved into an address is not in the future and not before their date of
  birth (or ``EARLIEST_BIRTH`` when that is unknown): address history often predates any
  police record, so ``EARLIEST_EVENT`` would refuse true histories;
- a consent or lawful-basis record is dated from ``EARLIEST_EVENT`` (no consent Pontio
  records predates it) to today.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.core.dates import EARLIEST_BIRTH, EARLIEST_EVENT, check_between
from pontio.core.phones import normalise_uk_phone
from pontio.core.postcodes import is_postcode, normalise_postcode
from pontio.people.models import PNC_ID_RE, Phone, normalise_pnc_id

MAX_AGE_YEARS = 120


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def validate_date_of_birth(value: dt.date | None, today: dt.date | None = None) -> None:
    if value is None:
        return
    today = _today(today)
    if value > today:
        raise ValidationError(
            {"date_of_birth": [_("Date of birth must be in the past")]}, code="future"
        )
    if value < EARLIEST_BIRTH:
        raise ValidationError(
            {"date_of_birth": [_("Date of birth must be after 1 January 1900")]}, code="too_old"
        )
    if value < _years_before(today, MAX_AGE_YEARS):
        raise ValidationError(
            {"date_of_birth": [_("Check the date of birth: the person would be over 120")]},
            code="too_old",
        )


def check_pnc_format(value: str) -> str:
    """The PNC ID normalised (``""`` if none), or the format error on ``pnc_id``."""
    pnc_id = normalise_pnc_id(value)
    if pnc_id and not PNC_ID_RE.match(pnc_id):
        raise ValidationError(
            {"pnc_id": [_("Enter a PNC ID in the correct format, like 12/345678A")]},
            code="pnc_format",
        )
    return pnc_id


def clean_postcode(value: str, *, field: str = "postcode") -> str:
    if not is_postcode(value):
        raise ValidationError({field: [_("Enter a real postcode, like SA31 1AA")]}, code="postcode")
    return normalise_postcode(value)


def clean_phone(value: str) -> tuple[str, str]:
    """A UK number as (E.164, kind); ValidationError with the GOV.UK message otherwise."""
    try:
        e164 = normalise_uk_phone(value)
    except ValidationError:
        raise ValidationError(
            {"number": [_("Enter a UK phone number, like 01267 226000 or 07700 900982")]},
            code="phone",
        ) from None
    mobile = e164.startswith("+447") and not e164.startswith("+4470")
    return e164, (Phone.Kind.MOBILE if mobile else Phone.Kind.LANDLINE)


def clean_email(value: str) -> str:
    address = (value or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            {"address": [_("Enter an email address in the correct format, like name@example.com")]},
            code="email",
        ) from None
    return address


def check_moved_in(
    value: dt.date, *, date_of_birth: dt.date | None, today: dt.date | None = None
) -> None:
    """When someone moved into an address: not in the future, not before they were born."""
    if value > _today(today):
        raise ValidationError(
            {"valid_from": [_("The date they moved in must be today or in the past")]},
            code="future",
        )
    if date_of_birth is not None and value < date_of_birth:
        raise ValidationError(
            {"valid_from": [_("The date they moved in must be on or after their date of birth")]},
            code="before_birth",
        )
    check_between(value, earliest=EARLIEST_BIRTH, field="valid_from")


def check_consent_date(value: dt.date, today: dt.date | None = None) -> None:
    if value > _today(today):
        raise ValidationError({"date": [_("The date must be today or in the past")]}, code="future")
    check_between(value, earliest=EARLIEST_EVENT, field="date")
