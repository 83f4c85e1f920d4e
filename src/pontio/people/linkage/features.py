"""A columnar table of person records, in the forms the comparisons need.

Every string value that is compared for equality becomes an integer code from one shared
vocabulary per kind (names, phonetic keys, ...), so equality over millions of pairs is a numpy
comparison; the strings themselves are kept where a similarity (Jaro-Winkler, edit distance)
is computed. Missing values are code -1 and the empty string. Given and family names share a
vocabulary, so a given name can be compared with a family name (swapped names).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from pontio.people.linkage.normalise import (
    canonical_family_names,
    canonical_given_names,
    normalise_name,
    normalise_pnc,
    normalise_postcode,
    phonetic_key,
)

#: How many of a record's addresses, custody numbers, aliases and name groups are compared.
SLOTS = 3

#: Gender values that carry evidence; "not stated" and blank are missing.
SEXES = {"male": 0, "female": 1, "other": 2}


@dataclass(frozen=True)
class Record:
    """One person as the comparisons see them (raw values; normalised here)."""

    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    sex: str = ""
    pnc_id: str = ""
    #: (postcode, first line, town), the current address first, then previous ones.
    addresses: tuple[tuple[str, str, str], ...] = ()
    custody_numbers: tuple[str, ...] = ()
    #: Family names the person has been recorded under before (aliases).
    previous_family_names: tuple[str, ...] = ()


class Vocabulary:
    """String -> small integer code; the empty string is -1."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def code(self, value: str) -> int:
        if not value:
            return -1
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.codes)
        return found


_SPACES = re.compile(r"\s+")


def _slots(values: Iterable[int], width: int = SLOTS) -> list[int]:
    out = [v for v in dict.fromkeys(values) if v >= 0][:width]
    return out + [-1] * (width - len(out))


def _address_line(value: str) -> str:
    return _SPACES.sub(" ", re.sub(r"[^0-9a-z ]", " ", (value or "").casefold())).strip()


def _postcode_forms(value: str) -> tuple[str, str]:
    """(full, district): a UK postcode normalised, or any other postcode's letters and
    digits (the public benchmark's are Australian) with no district."""
    full, outward = normalise_postcode(value)
    if full or outward:
        return full, outward
    return re.sub(r"[^A-Za-z0-9]", "", value or "").upper(), ""


@dataclass
class Table:
    """Columns of ``n`` records; row ``i`` is ``records[i]``."""

    n: int
    given: np.ndarray  # object: compact normalised given names
    given_first: np.ndarray  # object: first given name
    given_first_code: np.ndarray
    given_first_len: np.ndarray
    given_initial: np.ndarray  # code of the first letter
    given_second_code: np.ndarray
    given_key: np.ndarray
    given_groups: np.ndarray  # (n, SLOTS)
    given_heads: np.ndarray  # (n, SLOTS) name codes of the canonical forms of those groups
    family: np.ndarray  # object: compact normalised family name
    family_code: np.ndarray
    family_key: np.ndarray
    family_parts: np.ndarray  # (n, SLOTS) codes of the parts of a double-barrelled name
    family_groups: np.ndarray  # (n, SLOTS)
    previous_family: np.ndarray  # (n, SLOTS)
    dob_digits: np.ndarray  # (n, 8) digits of "yyyymmdd"; -1 when missing
    dob_ordinal: np.ndarray  # 0 when missing
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    sex: np.ndarray
    pnc: np.ndarray  # object
    pnc_code: np.ndarray
    custody: np.ndarray  # (n, SLOTS) codes
    custody_first: np.ndarray  # object: the most recent custody number
    postcode: np.ndarray  # (n, SLOTS) codes
    district: np.ndarray  # (n, SLOTS) codes
    town: np.ndarray  # (n, SLOTS) codes
    line: np.ndarray  # (n, SLOTS) object
    vocab: dict[str, Vocabulary] = field(default_factory=dict)


def build_table(records: Sequence[Record]) -> Table:
    """The columns of ``records`` (one vocabulary per kind, shared across the table)."""
    names, keys, groups, places, ids = (Vocabulary() for _ in range(5))
    n = len(records)
    obj = lambda: np.empty(n, dtype=object)  # noqa: E731
    given, given_first, family, pnc, custody_first = (obj() for _ in range(5))
    dob_digits = np.full((n, 8), -1, dtype=np.int8)
    ints = {
        name: np.full(n, -1, dtype=np.int32)
        for name in (
            "given_first_code",
            "given_second_code",
            "given_first_len",
            "given_initial",
            "given_key",
            "family_code",
            "family_key",
            "sex",
            "pnc_code",
        )
    }
    dob_ordinal = np.zeros(n, dtype=np.int32)
    year, month, day = (np.zeros(n, dtype=np.int16) for _ in range(3))
    wide = {
        name: np.full((n, SLOTS), -1, dtype=np.int32)
        for name in (
            "given_groups",
            "given_heads",
            "family_parts",
            "family_groups",
            "previous_family",
            "custody",
            "postcode",
            "district",
            "town",
        )
    }
    line = np.full((n, SLOTS), "", dtype=object)
    for i, record in enumerate(records):
        g = normalise_name(record.given_name)
        tokens = g.split()
        given[i] = g.replace(" ", "")
        given_first[i] = tokens[0] if tokens else ""
        ints["given_first_code"][i] = names.code(given_first[i])
        ints["given_first_len"][i] = len(given_first[i])
        ints["given_initial"][i] = keys.code("i:" + given_first[i][:1]) if given_first[i] else -1
        ints["given_second_code"][i] = names.code(tokens[1] if len(tokens) > 1 else "")
        ints["given_key"][i] = keys.code(phonetic_key(given_first[i]))
        heads = sorted(canonical_given_names(given_first[i]) - {given_first[i]})
        wide["given_groups"][i] = _slots(
            groups.code("g:" + head) for head in sorted(canonical_given_names(given_first[i]))
        )
        wide["given_heads"][i] = _slots(names.code(head) for head in heads)
        f = normalise_name(record.family_name)
        compact = re.sub(r"^mac", "mc", f.replace(" ", ""))
        family[i] = compact
        ints["family_code"][i] = names.code(compact)
        ints["family_key"][i] = keys.code(phonetic_key(f))
        parts = f.split()
        if len(parts) > 1:
            wide["family_parts"][i] = _slots(names.code(p) for p in parts)
        wide["family_groups"][i] = _slots(
            groups.code("f:" + head) for head in sorted(canonical_family_names(f))
        )
        wide["previous_family"][i] = _slots(
            names.code(normalise_name(p).replace(" ", "")) for p in record.previous_family_names
        )
        born = record.date_of_birth
        if born is not None:
            dob_digits[i] = [int(c) for c in born.strftime("%Y%m%d")]
            dob_ordinal[i] = born.toordinal()
            year[i], month[i], day[i] = born.year, born.month, born.day
        ints["sex"][i] = SEXES.get((record.sex or "").lower(), -1)
        pnc[i] = normalise_pnc(record.pnc_id)
        ints["pnc_code"][i] = ids.code("p:" + pnc[i]) if pnc[i] else -1
        numbers = [re.sub(r"\s+", "", c).upper() for c in record.custody_numbers if c]
        custody_first[i] = numbers[0] if numbers else ""
        wide["custody"][i] = _slots(ids.code("c:" + c) for c in numbers)
        for slot, (postcode, first_line, town) in enumerate(record.addresses[:SLOTS]):
            full, district = _postcode_forms(postcode)
            wide["postcode"][i, slot] = places.code("p:" + full) if full else -1
            wide["district"][i, slot] = places.code("d:" + district) if district else -1
            town_norm = _address_line(town)
            wide["town"][i, slot] = places.code("t:" + town_norm) if town_norm else -1
            line[i, slot] = _address_line(first_line)
    return Table(
        n=n,
        given=given,
        given_first=given_first,
        family=family,
        dob_digits=dob_digits,
        dob_ordinal=dob_ordinal,
        year=year,
        month=month,
        day=day,
        pnc=pnc,
        custody_first=custody_first,
        line=line,
        vocab={"names": names, "keys": keys, "groups": groups, "places": places, "ids": ids},
        **ints,
        **wide,
    )
