"""The estimated linkage model: parameters, match weights, probabilities and guards.

A pair's match weight is the prior log2 odds that two records are the same person plus, per
comparison, log2(m / u) of the pair's level (nothing for a missing value). An exact agreement
on a given or family name uses the value's own frequency as u (term-frequency adjustment), so
agreeing on "Jones" counts for less than agreeing on "Prydderch". The probability is
2^w / (1 + 2^w).

Two hard negatives are never left to the weights (docs/matching.md): twins (same date of
birth and family name, different given names) and parent and child (same names, born a
generation apart). Unless an identifier (PNC ID or custody number) agrees, such a pair's
probability is capped at :data:`GUARD_CAP`, under every threshold that offers or clusters.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pontio.people.linkage.comparisons import (
    COMPARISONS,
    GENERATION_YEARS,
    INDEX,
    comparison_vectors,
    years_apart,
)
from pontio.people.linkage.features import Table

FORMAT = 1
#: Probability a guarded pair (possible twins, parent and child) is capped at.
GUARD_CAP = 0.5

_G, _F, _D, _P, _C, _S, _A = (
    INDEX[k] for k in ("given", "family", "dob", "pnc", "custody", "sex", "address")
)


@dataclass
class LinkageModel:
    """m and u per comparison level, the prior, and the name frequencies."""

    #: Probability that two records drawn at random are the same person.
    prior: float
    #: comparison name -> per-level probabilities given a match / a non-match.
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    #: comparison name ("given", "family") -> {normalised value: frequency among records}.
    tf: dict[str, dict[str, float]] = field(default_factory=dict)
    #: The frequency used for values not in ``tf`` (rare ones are not stored).
    tf_default: dict[str, float] = field(default_factory=dict)
    #: How the model was estimated (records, pairs, EM iterations...).
    diagnostics: dict[str, Any] = field(default_factory=dict)

    # -- serialisation ---------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "prior": self.prior,
            "comparisons": {
                c.name: {"levels": list(c.levels), "m": self.m[c.name], "u": self.u[c.name]}
                for c in COMPARISONS
            },
            "tf": self.tf,
            "tf_default": self.tf_default,
            "diagnostics": self.diagnostics,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkageModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown model format {data.get('format')!r}")
        comparisons = data["comparisons"]
        for c in COMPARISONS:
            if comparisons[c.name]["levels"] != list(c.levels):
                raise ValueError(f"the levels of {c.name} have changed: re-estimate the model")
        return cls(
            prior=float(data["prior"]),
            m={name: list(v["m"]) for name, v in comparisons.items()},
            u={name: list(v["u"]) for name, v in comparisons.items()},
            tf=data.get("tf", {}),
            tf_default=data.get("tf_default", {}),
            diagnostics=data.get("diagnostics", {}),
        )

    def dumps(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True)

    # -- weights -----------------------------------------------------------------------

    def weights(self) -> list[np.ndarray]:
        """Per comparison, log2(m/u) of each level."""
        cached = getattr(self, "_weights", None)
        if cached is None:
            cached = [
                np.log2(np.asarray(self.m[c.name]) / np.asarray(self.u[c.name]))
                for c in COMPARISONS
            ]
            self._weights = cached
        return cached

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    def _tf_adjustment(self, name: str, values: np.ndarray, agree: np.ndarray) -> np.ndarray:
        """log2(u_level / tf(value)) where the pair agrees exactly; 0 elsewhere."""
        out = np.zeros(len(values), dtype=np.float64)
        where = np.flatnonzero(agree)
        if not len(where):
            return out
        table, default = self.tf.get(name, {}), self.tf_default.get(name)
        if default is None:
            return out
        level = next(c.tf_level for c in COMPARISONS if c.name == name) or 0
        u_level = self.u[name][level]
        freqs = np.fromiter(
            (table.get(values[k], default) for k in where), dtype=np.float64, count=len(where)
        )
        out[where] = np.log2(u_level / np.maximum(freqs, 1e-9))
        return out

    def score(self, t: Table, i: np.ndarray, j: np.ndarray) -> Scores:
        """Levels, match weights, guards and probabilities of the pairs (i, j) of ``t``."""
        i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
        levels = comparison_vectors(t, i, j)
        parts = np.zeros(levels.shape, dtype=np.float64)
        for k, w in enumerate(self.weights()):
            col = levels[:, k]
            present = col >= 0
            parts[present, k] = w[col[present]]
        parts[:, _G] += self._tf_adjustment("given", t.given_first[i], levels[:, _G] == 0)
        parts[:, _F] += self._tf_adjustment("family", t.family[i], levels[:, _F] == 0)
        weight = self.prior_weight + parts.sum(axis=1)
        probability = 1.0 / (1.0 + np.exp2(-weight))
        guard = guards(t, i, j, levels)
        probability = np.where(guard != "", np.minimum(probability, GUARD_CAP), probability)
        return Scores(
            levels=levels, parts=parts, weight=weight, probability=probability, guard=guard
        )


@dataclass
class Scores:
    levels: np.ndarray
    parts: np.ndarray  # per comparison, the weight it contributed
    weight: np.ndarray
    probability: np.ndarray
    guard: np.ndarray  # "" or the reason code of the guard that capped it


def guards(t: Table, i: np.ndarray, j: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """The hard negatives: "possible_twin" or "possible_parent_child" (or "").

    - twins, and brothers and sisters at one address: a different given name (not a
      variant, typo or initial) with the same or nearly the same date of birth and family
      name, or with the same address and family name;
    - parent and child: the same or nearly the same names, born a generation apart, unless a
      typing slip explains the gap (1935/1953 is two digits swapped, not a generation).

    - different people: neither name agrees in any way.

    None applies when the PNC ID or a custody number agrees.
    """
    identified = (levels[:, _P] == 0) | (levels[:, _C] == 0)
    family, given, dob, address = levels[:, _F], levels[:, _G], levels[:, _D], levels[:, _A]
    family_same = (family >= 0) & (family <= 5)
    other_given = (given == 4) | (given == 8) | (given == 9)  # related, similar, different
    # A given name that only sounds or looks like the other, with the other sex, is the
    # other sex's name (Michael and Michelle, Paul and Paula): a different given name.
    other_given |= (levels[:, _S] == 1) & (given >= 1) & (given <= 3)
    dob_near = (dob >= 0) & (dob <= 3)
    same_address = (address == 0) | (address == 1)
    twin = other_given & family_same & (dob_near | same_address) & ~identified
    swapped = (given == 7) & (family == 6)
    same_names = (family_same & (given >= 0) & (given <= 3)) | swapped
    slip = (dob >= 1) & (dob <= 3)
    generation = same_names & (years_apart(t, i, j) >= GENERATION_YEARS) & ~slip & ~identified
    # Neither name agrees in any way (not even swapped): a shared address and birthday are
    # a household's, not one person's.
    strangers = ((given == 8) | (given == 9)) & ((family == 7) | (family == 8)) & ~identified
    out = np.full(len(i), "", dtype=object)
    out[strangers] = "names_different"
    out[twin] = "possible_twin"
    out[generation] = "possible_parent_child"
    return out


def reasons(
    model: LinkageModel, scores: Scores, row: int, min_bits: float = 0.5
) -> tuple[str, ...]:
    """The reason codes of one pair: agreements strongest first, then disagreements most
    damaging first; a guard's reason leads. Levels worth under ``min_bits`` are left out."""
    found: dict[str, float] = {}
    for k, comparison in enumerate(COMPARISONS):
        level = int(scores.levels[row, k])
        if level < 0:
            continue
        bits = float(scores.parts[row, k])
        code = comparison.levels[level]
        if abs(bits) >= min_bits and (code not in found or abs(bits) > abs(found[code])):
            found[code] = bits
    positives = sorted((c for c, b in found.items() if b > 0), key=lambda c: -found[c])
    negatives = sorted((c for c, b in found.items() if b < 0), key=lambda c: found[c])
    guard = str(scores.guard[row])
    return ((guard,) if guard else ()) + tuple(positives + negatives)


#: How many of a record's links are checked against each other for ambiguity.
AMBIGUITY_FANOUT = 10


def ambiguous_links(
    model: LinkageModel, t: Table, edges: np.ndarray, identified: np.ndarray
) -> np.ndarray:
    """The links (rows of ``edges``, pairs already at or above the threshold) to withhold
    because one record links to two records that the guards call different people (a
    father and son both called Huw Watkins at one address, and a third record of that name
    without a date of birth: it could be either). A link made by an agreeing identifier
    (``identified``) is kept. Returns a boolean mask over ``edges``."""
    out = np.zeros(len(edges), dtype=bool)
    partners: dict[int, list[tuple[int, int]]] = {}
    for k, (a, b) in enumerate(edges.tolist()):
        partners.setdefault(a, []).append((k, b))
        partners.setdefault(b, []).append((k, a))
    checks: list[tuple[int, int]] = []
    owners: list[tuple[int, int]] = []
    for links in partners.values():
        links = links[:AMBIGUITY_FANOUT]
        for x in range(len(links)):
            for y in range(x + 1, len(links)):
                checks.append((links[x][1], links[y][1]))
                owners.append((links[x][0], links[y][0]))
    if not checks:
        return out
    pairs = np.asarray(checks, dtype=np.int64)
    levels = comparison_vectors(t, pairs[:, 0], pairs[:, 1])
    distinct = guards(t, pairs[:, 0], pairs[:, 1], levels) != ""
    for (k1, k2), flag in zip(owners, distinct.tolist(), strict=True):
        if flag:
            out[k1] |= not identified[k1]
            out[k2] |= not identified[k2]
    return out


def identified_links(scores: Scores) -> np.ndarray:
    """Pairs whose PNC ID or a custody number agrees."""
    return (scores.levels[:, _P] == 0) | (scores.levels[:, _C] == 0)


def withhold_ambiguous(
    model: LinkageModel, t: Table, pairs: np.ndarray, scores: Scores, threshold: float
) -> None:
    """Cap, in place, the ambiguous links among ``pairs`` scoring at or above ``threshold``."""
    linked = np.flatnonzero(scores.probability >= threshold)
    if len(linked) < 2:
        return
    capped = ambiguous_links(model, t, pairs[linked], identified_links(scores)[linked])
    rows = linked[capped]
    scores.probability[rows] = np.minimum(scores.probability[rows], GUARD_CAP)
    scores.guard[rows] = "ambiguous_relative"
