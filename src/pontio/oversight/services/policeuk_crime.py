"""Import a police.uk street-level crime file into ``CrimeCount``: counts, never crimes.

A police.uk street file (``YYYY-MM-<force>-street.csv``, data.police.uk, Open Government
Licence) has one row per crime with its month, force ("Falls within"), LSOA and crime type.
Pontio keeps the number of crimes per month, force, local authority and crime type: the
local authority is the LSOA name without its last word ("Carmarthenshire 001A" is in
Carmarthenshire), and a local authority that is one of Pontio's counties (by its English or
Welsh name) is linked to it. A crime with no location (no LSOA) is counted under no area.

- Idempotent per file: importing a file again replaces the counts that file gave, so the
  totals never double (the file's name is kept with each count).
- All or nothing: a file that is not a police.uk street file (encoding, header, a month or
  crime type that cannot be read) is refused with the row and the reason, and nothing
  changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from pontio.core.models import County
from pontio.oversight.models import CrimeCount
from pontio.stopsearch.policeuk.formats import (
    CRIME_TYPES,
    STREET_HEADER,
    FileRefused,
    check_header,
    decode,
    parse_month,
)

# Types police.uk used before the current list (older files carry them).
OLDER_CRIME_TYPES = frozenset(
    {"Violent crime", "Public disorder and weapons", "Violence and sexual offences"}
)
KNOWN_TYPES = CRIME_TYPES | OLDER_CRIME_TYPES
LSOA_NAME = re.compile(r"^(?P<area>.+?)\s+\d{3}[A-Z]$")
MONTH, FALLS_WITHIN, LSOA, CRIME_TYPE = (
    STREET_HEADER.index("Month"),
    STREET_HEADER.index("Falls within"),
    STREET_HEADER.index("LSOA name"),
    STREET_HEADER.index("Crime type"),
)


class CrimeFileRefused(Exception):
    """The file is not a police.uk street file: nothing was imported."""


@dataclass(frozen=True)
class CrimeImport:
    source_file: str
    crimes: int
    counts: int
    replaced: int
    # Crimes counted in one of Pontio's counties.
    in_counties: int


def local_authority(lsoa_name: str) -> str:
    """The local authority of an LSOA name ("Ceredigion 004B" -> "Ceredigion"); "" when
    the crime has no location."""
    name = lsoa_name.strip()
    if not name:
        return ""
    match = LSOA_NAME.match(name)
    if not match:
        raise ValueError(name)
    return match["area"].strip()


Key = tuple[dt.date, str, str, str]


def count_rows(text: str) -> Counter[Key]:
    """Crimes per (month, force, local authority, crime type), or CrimeFileRefused naming
    the first row that cannot be read."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise CrimeFileRefused(_("The file is empty. Nothing was imported.")) from None
    try:
        check_header(header, STREET_HEADER)
    except FileRefused as refused:
        raise CrimeFileRefused(str(refused)) from None
    counts: Counter[Key] = Counter()
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(STREET_HEADER):
            raise CrimeFileRefused(
                _("Row %(row)s has %(found)s columns, not %(expected)s. Nothing was imported.")
                % {"row": number, "found": len(row), "expected": len(STREET_HEADER)}
            )
        month = parse_month(row[MONTH])
        if month is None:
            raise CrimeFileRefused(
                _("Row %(row)s: the month “%(value)s” is not YYYY-MM. Nothing was imported.")
                % {"row": number, "value": row[MONTH]}
            )
        force = row[FALLS_WITHIN].strip()
        if not force:
            raise CrimeFileRefused(
                _("Row %(row)s: “Falls within” is empty. Nothing was imported.") % {"row": number}
            )
        crime_type = row[CRIME_TYPE].strip()
        if crime_type not in KNOWN_TYPES:
            raise CrimeFileRefused(
                _("Row %(row)s: “%(value)s” is not a police.uk crime type. Nothing was imported.")
                % {"row": number, "value": crime_type}
            )
        try:
            area = local_authority(row[LSOA])
        except ValueError:
            raise CrimeFileRefused(
                _(
                    "Row %(row)s: the LSOA name “%(value)s” is not a local authority followed "
                    "by its LSOA number (for example “Powys 012C”). Nothing was imported."
                )
                % {"row": number, "value": row[LSOA]}
            ) from None
        counts[(month, force, area, crime_type)] += 1
    return counts


def _county_ids() -> dict[str, int]:
    names: dict[str, int] = {}
    for pk, english, welsh in County.objects.values_list("pk", "label_en", "label_cy"):
        for name in (english, welsh):
            if name:
                names[name.strip().casefold()] = pk
    return names


@transaction.atomic
def import_crime_file(*, data: bytes, name: str) -> CrimeImport:
    """Count the file's crimes and replace the counts an earlier import of it gave."""
    source = Path(name).name
    try:
        text = decode(data)
    except FileRefused as refused:
        raise CrimeFileRefused(str(refused)) from None
    counts = count_rows(text)
    replaced, _detail = CrimeCount.objects.filter(source_file=source).delete()
    counties = _county_ids()
    # Another file (the same month downloaded under another name) may have counted the same
    # cells: the latest file's counts stand, as police.uk revises its files.
    overlapping = CrimeCount.objects.filter(
        month__in={key[0] for key in counts}, force__in={key[1] for key in counts}
    ).values_list("pk", "month", "force", "area_name", "crime_type")
    stale = [pk for pk, *key in overlapping if tuple(key) in counts]
    if stale:
        CrimeCount.objects.filter(pk__in=stale).delete()
    rows = []
    in_counties = 0
    for (month, force, area, crime_type), crimes in sorted(counts.items(), key=str):
        county_id = counties.get(area.casefold()) if area else None
        if county_id is not None:
            in_counties += crimes
        rows.append(
            CrimeCount(
                month=month,
                force=force,
                county_id=county_id,
                area_name=area,
                crime_type=crime_type,
                count=crimes,
                source_file=source,
            )
        )
    CrimeCount.objects.bulk_create(rows, batch_size=500)
    return CrimeImport(
        source_file=source,
        crimes=sum(counts.values()),
        counts=len(counts),
        replaced=replaced,
        in_counties=in_counties,
    )


def import_crime_path(*, path: Path) -> CrimeImport:
    return import_crime_file(data=path.read_bytes(), name=path.name)
