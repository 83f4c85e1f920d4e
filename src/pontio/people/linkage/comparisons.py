"""The comparison levels of record pairs, column-wise.

Each comparison puts a pair in the first of its levels that holds (level 0 is the closest
agreement, the last is "different"), or in -1 when either record lacks the value: a missing
value is no evidence either way. The levels follow the entry errors seen in police and
health records (docs/matching.md): typos, sound-alike and Welsh/English spellings, nicknames,
swapped given and family names, day and month swapped, digits transposed, a previous name or
address.

All functions take a :class:`~pontio.people.linkage.features.Table` and two equal-length
index arrays (the left and right record of each pair) and return an ``int8`` array of levels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from rapidfuzz.process import cpdist

from pontio.people.linkage.features import Table

#: Jaro-Winkler similarity at or above which two spellings are a typo of each other, and at
#: or above which they are merely similar.
TYPO_JW = 0.92
SIMILAR_JW = 0.8
#: One edit (Damerau-Levenshtein) also counts as a typo when both start with the same letter
#: and the shorter has at least this many letters (Jaro-Winkler is harsh on short names).
TYPO_MIN_LENGTH = 4
#: First address lines at least this similar are the same line.
LINE_JW = 0.9
#: Parent and child: dates of birth at least this many years apart.
GENERATION_YEARS = 15

Levels = np.ndarray
Compare = Callable[[Table, np.ndarray, np.ndarray], Levels]


@dataclass(frozen=True)
class Comparison:
    """One comparison: its levels' reason codes (best first) and its function."""

    name: str
    levels: tuple[str, ...]
    compare: Compare
    #: The level whose weight is adjusted by the value's frequency (exact agreement).
    tf_level: int | None = None


def _similarity(scorer: Any, left: np.ndarray, right: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``scorer`` over the masked pairs of two string arrays; 0 elsewhere."""
    out = np.zeros(len(left), dtype=np.float64)
    where = np.flatnonzero(mask)
    if len(where):
        out[where] = cpdist(left[where].tolist(), right[where].tolist(), scorer=scorer, workers=1)
    return out


def _typo(left: np.ndarray, right: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(is a typo, Jaro-Winkler similarity) of masked string pairs."""
    jw = _similarity(JaroWinkler.normalized_similarity, left, right, mask)
    one_edit = _similarity(DamerauLevenshtein.distance, left, right, mask) == 1
    typo = mask & (jw >= TYPO_JW)
    for k in np.flatnonzero(mask & one_edit & ~typo):
        a, b = left[k], right[k]
        typo[k] = a[:1] == b[:1] and min(len(a), len(b)) >= TYPO_MIN_LENGTH
    return typo, jw


def _any_equal(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Rows where some non-missing slot of ``left`` equals some slot of ``right``."""
    equal = (left[:, :, None] == right[:, None, :]) & (left[:, :, None] >= 0)
    return equal.any(axis=(1, 2))


def _assign(n: int, missing: np.ndarray, tests: list[np.ndarray]) -> Levels:
    """Level = index of the first test that holds, else len(tests); -1 where missing."""
    levels = np.full(n, len(tests), dtype=np.int8)
    for level in range(len(tests) - 1, -1, -1):
        levels[tests[level]] = level
    levels[missing] = -1
    return levels


def names_swapped(t: Table, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Given and family names entered the wrong way round: each of one record's names
    equals (or sounds like) the other name of the other record, both ways."""
    given_as_family = (
        (t.given_first_code[i] == t.family_code[j]) | (t.given_key[i] == t.family_key[j])
    ) & (t.given_first_code[i] >= 0)
    family_as_given = (
        (t.family_code[i] == t.given_first_code[j]) | (t.family_key[i] == t.given_key[j])
    ) & (t.family_code[i] >= 0)
    return given_as_family & family_as_given


def compare_given(t: Table, i: np.ndarray, j: np.ndarray) -> Levels:
    fi, fj = t.given_first[i], t.given_first[j]
    gi, gj = t.given[i], t.given[j]
    missing = (t.given_first_code[i] < 0) | (t.given_first_code[j] < 0)
    # The first given names, or the whole given name without spaces (a space typed inside a
    # name, "Isab elle", or a double name written as one, "Leeann").
    exact = (fi == fj) | (gi == gj)
    shared = _any_equal(t.given_groups[i], t.given_groups[j])
    # A direct variant: one name is the canonical form of the other's group (Dai -> David,
    # Siôn -> John). Two short forms of one name (Lisa and Bethan, both Elizabeth) are only
    # related: twins are given such names.
    direct = (t.given_heads[i] == t.given_first_code[j][:, None]).any(axis=1) | (
        t.given_heads[j] == t.given_first_code[i][:, None]
    ).any(axis=1)
    variant = shared & direct
    related = shared & ~direct
    phonetic = (t.given_key[i] == t.given_key[j]) & (t.given_key[i] >= 0)
    todo = ~(missing | exact | variant | phonetic)
    typo, jw = _typo(fi, fj, todo)
    spaced = todo & ((gi != fi) | (gj != fj))
    if spaced.any():
        typo_whole, jw_whole = _typo(gi, gj, spaced)
        typo |= typo_whole
        jw = np.maximum(jw, jw_whole)
    second_i, second_j = t.given_second_code[i], t.given_second_code[j]
    middle = ((second_i >= 0) & (second_i == t.given_first_code[j])) | (
        (second_j >= 0) & (second_j == t.given_first_code[i])
    )
    first_letter = ((t.given_first_len[i] == 1) | (t.given_first_len[j] == 1)) & (
        t.given_initial[i] == t.given_initial[j]
    )
    swapped = names_swapped(t, i, j)
    similar = jw >= SIMILAR_JW
    return _assign(
        len(i),
        missing,
        [exact, variant, phonetic, typo, related, middle, first_letter, swapped, similar],
    )


GIVEN = Comparison(
    "given",
    (
        "given_exact",
        "given_nickname",
        "given_phonetic",
        "given_typo",
        "given_related",
        "given_other_name",
        "given_initial",
        "names_swapped",
        "given_similar",
        "given_different",
    ),
    compare_given,
    tf_level=0,
)


def compare_family(t: Table, i: np.ndarray, j: np.ndarray) -> Levels:
    fi, fj = t.family[i], t.family[j]
    missing = (t.family_code[i] < 0) | (t.family_code[j] < 0)
    exact = t.family_code[i] == t.family_code[j]
    variant = _any_equal(t.family_groups[i], t.family_groups[j])
    phonetic = (t.family_key[i] == t.family_key[j]) & (t.family_key[i] >= 0)
    todo = ~(missing | exact | variant | phonetic)
    typo, jw = _typo(fi, fj, todo)
    own_i = np.column_stack([t.family_parts[i], t.family_code[i]])
    own_j = np.column_stack([t.family_parts[j], t.family_code[j]])
    double = (t.family_parts[i, 0] >= 0) | (t.family_parts[j, 0] >= 0)
    part = double & _any_equal(own_i, own_j)
    alias = _any_equal(t.previous_family[i], own_j) | _any_equal(t.previous_family[j], own_i)
    swapped = names_swapped(t, i, j)
    similar = jw >= SIMILAR_JW
    return _assign(len(i), missing, [exact, variant, phonetic, typo, part, alias, swapped, similar])


FAMILY = Comparison(
    "family",
    (
        "family_exact",
        "family_variant",
        "family_phonetic",
        "family_typo",
        "family_part",
        "alias",
        "names_swapped",
        "family_similar",
        "family_different",
    ),
    compare_family,
    tf_level=0,
)


def _digit_errors(di: np.ndarray, dj: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(one digit differs, two adjacent digits swapped) of (pairs, 8) digit arrays."""
    diff = di != dj
    count = diff.sum(axis=1)
    swapped = np.zeros(len(di), dtype=bool)
    for p in range(7):
        swapped |= (
            diff[:, p] & diff[:, p + 1] & (di[:, p] == dj[:, p + 1]) & (di[:, p + 1] == dj[:, p])
        )
    return count == 1, swapped & (count == 2)


def compare_dob(t: Table, i: np.ndarray, j: np.ndarray) -> Levels:
    missing = (t.dob_ordinal[i] == 0) | (t.dob_ordinal[j] == 0)
    exact = t.dob_ordinal[i] == t.dob_ordinal[j]
    day_month = (
        (t.year[i] == t.year[j])
        & (t.day[i] == t.month[j])
        & (t.month[i] == t.day[j])
        & (t.day[i] != t.month[i])
    )
    one_digit, digits_swapped = _digit_errors(t.dob_digits[i], t.dob_digits[j])
    close = np.abs(t.dob_ordinal[i].astype(np.int64) - t.dob_ordinal[j]) <= 366
    return _assign(len(i), missing, [exact, day_month, one_digit, digits_swapped, close])


DOB = Comparison(
    "dob",
    (
        "dob_exact",
        "dob_transposed",
        "dob_typo",
        "dob_digits_swapped",
        "dob_close",
        "dob_different",
    ),
    compare_dob,
)


def compare_pnc(t: Table, i: np.ndarray, j: np.ndarray) -> Levels:
    missing = (t.pnc_code[i] < 0) | (t.pnc_code[j] < 0)
    exact = t.pnc_code[i] == t.pnc_code[j]
    typo = _similarity(DamerauLevenshtein.distance, t.pnc[i], t.pnc[j], ~(missing | exact)) == 1
    return _assign(len(i), missing, [exact, typo & ~(missing | exact)])


PNC = Comparison("pnc", ("pnc_exact", "pnc_typo", "pnc_conflict"), compare_pnc)


def compare_custody(t: Table, i: np.ndarray, j: np.ndarray) -> Levels:
    missing = (t.custody[i, 0] < 0) | (t.custody[j, 0] < 0)
    shared = _any_equal(t.custody[i], t.custody[j])
    typo = (
        _similarity(
            DamerauLevenshtein.distance, t.custody_first[i], t.custody_first[j], ~(missing | shared)
        )
        == 1
    )
    return _assign(len(i), missing, [shared, typo & ~(missing | shared)])


CUSTODY = Comparison(
    "custody",
    ("custody_number_same", "custody_number_typo", "custody_number_other"),
    compare_custody,
)


def compare_sex(t: Table, i: np.ndarray, j: np.ndarray) -> Levels:
    missing = (t.sex[i] < 0) | (t.sex[j] < 0)
    return _assign(len(i), missing, [t.sex[i] == t.sex[j]])


SEX = Comparison("sex", ("sex_same", "sex_different"), compare_sex)


def compare_address(t: Table, i: np.ndarray, j: np.ndarray) -> Levels:
    """The best agreement between any address of one and any address of the other (history:
    the current address first, then previous ones)."""
    has_i = (t.postcode[i] >= 0) | (t.town[i] >= 0) | (t.line[i] != "")
    has_j = (t.postcode[j] >= 0) | (t.town[j] >= 0) | (t.line[j] != "")
    missing = ~has_i.any(axis=1) | ~has_j.any(axis=1)
    n = len(i)
    same_both = np.zeros(n, dtype=bool)
    same_line_town = np.zeros(n, dtype=bool)
    for a in range(t.postcode.shape[1]):
        for b in range(t.postcode.shape[1]):
            li, lj = t.line[i, a], t.line[j, b]
            usable = (li != "") & (lj != "") & ~missing
            if not usable.any():
                continue
            line_same = _similarity(JaroWinkler.normalized_similarity, li, lj, usable) >= LINE_JW
            pc_same = (t.postcode[i, a] == t.postcode[j, b]) & (t.postcode[i, a] >= 0)
            town_same = (t.town[i, a] == t.town[j, b]) & (t.town[i, a] >= 0)
            same_both |= line_same & pc_same
            same_line_town |= line_same & town_same
    postcode = _any_equal(t.postcode[i], t.postcode[j])
    area = _any_equal(t.district[i], t.district[j]) | _any_equal(t.town[i], t.town[j])
    return _assign(n, missing, [same_both, same_line_town, postcode, area])


ADDRESS = Comparison(
    "address",
    ("address_same", "address_line_town", "postcode_same", "postcode_area", "address_different"),
    compare_address,
)

#: The comparisons of the model, in the order of a comparison vector's columns.
COMPARISONS: tuple[Comparison, ...] = (GIVEN, FAMILY, DOB, PNC, CUSTODY, SEX, ADDRESS)
INDEX = {c.name: k for k, c in enumerate(COMPARISONS)}


def comparison_vectors(t: Table, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The (pairs x comparisons) matrix of levels."""
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    if len(i) == 0:
        return np.zeros((0, len(COMPARISONS)), dtype=np.int8)
    return np.column_stack([c.compare(t, i, j) for c in COMPARISONS]).astype(np.int8)


def years_apart(t: Table, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whole years between the dates of birth (0 where either is missing)."""
    both = (t.dob_ordinal[i] > 0) & (t.dob_ordinal[j] > 0)
    return np.where(both, np.abs(t.year[i].astype(np.int32) - t.year[j]), 0)
