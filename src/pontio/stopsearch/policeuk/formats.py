"""The police.uk files: their names, headers and encoding, and whole-file refusals."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from pontio.stopsearch.models import ImportBatch

STOP_SEARCH_HEADER = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]
STREET_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
HEADERS: dict[str, list[str]] = {
    ImportBatch.Kind.STOP_SEARCH: STOP_SEARCH_HEADER,
    ImportBatch.Kind.STREET: STREET_HEADER,
}
CRIME_TYPES = frozenset(
    {
        "Anti-social behaviour",
        "Bicycle theft",
        "Burglary",
        "Criminal damage and arson",
        "Drugs",
        "Other crime",
        "Other theft",
        "Possession of weapons",
        "Public order",
        "Robbery",
        "Shoplifting",
        "Theft from the person",
        "Vehicle crime",
        "Violence and sexual offences",
    }
)
FILE_NAME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>stop-and-search|street)"
    r"\.csv$"
)
FORCE = re.compile(r"^[a-z0-9-]{2,40}$")
KIND_OF_NAME = {"stop-and-search": ImportBatch.Kind.STOP_SEARCH, "street": ImportBatch.Kind.STREET}


class FileRefused(Exception):
    """The whole file is refused (encoding, header, force or month): nothing is imported."""


@dataclass(frozen=True)
class FileName:
    kind: str
    force: str
    month: dt.date


def parse_file_name(name: str) -> FileName | None:
    match = FILE_NAME.search(Path(name).name)
    if not match:
        return None
    try:
        month = dt.date(int(match["year"]), int(match["month"]), 1)
    except ValueError:
        return None
    return FileName(KIND_OF_NAME[match["kind"]], match["force"], month)


def parse_month(value: str) -> dt.date | None:
    """``YYYY-MM`` as the first day of the month, or None."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def decode(data: bytes) -> str:
    """The text of a UTF-8 file (with or without a byte order mark), or FileRefused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused(
            _(
                "The file is not UTF-8 (row %(row)s has a byte that UTF-8 cannot read). "
                "Save it as “CSV UTF-8” and upload it again. Nothing was imported."
            )
            % {"row": line}
        ) from None
    return text


def check_header(found: list[str], expected: list[str]) -> None:
    if [c.strip() for c in found] != expected:
        raise FileRefused(
            _(
                "The first row must be the police.uk header. Expected columns: %(expected)s. "
                "Found: %(found)s. Nothing was imported."
            )
            % {"expected": ", ".join(expected), "found": ", ".join(found) or _("nothing")}
        )
