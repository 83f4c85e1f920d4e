"""ONS drug-poisoning deaths, read from the files in ``data/`` (see data/SOURCES.md).

The ONS publishes two definitions: *deaths related to drug poisoning* (every death whose
underlying cause is a drug poisoning, accidental or intentional, legal or illegal drugs) and
*drug misuse deaths* (the subset involving illegal drugs or drug dependence). The files held
here carry the first, for all drugs and for any opiate, by year of registration; the by-local-
authority file gives the four counties. Years are registration years, not years of death:
the ONS notes that a coroner's inquest can delay registration by a year or more.

The files are small and never change while Pontio runs, so each is parsed once per process.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LA_FILE = DATA / "ons_drug_poisoning_by_la.csv"
REGION_FILE = DATA / "ons_drug_poisoning_by_region.csv"
WALES = "W92000004"
ALL_DRUGS = "01 All drug poisonings"
ANY_OPIATE = "02 Any opiate"

SOURCE = (
    "ONS, deaths related to drug poisoning by local authority and region, "
    "registrations 1993 to 2020 (Open Government Licence v3.0)"
)


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    # Year of registration -> deaths registered.
    deaths: dict[int, int]


@cache
def by_local_authority() -> dict[str, Area]:
    """Every area of the local-authority file (countries, regions, authorities) by ONS code."""
    areas: dict[str, Area] = {}
    with LA_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        years = [int(y) for y in header[2:]]
        for row in reader:
            if not row or not row[0].strip():
                continue
            counts = {
                year: int(value) for year, value in zip(years, row[2:], strict=False) if value
            }
            # Welsh authorities are named "English / Welsh"; keep the English half.
            name = row[1].split(" / ")[0].strip()
            areas[row[0].strip()] = Area(code=row[0].strip(), name=name, deaths=counts)
    return areas


@cache
def by_region(substance: str = ALL_DRUGS) -> dict[str, Area]:
    """Regions and countries from the region file, for one substance group."""
    areas: dict[str, dict[int, int]] = {}
    names: dict[str, str] = {}
    with REGION_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["Substance"].startswith(substance):
                continue
            code = row["Usual residence code"]
            names[code] = row["Usual residence name"]
            areas.setdefault(code, {})[int(row["Year of death registration"])] = int(row["Deaths"])
    return {code: Area(code=code, name=names[code], deaths=d) for code, d in areas.items()}


def wales(substance: str = ALL_DRUGS) -> Area:
    return by_region(substance)[WALES]


def years_held() -> tuple[int, int]:
    deaths = wales().deaths
    return min(deaths), max(deaths)
