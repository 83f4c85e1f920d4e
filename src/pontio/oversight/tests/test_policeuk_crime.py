"""Importing police.uk street files into ``CrimeCount``: the real City of London files of
April and May 2018 (tests/data, Open Government Licence), counted by hand; importing again
changes nothing; a malformed file is refused whole; the demonstration counts."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.conftest import *  # noqa: E402, F403

from pontio.core.models import County  # noqa: E402
from pontio.oversight.demo_crime import FORCE, seed_crime  # noqa: E402
from pontio.oversight.models import CrimeCount  # noqa: E402
from pontio.oversight.services.policeuk_crime import (  # noqa: E402
    CrimeFileRefused,
    import_crime_file,
    import_crime_path,
    local_authority,
)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent / "data"
APRIL = DATA / "2018-04-city-of-london-street.csv"
MAY = DATA / "2018-05-city-of-london-street.csv"
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)


def held(**filters: object) -> dict[tuple[str, str], int]:
    return {(c.area_name, c.crime_type): c.count for c in CrimeCount.objects.filter(**filters)}


def test_the_local_authority_is_the_lsoa_name_without_its_number() -> None:
    assert local_authority("Carmarthenshire 001A") == "Carmarthenshire"
    assert local_authority("City of London 001F") == "City of London"
    assert local_authority("Vale of Glamorgan 012C") == "Vale of Glamorgan"
    assert local_authority("") == ""
    with pytest.raises(ValueError):
        local_authority("Powys")


def test_the_april_2018_file_is_counted_by_month_force_area_and_type() -> None:
    """April 2018: 663 crimes, all "City of London Police"; by LSOA, 580 in the City of
    London (30 of them "Drugs"), 19 in Tower Hamlets, 9 in Islington, 7 in Westminster, 7
    in Southwark, 5 in Camden and 36 without a location."""
    result = import_crime_path(path=APRIL)
    assert result.crimes == 663
    assert result.replaced == 0
    counts = CrimeCount.objects.filter(month=dt.date(2018, 4, 1))
    assert set(counts.values_list("force", flat=True)) == {"City of London Police"}
    assert sum(counts.values_list("count", flat=True)) == 663
    by_area: Counter[str] = Counter()
    for area, count in counts.values_list("area_name", "count"):
        by_area[area] += count
    assert by_area == Counter(
        {
            "City of London": 580,
            "": 36,
            "Tower Hamlets": 19,
            "Islington": 9,
            "Westminster": 7,
            "Southwark": 7,
            "Camden": 5,
        }
    )
    assert held()[("City of London", "Drugs")] == 30
    # None of these is one of Pontio's counties.
    assert not counts.filter(county__isnull=False).exists()
    assert result.in_counties == 0


def test_the_counts_match_an_independent_count_of_the_file() -> None:
    import_crime_path(path=MAY)
    with MAY.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected: Counter[tuple[str, str]] = Counter(
        (" ".join(r["LSOA name"].split()[:-1]), r["Crime type"]) for r in rows
    )
    assert held(month=dt.date(2018, 5, 1)) == dict(expected)


def test_importing_a_file_again_changes_nothing() -> None:
    import_crime_path(path=APRIL)
    import_crime_path(path=MAY)
    before = sorted(CrimeCount.objects.values_list("month", "area_name", "crime_type", "count"))
    again = import_crime_path(path=APRIL)
    assert again.replaced == again.counts
    after = sorted(CrimeCount.objects.values_list("month", "area_name", "crime_type", "count"))
    assert after == before


def test_a_local_authority_that_is_a_county_is_linked_to_it() -> None:
    text = "\n".join(
        [
            HEADER,
            "a1,2026-09,Dyfed-Powys Police,Dyfed-Powys Police,-4.1,51.7,On or near X,W01000001,"
            "Carmarthenshire 001A,Drugs,Under investigation,",
            "a2,2026-09,Dyfed-Powys Police,Dyfed-Powys Police,-4.1,51.7,On or near X,W01000002,"
            "Carmarthenshire 014C,Drugs,Under investigation,",
            "a3,2026-09,Dyfed-Powys Police,Dyfed-Powys Police,-3.4,52.2,On or near Y,W01000003,"
            "Powys 007B,Burglary,Under investigation,",
        ]
    )
    result = import_crime_file(data=text.encode(), name="2026-09-dyfed-powys-street.csv")
    assert result.in_counties == 3
    drugs = CrimeCount.objects.get(crime_type="Drugs")
    assert drugs.county == County.objects.get(ons_code="W06000010")
    assert drugs.count == 2 and drugs.source_file == "2026-09-dyfed-powys-street.csv"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Month,Crime type\n2018-04,Drugs\n", "The first row must be the police.uk header"),
        (HEADER + "\nx,April,A,A,,,,,City of London 001A,Drugs,,\n", "Row 2: the month"),
        (HEADER + "\nx,2018-04,A,A,,,,,City of London 001A,Jaywalking,,\n", "Row 2: “Jaywalking”"),
        (HEADER + "\nx,2018-04,A,A,,,,,London,Drugs,,\n", "Row 2: the LSOA name"),
        (HEADER + "\nx,2018-04,A,,,,,,City of London 001A,Drugs,,\n", "“Falls within” is empty"),
        (HEADER + "\nx,2018-04,A,A\n", "Row 2 has 4 columns"),
    ],
)
def test_a_malformed_file_is_refused_and_changes_nothing(text: str, message: str) -> None:
    import_crime_path(path=APRIL)
    before = CrimeCount.objects.count()
    # A good row after the bad one: still nothing is imported.
    data = (text + "y,2018-04,A,A,,,,,City of London 001A,Drugs,,\n").encode()
    with pytest.raises(CrimeFileRefused, match=message):
        import_crime_file(data=data, name="2018-04-city-of-london-street.csv")
    assert CrimeCount.objects.count() == before
    assert held()[("City of London", "Drugs")] == 30


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(CrimeFileRefused, match="The file is empty"):
        import_crime_file(data=b"", name="2018-04-city-of-london-street.csv")


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(CrimeFileRefused, match="not UTF-8"):
        import_crime_file(data=HEADER.encode() + b"\n\xff\xfe", name="x.csv")


def test_the_management_command_imports_and_reports_refusals(tmp_path: Path) -> None:
    out = StringIO()
    call_command("import_policeuk_crime", str(APRIL), stdout=out)
    assert "663 crimes" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a,police.uk,file\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.csv"):
        call_command("import_policeuk_crime", str(bad), stdout=StringIO())


def test_the_demonstration_counts_are_plausible_and_seeded_once() -> None:
    today = dt.date(2026, 12, 3)
    added = seed_crime(today=today)
    months = 11 * 12 - 1  # January 2016 to November 2026
    assert added == months * 4 * 14
    assert seed_crime(today=today) == 0
    counts = CrimeCount.objects.filter(force=FORCE)
    assert counts.dates("month", "month").first() == dt.date(2016, 1, 1)
    assert counts.dates("month", "month").last() == dt.date(2026, 11, 1)
    drugs_2019 = sum(
        counts.filter(crime_type="Drugs", month__year=2019).values_list("count", flat=True)
    )
    # Of the order police.uk shows for Dyfed-Powys: about a hundred drug crimes a month.
    assert 900 < drugs_2019 < 2000
    assert not counts.filter(county__isnull=True).exists()
