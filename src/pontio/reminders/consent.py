"""Which channel a message to the referred person may use, from what they agreed to.

The person chose how they may be contacted when referred (``Referral.contact_channels``,
their consent under UK GDPR Art. 6(1)(a) and PECR reg. 22 for electronic messages):

- a text message only when "text" is among them and the referral's phone number is a UK
  mobile (``core.phones`` and ``phonenumbers``: +44, mobile; outside production Ofcom's
  drama range 07700 900000-900999, which reaches nobody, counts, so the demo and tests
  behave like real numbers);
- an email only when "email" is among them and there is an address: the one the officer
  recorded on the referral with that consent (``Referral.contact_email``), else the
  person's current email address (``people.Email``);
- otherwise nothing is sent (``Channel.NONE``).

A text is preferred to an email: one reminder per message, on the channel most people read
within two hours. Checked again just before sending, so a withdrawn consent stops a
message already queued.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError

from pontio.core.phones import is_drama_number, normalise_uk_phone
from pontio.people.models import Email
from pontio.referrals.models import ContactChannel, Referral
from pontio.reminders.models import Channel

# The drama range of mobile numbers (the others are landline and special ranges).
DRAMA_MOBILE_PREFIX = "+447700900"


@dataclass(frozen=True)
class Reach:
    channel: str
    to: str = ""


def uk_mobile(number: str) -> str:
    """The number in E.164 if it is a UK mobile, else "" (``core.phones``: outside
    production, Ofcom's drama mobile range counts as one)."""
    try:
        e164 = normalise_uk_phone(number)
    except ValidationError:
        return ""
    if is_drama_number(e164):
        return e164 if e164.startswith(DRAMA_MOBILE_PREFIX) else ""
    parsed = phonenumbers.parse(e164, "GB")
    if phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.MOBILE:
        return ""
    return e164


def current_email(referral: Referral) -> str:
    if referral.contact_email:
        return referral.contact_email
    found = (
        Email.objects.filter(person_id=referral.person_id, is_current=True)
        .order_by("-recorded_at", "-pk")
        .values_list("address", flat=True)
        .first()
    )
    return found or ""


def reach_for(referral: Referral) -> Reach:
    channels = set(referral.contact_channels or [])
    if ContactChannel.TEXT in channels:
        mobile = uk_mobile(referral.contact_phone)
        if mobile:
            return Reach(Channel.SMS, mobile)
    if ContactChannel.EMAIL in channels:
        address = current_email(referral)
        if address:
            return Reach(Channel.EMAIL, address)
    return Reach(Channel.NONE)
