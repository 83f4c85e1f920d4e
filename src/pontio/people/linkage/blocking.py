"""Candidate pairs of a whole table: pairs that share a blocking key under at least one rule.

Comparing every pair of 2M records is 2 * 10^12 comparisons; the rules keep the pairs that
could plausibly be the same person, each rule tolerating the errors the others do not
(a date of birth typo is caught by the names-and-year rule, a swapped day and month by the
sorted date, swapped names by the sorted name keys). docs/matching.md measures how many true
pairs the rules keep (blocking completeness).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pontio.people.linkage.features import Table

#: A key group larger than this is skipped (counted in the run): it is a data problem (a
#: placeholder name or date), and would swamp the run with pairs.
MAX_GROUP = 5000


def _dob_sorted(t: Table) -> np.ndarray:
    low = np.minimum(t.day, t.month).astype(np.int64)
    high = np.maximum(t.day, t.month).astype(np.int64)
    key = t.year.astype(np.int64) * 10000 + low * 100 + high
    return np.where(t.dob_ordinal > 0, key, -1)


def _names_sorted(t: Table) -> tuple[np.ndarray, np.ndarray]:
    a, b = t.given_key.astype(np.int64), t.family_key.astype(np.int64)
    return np.minimum(a, b), np.maximum(a, b)


Rule = tuple[str, Callable[[Table], list[np.ndarray]]]

RULES: tuple[Rule, ...] = (
    ("pnc", lambda t: [t.pnc_code]),
    ("custody_number", lambda t: [t.custody[:, 0]]),
    ("dob_family", lambda t: [_dob_sorted(t), t.family_key]),
    ("dob_given", lambda t: [_dob_sorted(t), t.given_key]),
    # A slip in the day keeps the month, a slip in the month keeps the day (names and year
    # alone would pair every David Jones born in 1985: 34M pairs at 2M people).
    ("names_year_month", lambda t: [t.given_key, t.family_key, t.year, t.month]),
    ("names_year_day", lambda t: [t.given_key, t.family_key, t.year, t.day]),
    ("names_day_month", lambda t: [t.given_key, t.family_key, t.month, t.day]),
    ("dob_postcode", lambda t: [_dob_sorted(t), t.postcode[:, 0]]),
    # The only rule without a date of birth: a record entered without one.
    ("names_postcode", lambda t: [t.given_key, t.family_key, t.postcode[:, 0]]),
    # A names-and-postcode-district rule was tried: 33M of the 56M pairs at 2M people, and
    # no true pair on either evaluation data set that the other rules miss.
    ("family_postcode", lambda t: [t.family_key, t.postcode[:, 0]]),
    ("names_sorted_dob", lambda t: [*_names_sorted(t), _dob_sorted(t)]),
)


#: The rules of the two EM sessions (see estimate.py): each leaves out of its session the
#: comparisons its key makes agree.
# Each is tight enough that many of its pairs are matches even in a national table (EM needs
# that: among all the pairs of one birthday, or of one name, matches are a few in ten
# thousand and EM finds other patterns instead, such as names that were fashionable in the
# same years).
def _dob(t: Table) -> np.ndarray:
    return np.where(t.dob_ordinal > 0, t.dob_ordinal, -1)


DOB_FAMILY_RULE: Rule = ("dob_family", lambda t: [_dob(t), t.family_key])
DOB_GIVEN_RULE: Rule = ("dob_given", lambda t: [_dob(t), t.given_key])
NAMES_POSTCODE_RULE: Rule = (
    "names_postcode",
    lambda t: [t.given_key, t.family_key, t.postcode[:, 0]],
)


def group_ids(columns: list[np.ndarray]) -> np.ndarray:
    """One int64 group id per row for the combination of columns; -1 if any is missing.
    Missing values are negative (codes -1; dates 0 are mapped to -1 by the rules)."""
    stacked = np.column_stack([np.asarray(c, dtype=np.int64) for c in columns])
    valid = (stacked >= 0).all(axis=1)
    ids = np.full(len(stacked), -1, dtype=np.int64)
    if valid.any():
        _unique, inverse = np.unique(stacked[valid], axis=0, return_inverse=True)
        ids[valid] = inverse.ravel()
    return ids


def pairs_within(ids: np.ndarray, max_group: int = MAX_GROUP) -> tuple[np.ndarray, int]:
    """All pairs (i < j) of rows that share a group id, as an (m, 2) array, and the number of
    rows in groups skipped for being larger than ``max_group``."""
    rows = np.flatnonzero(ids >= 0)
    order = rows[np.argsort(ids[rows], kind="stable")]
    keys = ids[order]
    if len(keys) == 0:
        return np.zeros((0, 2), dtype=np.int64), 0
    starts = np.r_[0, np.flatnonzero(np.diff(keys)) + 1]
    sizes = np.diff(np.r_[starts, len(keys)])
    skipped = int(sizes[sizes > max_group].sum())
    chunks = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= max_group)]):
        group_starts = starts[sizes == size]
        a, b = np.triu_indices(int(size), 1)
        left = order[group_starts[:, None] + a[None, :]].ravel()
        right = order[group_starts[:, None] + b[None, :]].ravel()
        chunks.append(np.column_stack([np.minimum(left, right), np.maximum(left, right)]))
    if not chunks:
        return np.zeros((0, 2), dtype=np.int64), skipped
    return np.concatenate(chunks), skipped


def candidate_pairs(
    t: Table, rules: tuple[Rule, ...] = RULES, max_group: int = MAX_GROUP
) -> tuple[np.ndarray, dict[str, int]]:
    """The distinct candidate pairs under any rule, and per rule the pairs it generated (and
    the rows skipped in oversized groups, as ``<rule>_skipped``)."""
    encoded = []
    counts: dict[str, int] = {}
    for name, columns in rules:
        pairs, skipped = pairs_within(group_ids(columns(t)), max_group)
        counts[name] = len(pairs)
        if skipped:
            counts[f"{name}_skipped"] = skipped
        encoded.append(pairs[:, 0] * t.n + pairs[:, 1])
    if not encoded:
        return np.zeros((0, 2), dtype=np.int64), counts
    unique = np.unique(np.concatenate(encoded))
    return np.column_stack([unique // t.n, unique % t.n]), counts


def sample_pairs_within(
    ids: np.ndarray, size: int, rng: np.random.Generator, max_group: int = MAX_GROUP
) -> np.ndarray:
    """``size`` pairs (i < j, with replacement) drawn uniformly from all the pairs that share
    a group id, without building them all (2M people share 1.2 billion name pairs): a group
    is picked with probability proportional to its number of pairs, then two of its rows."""
    rows = np.flatnonzero(ids >= 0)
    order = rows[np.argsort(ids[rows], kind="stable")]
    keys = ids[order]
    if len(keys) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(keys)) + 1]
    sizes = np.diff(np.r_[starts, len(keys)])
    usable = (sizes >= 2) & (sizes <= max_group)
    starts, sizes = starts[usable], sizes[usable]
    weights = sizes.astype(np.float64) * (sizes - 1) / 2
    if not len(weights) or weights.sum() == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if weights.sum() <= size:
        return pairs_within(ids, max_group)[0]
    group = rng.choice(len(sizes), size=size, p=weights / weights.sum())
    n = sizes[group]
    a = rng.integers(0, n)
    b = rng.integers(0, n - 1)
    b = np.where(b >= a, b + 1, b)
    left, right = order[starts[group] + a], order[starts[group] + b]
    return np.column_stack([np.minimum(left, right), np.maximum(left, right)])


def sample_candidate_pairs(
    t: Table, size: int, rng: np.random.Generator, rules: tuple[Rule, ...] = RULES
) -> np.ndarray:
    """About ``size`` distinct candidate pairs, an equal share drawn from each rule (a sample
    to compare two models on, not to find duplicates)."""
    share = max(size // max(len(rules), 1), 1)
    drawn = [sample_pairs_within(group_ids(columns(t)), share, rng) for _name, columns in rules]
    drawn = [d for d in drawn if len(d)]
    if not drawn:
        return np.zeros((0, 2), dtype=np.int64)
    encoded = np.unique(np.concatenate([d[:, 0] * t.n + d[:, 1] for d in drawn]))
    return np.column_stack([encoded // t.n, encoded % t.n])
