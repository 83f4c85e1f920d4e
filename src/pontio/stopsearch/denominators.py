"""Census 2011 population by ethnic group: the denominators of disproportionality rates.

The figures (``data/census2011_ethnicity.json``, see ``data/README.md``) are the Office for
National Statistics' Census 2011 table QS201EW for the Dyfed-Powys force area and its four
local authorities, under the Open Government Licence v3.0. The five groups match the
officer-defined ethnicity that police.uk publishes (White, Black, Asian, Mixed, Other); the
18 categories match self-defined ethnicity (2011 codes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "census2011_ethnicity.json"
FORCE_CODE = "W15000004"
# Local authorities (counties) of the force area, by ONS code.
COUNTY_CODES = ("W06000010", "W06000008", "W06000009", "W06000023")
GROUPS = ("White", "Black", "Asian", "Mixed", "Other")
CENSUS_YEAR = 2011


@dataclass(frozen=True)
class Population:
    """Usual residents of one area (or a union of areas) by group and category."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    total: int
    groups: dict[str, int]
    categories: dict[str, int]

    @property
    def name(self) -> str:
        return ", ".join(self.names)


@cache
def _raw() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def source() -> str:
    return str(_raw()["_source"])


def licence() -> str:
    return str(_raw()["_licence"])


def area_codes() -> list[str]:
    return list(_raw()["areas"])


def population(codes: Iterable[str] | None = None) -> Population:
    """The population of the force (no codes) or the sum of the named local authorities.

    Unknown codes are refused: a rate over the wrong population would mislead.
    """
    wanted = tuple(codes) if codes else (FORCE_CODE,)
    areas = _raw()["areas"]
    unknown = [code for code in wanted if code not in areas]
    if unknown:
        raise KeyError(f"No Census 2011 figures for {', '.join(unknown)}")
    groups = dict.fromkeys(GROUPS, 0)
    categories: dict[str, int] = {}
    total = 0
    for code in wanted:
        area = areas[code]
        total += area["total"]
        for group, count in area["groups"].items():
            groups[group] += count
        for category, count in area["categories"].items():
            categories[category] = categories.get(category, 0) + count
    return Population(
        codes=wanted,
        names=tuple(areas[code]["name"] for code in wanted),
        total=total,
        groups=groups,
        categories=categories,
    )
