"""Reads of the FHIR interface, every one through ``restrict`` (the referrals' scope policies).

Polling (``Task?_lastUpdated=gt...``) pages by a keyset on (``updated_at``, ``id``), never
by offset: a page's ``next`` link names the last row it returned, so rows that change or
appear between two pages never shift the others (no row is skipped or repeated); a row
changed after it was returned comes again later, with its new version, which is what a
poller wants.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.core.scopes import restrict
from pontio.interop.errors import invalid
from pontio.referrals.models import Appointment, Referral

DEFAULT_COUNT = 20
MAX_COUNT = 100
PREFIXES = ("gt", "ge", "lt", "le")


def referrals(user: User) -> QuerySet[Referral]:
    """The referrals the caller may see, with what every resource of them needs."""
    return restrict(
        Referral.objects.select_related(
            "service", "provider", "referring_organisation", "status_code", "person"
        ),
        user,
        "view",
    )


def appointments(user: User) -> QuerySet[Appointment]:
    return restrict(Appointment.objects.select_related("referral"), user, "view")


def latest_referral_of(user: User, person_id: int) -> Referral | None:
    """The newest referral of the person the caller may see (its copy of the contact route
    is what the provider holds)."""
    return referrals(user).filter(person_id=person_id).order_by("-sent_at", "-pk").first()


def parse_instant(text: str, parameter: str) -> dt.datetime:
    """A FHIR instant with its time zone (a date alone is refused: say when exactly)."""
    value = parse_datetime(text.strip().replace(" ", "+"))
    if value is None or value.tzinfo is None:
        raise invalid(
            _(
                "%(parameter)s needs an instant with a time zone, such as "
                "gt2026-03-01T09:00:00Z, not “%(value)s”"
            )
            % {"parameter": parameter, "value": text[:40]},
            expression=parameter,
        )
    return value


def last_updated_filter(values: list[str]) -> Q:
    """``_lastUpdated`` prefixes gt, ge, lt and le, each at most once (a range)."""
    condition = Q()
    seen: set[str] = set()
    lookups = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
    for value in values:
        prefix = value[:2]
        if prefix not in PREFIXES:
            raise invalid(
                _("_lastUpdated must start with gt, ge, lt or le, such as gt2026-03-01T09:00:00Z"),
                expression="_lastUpdated",
            )
        if prefix in seen:
            raise invalid(
                _("Give _lastUpdated with %(prefix)s once") % {"prefix": prefix},
                expression="_lastUpdated",
            )
        seen.add(prefix)
        at = parse_instant(value[2:], "_lastUpdated")
        condition &= Q(**{f"updated_at__{lookups[prefix]}": at})
    return condition


def parse_count(values: list[str]) -> int:
    if not values:
        return DEFAULT_COUNT
    if len(values) > 1 or not values[0].isdigit():
        raise invalid(
            _("_count must be one whole number from 0 to %(max)s") % {"max": MAX_COUNT},
            expression="_count",
        )
    # FHIR lets a server return fewer than asked: more than the most is the most.
    return min(int(values[0]), MAX_COUNT)


@dataclass(frozen=True)
class Cursor:
    updated_at: dt.datetime
    pk: int

    def encode(self) -> str:
        text = f"{self.updated_at.isoformat()}|{self.pk}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            at_text, pk_text = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
            at = parse_datetime(at_text)
            if at is None or at.tzinfo is None:
                raise ValueError(at_text)
            return cls(at, int(pk_text))
        except (ValueError, binascii.Error, UnicodeDecodeError) as error:
            raise invalid(
                _("_cursor is not one Pontio gave: follow the Bundle's next link as it is"),
                expression="_cursor",
            ) from error


@dataclass(frozen=True)
class Page:
    rows: list[Referral]
    total: int
    next_cursor: Cursor | None


def task_page(user: User, *, condition: Q, count: int, cursor: Cursor | None) -> Page:
    """One page of the caller's referrals matching ``condition``, oldest change first."""
    matching = referrals(user).filter(condition)
    total = matching.order_by().count()
    ordered = matching.order_by("updated_at", "pk")
    if cursor is not None:
        ordered = ordered.filter(
            Q(updated_at__gt=cursor.updated_at) | Q(updated_at=cursor.updated_at, pk__gt=cursor.pk)
        )
    rows = list(ordered[: count + 1]) if count else []
    more = len(rows) > count
    rows = rows[:count]
    next_cursor = Cursor(rows[-1].updated_at, rows[-1].pk) if more and rows else None
    return Page(rows, total, next_cursor)
