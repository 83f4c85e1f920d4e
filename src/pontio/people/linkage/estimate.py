"""Estimating a linkage model from the people table itself (no labelled pairs needed).

The method is the one Splink uses (Linacre et al., Splink; Fellegi and Sunter 1969):

1. **u** (the level frequencies among non-matches) from pairs drawn at random: almost every
   random pair is two different people.
2. **m** (the level frequencies among matches) by expectation maximisation with u fixed, in
   two sessions: pairs with the same date of birth (which estimates the name, identifier, sex
   and address comparisons) and pairs with the same name keys (which estimates the date of
   birth). A session leaves out the comparisons its blocking key forces to agree.
3. **the prior** from the first session: the matches EM finds among same-birthday pairs,
   divided by the share of matches that have the same birthday, out of all pairs.
4. **term frequencies** of given and family names. Only values held by at least
   :data:`TF_MIN_COUNT` records are stored, so the model names nobody; rarer values use the
   average frequency of the rare ones.

EM counts each distinct comparison vector once with its multiplicity, so a session over
millions of pairs runs in well under a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pontio.people.linkage.blocking import (
    DOB_FAMILY_RULE,
    DOB_GIVEN_RULE,
    NAMES_POSTCODE_RULE,
    group_ids,
    sample_pairs_within,
)
from pontio.people.linkage.comparisons import COMPARISONS, INDEX, comparison_vectors
from pontio.people.linkage.features import Record, Table, build_table
from pontio.people.linkage.model import LinkageModel, guards

#: A model estimated from fewer records is refused (its u and m would be noise).
MIN_RECORDS = 1000
#: Random pairs drawn to estimate u.
U_SAMPLE_PAIRS = 1_000_000
#: Pairs used per EM session (a random subset when there are more).
EM_MAX_PAIRS = 2_000_000
TF_MIN_COUNT = 5
EM_MAX_ITERATIONS = 100
EM_TOLERANCE = 1e-5
#: Pseudo-count added to every level, so a level never seen keeps a small probability.
PSEUDO_COUNT = 0.5


class TooFewRecords(ValueError):
    """The table is too small to estimate a model from."""


@dataclass
class Session:
    name: str
    pairs: int
    iterations: int
    converged: bool
    prior: float


def _level_counts(levels: np.ndarray, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    size = len(COMPARISONS[k].levels)
    col = levels[:, k]
    present = col >= 0
    counts = np.bincount(
        col[present].astype(np.int64),
        weights=None if weights is None else weights[present],
        minlength=size,
    ).astype(np.float64)
    return counts


def _normalised(counts: np.ndarray) -> np.ndarray:
    counts = counts + PSEUDO_COUNT
    return counts / counts.sum()


def estimate_u(t: Table, rng: np.random.Generator, pairs: int = U_SAMPLE_PAIRS) -> list[np.ndarray]:
    total = t.n * (t.n - 1) // 2
    if total <= pairs:
        i, j = np.triu_indices(t.n, 1)
    else:
        i = rng.integers(0, t.n, size=pairs)
        j = rng.integers(0, t.n - 1, size=pairs)
        j = np.where(j >= i, j + 1, j)
    levels = comparison_vectors(t, i, j)
    return [_normalised(_level_counts(levels, k)) for k in range(len(COMPARISONS))]


def _em(
    levels: np.ndarray, u: list[np.ndarray], m: list[np.ndarray], active: list[int], prior: float
) -> tuple[list[np.ndarray], float, int, bool]:
    """EM over the distinct rows of ``levels`` for the ``active`` comparisons, u fixed."""
    patterns, counts = np.unique(levels[:, active], axis=0, return_counts=True)
    counts = counts.astype(np.float64)
    m = [x.copy() for x in m]
    converged = False
    iteration = 0
    for iteration in range(1, EM_MAX_ITERATIONS + 1):  # noqa: B007 (reported after the loop)
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for col, k in enumerate(active):
            lv = patterns[:, col]
            present = lv >= 0
            log_m[present] += np.log(m[k][lv[present]])
            log_u[present] += np.log(u[k][lv[present]])
        a = np.log(prior) + log_m
        b = np.log1p(-prior) + log_u
        posterior = 1.0 / (1.0 + np.exp(b - a))
        weighted = posterior * counts
        new_prior = float(weighted.sum() / counts.sum())
        new_prior = min(max(new_prior, 1e-9), 1 - 1e-9)
        change = abs(new_prior - prior)
        for col, k in enumerate(active):
            lv = patterns[:, col]
            present = lv >= 0
            counts_k = np.bincount(
                lv[present].astype(np.int64), weights=weighted[present], minlength=len(m[k])
            )
            new_m = _normalised(counts_k)
            change = max(change, float(np.abs(new_m - m[k]).max()))
            m[k] = new_m
        prior = new_prior
        if change < EM_TOLERANCE:
            converged = True
            break
    return m, prior, iteration, converged


def _initial_m() -> list[np.ndarray]:
    """A start that says "matches mostly agree": most mass on the best level."""
    out = []
    for c in COMPARISONS:
        size = len(c.levels)
        start = np.full(size, 0.1 / max(size - 1, 1))
        start[0] = 0.9
        out.append(start / start.sum())
    return out


def _session_pairs(t: Table, rule: tuple, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """The session's pairs (a uniform sample of EM_MAX_PAIRS when there are more) and how
    many pairs the rule makes in all (for the prior)."""
    ids = group_ids(rule[1](t))
    counts = np.bincount(ids[ids >= 0])
    total = int((counts.astype(np.int64) * (counts - 1) // 2).sum())
    return sample_pairs_within(ids, EM_MAX_PAIRS, rng), total


def term_frequencies(values: np.ndarray) -> tuple[dict[str, float], float]:
    counts = Counter(v for v in values if v)
    total = sum(counts.values()) or 1
    kept = {v: c / total for v, c in counts.items() if c >= TF_MIN_COUNT}
    rare = [c for c in counts.values() if c < TF_MIN_COUNT]
    default = (sum(rare) / len(rare) / total) if rare else 1.0 / total
    return kept, default


def estimate(records: Sequence[Record] | Table, *, seed: int = 0) -> LinkageModel:
    """A model estimated from ``records`` (or an already built table)."""
    t = records if isinstance(records, Table) else build_table(records)
    if t.n < MIN_RECORDS:
        raise TooFewRecords(t.n)
    rng = np.random.default_rng(seed)
    u = estimate_u(t, rng)
    m = _initial_m()
    dob, given, family = INDEX["dob"], INDEX["given"], INDEX["family"]
    sex, address = INDEX["sex"], INDEX["address"]
    everything = list(range(len(COMPARISONS)))
    sessions = []
    estimated: dict[int, list[np.ndarray]] = {k: [] for k in everything}
    first: tuple[float, float] | None = None
    # Each session leaves out the comparisons its key makes agree, and sex where the key
    # holds a given name (given names are gendered: pairs with the same given name nearly
    # always have the same sex, which random pairs do not, and EM would take "same sex" for
    # evidence of a match).
    plan = (
        (DOB_FAMILY_RULE, {dob, family}),
        (NAMES_POSTCODE_RULE, {given, family, sex, address}),
        (DOB_GIVEN_RULE, {dob, given, sex}),
    )
    for rule, fixed in plan:
        pairs, rule_pairs = _session_pairs(t, rule, rng)
        if len(pairs) == 0:
            continue
        levels = comparison_vectors(t, pairs[:, 0], pairs[:, 1])
        # Pairs the guards call different people (twins, siblings at one address, parent
        # and child) are left out: EM would otherwise learn households as "matches" and
        # with them that a different given name is common among matches.
        distinct = guards(t, pairs[:, 0], pairs[:, 1], levels) != ""
        levels = levels[~distinct]
        if not len(levels):
            continue
        active = [k for k in everything if k not in fixed]
        session_m, prior, iterations, converged = _em(levels, u, m, active, 0.1)
        for k in active:
            estimated[k].append(session_m[k])
        sessions.append(Session(rule[0], len(levels), iterations, converged, prior))
        if rule is DOB_FAMILY_RULE:
            # The matches EM finds in the sample, scaled to every pair the rule makes that
            # the guards do not call different people.
            first = (prior, rule_pairs * len(levels) / len(pairs))
    final_m = [np.mean(estimated[k], axis=0) if estimated[k] else m[k] for k in everything]
    final_m = [x / x.sum() for x in final_m]
    total_pairs = t.n * (t.n - 1) / 2
    with_dob = float((t.dob_ordinal > 0).mean())
    with_family = float((t.family_code >= 0).mean())
    if first is not None:
        # The share of all matches that the first rule can see: the same date of birth and
        # the same family name key (exact or sound-alike; typo, part and alias spellings
        # mostly have another key).
        family_key_same = final_m[family][0] + final_m[family][2]
        share = final_m[dob][0] * family_key_same * (with_dob * with_family) ** 2
        matches = first[0] * first[1] / max(share, 1e-9)
    else:
        matches = t.n * 0.01
    prior = min(max(matches / total_pairs, 1e-12), 0.5)
    tf_given, default_given = term_frequencies(t.given_first)
    tf_family, default_family = term_frequencies(t.family)
    return LinkageModel(
        prior=prior,
        m={c.name: final_m[k].tolist() for k, c in enumerate(COMPARISONS)},
        u={c.name: u[k].tolist() for k, c in enumerate(COMPARISONS)},
        tf={"given": tf_given, "family": tf_family},
        tf_default={"given": default_given, "family": default_family},
        diagnostics={
            "records": t.n,
            "expected_duplicate_pairs": round(matches),
            "sessions": [s.__dict__ for s in sessions],
            "u_sample_pairs": min(U_SAMPLE_PAIRS, int(total_pairs)),
        },
    )
