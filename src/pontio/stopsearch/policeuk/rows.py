"""The rows of a police.uk file: read one line at a time, checked, normalised and keyed.

A row with broken quoting, the wrong number of columns, a value outside the police.uk
vocabularies (current or legacy), a date that is not a date, a date outside the file's
month (in UK time), or a date before ``core.dates.EARLIEST_EVENT`` or in the future (the
same rule as a search recorded on the page: ``services.check_searched_at``) is rejected
with its row number, column and value.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pontio.people.models import Ethnicity
from pontio.stopsearch.policeuk.formats import (
    CRIME_TYPES,
    STREET_HEADER,
    parse_month,
)
from pontio.stopsearch.services.records import check_searched_at
from pontio.stopsearch.vocab import (
    LEGACY_ETHNICITY,
    OUTCOME_LABELS,
    SEARCH_TYPE_LABELS,
    AgeRange,
    Legislation,
    ObjectOfSearch,
    OfficerEthnicity,
    Outcome,
    SearchGender,
    found_from_policeuk,
)


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


class RowRejected(Exception):
    def __init__(self, column: str, value: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.value = value
        self.message = message


def csv_rows(text: str) -> Iterator[tuple[int, list[str] | RowRejected]]:
    """(row number, cells or the reason the row cannot be read), one physical line a row.

    police.uk values never hold line breaks, so each line is parsed on its own: a broken
    quote then spoils only its own row instead of swallowing the rest of the file.
    """
    limit = csv.field_size_limit()
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        stripped = line.rstrip("\r\n")
        if not stripped.strip():
            continue
        if '"' not in stripped and "\0" not in stripped and len(stripped) <= limit:
            # Without a quote (every real police.uk row) the csv module's reading of a line
            # is exactly its split on commas, and the split is several times faster.
            yield number, stripped.split(",")
            continue
        try:
            cells = next(csv.reader([stripped], strict=True))
        except csv.Error as error:
            yield (
                number,
                RowRejected("", stripped[:80], _("Broken quoting: %(error)s") % {"error": error}),
            )
            continue
        yield number, cells


def _labels(choices: Iterable[Any]) -> dict[str, str]:
    # police.uk labels are English: read them whatever language the importer uses.
    with translation.override("en"):
        return {str(choice.label): str(choice.value) for choice in choices}


@dataclass(frozen=True)
class Clock:
    """The time zone and "now" of one import, looked up once rather than for every row."""

    tz: dt.tzinfo
    now: dt.datetime

    @classmethod
    def current(cls) -> Clock:
        return cls(tz=timezone.get_current_timezone(), now=timezone.now())


@dataclass
class Vocabularies:
    search_type: dict[str, str]
    gender: dict[str, str]
    age_range: dict[str, str]
    self_ethnicity: dict[str, str]
    officer_ethnicity: dict[str, str]
    legislation: dict[str, str]
    object_of_search: dict[str, str]
    outcome: dict[str, str]

    @classmethod
    def build(cls) -> Vocabularies:
        return cls(
            search_type={k: str(v) for k, v in SEARCH_TYPE_LABELS.items()},
            gender=_labels(SearchGender),
            age_range=_labels(AgeRange),
            self_ethnicity={**_labels(Ethnicity), **LEGACY_ETHNICITY},
            officer_ethnicity=_labels(OfficerEthnicity),
            legislation=_labels(Legislation),
            object_of_search=_labels(ObjectOfSearch),
            outcome={**{k: str(v) for k, v in OUTCOME_LABELS.items()}, **_labels(Outcome)},
        )


def _vocab(value: str, column: str, labels: dict[str, str], *, required: bool = False) -> str:
    if not value:
        if required:
            raise RowRejected(column, value, _("%(column)s is empty") % {"column": column})
        return ""
    try:
        return labels[value]
    except KeyError:
        raise RowRejected(
            column,
            value,
            _("“%(value)s” is not a police.uk value for %(column)s")
            % {"value": value, "column": column},
        ) from None


def _boolean(value: str, column: str) -> bool | None:
    if value == "":
        return None
    lowered = value.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise RowRejected(
        column,
        value,
        _("“%(value)s” is not True, False or empty (%(column)s)")
        % {"value": value, "column": column},
    )


@functools.lru_cache(maxsize=65_536)
def _within(value: str, limit: int) -> Decimal | None:
    """The coordinate to our six places, or None when it is not a number within ``limit``.

    Cached: police.uk snaps searches to anonymised map points, so a month repeats the same
    few thousand coordinates (Decimal values are immutable, so sharing them is safe)."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > limit:
        return None
    return number.quantize(Decimal("0.000001"))


def _coordinate(value: str, column: str, limit: int) -> Decimal | None:
    if value == "":
        return None
    number = _within(value, limit)
    if number is None:
        raise RowRejected(
            column, value, _("“%(value)s” is not a %(column)s") % {"value": value, "column": column}
        )
    return number


def month_of(moment: dt.datetime, tz: dt.tzinfo | None = None) -> dt.date:
    return timezone.localtime(moment, tz).date().replace(day=1)


def _datetime(value: str, column: str, month: dt.date, clock: Clock) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise RowRejected(
            column, value, _("“%(value)s” is not a date and time") % {"value": value}
        ) from None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, clock.tz)
        in_month = month_of(moment, clock.tz) == month
    except (OverflowError, ValueError):  # a year 1 or 9999 moved to UK time
        in_month = False
    if not in_month:
        raise RowRejected(
            column,
            value,
            _("The date is not in the file's month (%(month)s)") % {"month": f"{month:%Y-%m}"},
        )
    try:
        # The rule of a search recorded on the page: from EARLIEST_EVENT, not in the future.
        return check_searched_at(moment, clock.now, tz=clock.tz)
    except ValidationError as error:
        raise RowRejected(column, value, error.messages[0]) from None


def _text(value: str, column: str, max_length: int) -> str:
    if len(value) > max_length:
        raise RowRejected(
            column,
            value[:80],
            _("%(column)s is longer than %(max)s characters")
            % {"column": column, "max": max_length},
        )
    return value


def parse_stop_search(
    cells: list[str], month: dt.date, vocab: Vocabularies, clock: Clock | None = None
) -> dict[str, Any]:
    """The StopSearch field values of one row, or RowRejected naming the column."""
    # In STOP_SEARCH_HEADER's order (the importer has checked the number of cells).
    (
        kind,
        date,
        part_of_operation,
        operation,
        lat,
        lng,
        gender,
        age_range,
        self_ethnicity,
        officer_ethnicity,
        legislation,
        object_text,
        outcome_text,
        linked_text,
        removal,
    ) = [c.strip() for c in cells]
    searched_at = _datetime(date, "Date", month, clock or Clock.current())
    latitude = _coordinate(lat, "Latitude", 90)
    longitude = _coordinate(lng, "Longitude", 180)
    if (latitude is None) != (longitude is None):
        column = "Longitude" if latitude is not None else "Latitude"
        raise RowRejected(column, "", _("Give both latitude and longitude, or neither"))
    outcome = _vocab(outcome_text, "Outcome", vocab.outcome)
    linked = _boolean(linked_text, "Outcome linked to object of search")
    object_of_search = _vocab(object_text, "Object of search", vocab.object_of_search)
    return {
        "search_type": _vocab(kind, "Type", vocab.search_type, required=True),
        "searched_at": searched_at,
        "part_of_operation": bool(_boolean(part_of_operation, "Part of a policing operation")),
        "operation_name": _text(operation, "Policing operation", 120),
        "latitude": latitude,
        "longitude": longitude,
        "gender": _vocab(gender, "Gender", vocab.gender),
        "age_range": _vocab(age_range, "Age range", vocab.age_range),
        "self_defined_ethnicity": _vocab(
            self_ethnicity, "Self-defined ethnicity", vocab.self_ethnicity
        ),
        "officer_defined_ethnicity": _vocab(
            officer_ethnicity, "Officer-defined ethnicity", vocab.officer_ethnicity
        ),
        "legislation": _vocab(legislation, "Legislation", vocab.legislation),
        "object_of_search": object_of_search,
        # Not a police.uk column: what the row's vocabulary says about a find (``vocab``).
        "found": found_from_policeuk(outcome_text, linked, object_of_search),
        "original_outcome": outcome,
        "current_outcome": outcome,
        "original_linked": linked,
        "current_linked": linked,
        "removal_of_more_than_outer_clothing": _boolean(
            removal,
            "Removal of more than just outer clothing",
        ),
    }


def parse_street(cells: list[str], month: dt.date) -> dict[str, Any]:
    v = dict(zip(STREET_HEADER, (c.strip() for c in cells), strict=True))
    if parse_month(v["Month"]) != month:
        raise RowRejected(
            "Month",
            v["Month"],
            _("The month is not the file's month (%(month)s)") % {"month": f"{month:%Y-%m}"},
        )
    if v["Crime type"] not in CRIME_TYPES:
        raise RowRejected(
            "Crime type",
            v["Crime type"],
            _("“%(value)s” is not a police.uk value for %(column)s")
            % {"value": v["Crime type"], "column": "Crime type"},
        )
    latitude = _coordinate(v["Latitude"], "Latitude", 90)
    longitude = _coordinate(v["Longitude"], "Longitude", 180)
    return {
        "crime_id": _text(v["Crime ID"], "Crime ID", 64),
        "month": month,
        "reported_by": _text(v["Reported by"], "Reported by", 100),
        "falls_within": _text(v["Falls within"], "Falls within", 100),
        "longitude": longitude,
        "latitude": latitude,
        "location": _text(v["Location"], "Location", 200),
        "lsoa_code": _text(v["LSOA code"], "LSOA code", 9),
        "lsoa_name": _text(v["LSOA name"], "LSOA name", 100),
        "crime_type": v["Crime type"],
        "last_outcome": _text(v["Last outcome category"], "Last outcome category", 200),
        "context": v["Context"],
    }


# Derived from other columns, not read: left out of a row's identity, so a month imported
# before the find was derived (or republished in the newer vocabulary, which does not say
# "Nothing found") is still recognised as already present.
DERIVED = frozenset({"found"})


_NAMES: dict[tuple[str, ...], list[str]] = {}


def _names(values: dict[str, Any]) -> list[str]:
    # Every row of a kind has the same fields: sort them once, not once a row.
    fields = tuple(values)
    names = _NAMES.get(fields)
    if names is None:
        names = _NAMES[fields] = sorted(set(fields) - DERIVED)
    return names


def _normalised(values: dict[str, Any]) -> str:
    return "\x1f".join(
        [
            f"{name}="
            + (
                ""
                if (value := values[name]) is None
                else value.astimezone(dt.UTC).isoformat()
                if isinstance(value, dt.datetime)
                else str(value)
            )
            for name in _names(values)
        ]
    )


def row_hash(values: dict[str, Any]) -> str:
    return hashlib.sha1(_normalised(values).encode(), usedforsecurity=False).hexdigest()
