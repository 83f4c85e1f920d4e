"""Person matching: is this new record somebody we already hold?

The people services retrieve a small candidate set (by the stored phonetic keys of the
names, the date of birth, the PNC ID, a custody number or a postcode) and call :func:`rank`
to offer the likely existing people, each with the reasons for the offer.

The score is the match probability of the current linkage model (``people.linkage``): a
Fellegi-Sunter model whose weights are estimated from the people table by expectation
maximisation, stored and versioned (``people.models.MatchModel``) and shown to
administrators. Before any model has been estimated here, the model shipped with the code
(estimated from the Welsh generator of bench/match_eval.py) is used. docs/matching.md gives
the method and its measured accuracy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pontio.people.linkage.features import Record, build_table
from pontio.people.linkage.model import LinkageModel, reasons, withhold_ambiguous
from pontio.people.linkage.normalise import (
    canonical_family_names,
    canonical_given_names,
    normalise_name,
    normalise_pnc,
    normalise_postcode,
    phonetic_key,
)
from pontio.people.model_store import default_model

__all__ = [
    "LIKELY_THRESHOLD",
    "REASON_LABELS",
    "Identity",
    "Match",
    "canonical_family_names",
    "canonical_given_names",
    "compare",
    "default_model",
    "normalise_name",
    "normalise_pnc",
    "normalise_postcode",
    "phonetic_key",
    "rank",
]

K = TypeVar("K")


@dataclass(frozen=True)
class Identity:
    """What we know about a person for matching purposes."""

    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    pnc_id: str = ""
    postcode: str = ""
    aliases: tuple[tuple[str, str], ...] = ()
    sex: str = ""
    #: (postcode, first line, town) of every address known, the current one first.
    addresses: tuple[tuple[str, str, str], ...] = ()
    custody_numbers: tuple[str, ...] = ()

    def record(self) -> Record:
        addresses = self.addresses
        if self.postcode and not any(a[0] == self.postcode for a in addresses):
            addresses = ((self.postcode, "", ""), *addresses)
        return Record(
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            pnc_id=self.pnc_id,
            addresses=addresses,
            custody_numbers=self.custody_numbers,
            previous_family_names=tuple(family for _given, family in self.aliases if family),
        )


@dataclass(frozen=True)
class Match:
    """The outcome of comparing a query with one candidate."""

    score: float
    reasons: tuple[str, ...]
    likely: bool


#: Offer a candidate as "likely the same person" at or above this probability, and put a
#: pair in a de-duplication cluster (docs/matching.md gives precision and recall there).
LIKELY_THRESHOLD: float = 0.9

#: :func:`rank` drops candidates below this probability: they are not worth an officer's time.
RANK_MIN_SCORE: float = 0.05

REASON_LABELS: dict[str, Promise] = {
    "pnc_exact": _("Same PNC ID"),
    "pnc_typo": _("PNC ID differs by one character"),
    "pnc_conflict": _("Different PNC ID"),
    "custody_number_same": _("Same custody number"),
    "custody_number_typo": _("Custody number differs by one character"),
    "custody_number_other": _("Different custody numbers"),
    "dob_exact": _("Same date of birth"),
    "dob_transposed": _("Date of birth with day and month swapped"),
    "dob_typo": _("Date of birth differs by one digit"),
    "dob_digits_swapped": _("Date of birth with two digits swapped"),
    "dob_close": _("Date of birth within a year"),
    "dob_different": _("Different date of birth"),
    "family_exact": _("Same family name"),
    "family_variant": _("Welsh or English form of the family name"),
    "family_phonetic": _("Family name sounds the same"),
    "family_typo": _("Family name spelt slightly differently"),
    "family_part": _("Shares part of a double-barrelled family name"),
    "family_similar": _("Similar family name"),
    "family_different": _("Different family name"),
    "given_exact": _("Same given name"),
    "given_nickname": _("Given name is a known short form or Welsh/English variant"),
    "given_phonetic": _("Given name sounds the same"),
    "given_typo": _("Given name spelt slightly differently"),
    "given_initial": _("Given name matches an initial"),
    "given_similar": _("Similar given name"),
    "given_different": _("Different given name"),
    "given_other_name": _("Matched on a middle name"),
    "names_swapped": _("Given and family names swapped"),
    "alias": _("Matched on an alias or previous name"),
    "sex_same": _("Same sex"),
    "sex_different": _("Different sex"),
    "address_same": _("Same address"),
    "address_line_town": _("Same street address and town"),
    "postcode_same": _("Same postcode"),
    "postcode_area": _("Same postcode area or town"),
    "address_different": _("No address in common"),
    "possible_twin": _("Could be a twin: same date of birth and family name, another given name"),
    "possible_parent_child": _("Could be a parent and child: same name, born a generation apart"),
    "ambiguous_relative": _(
        "Also looks like a relative recorded separately: it could be either of them"
    ),
    "given_related": _("Given names are two short forms of one name"),
    "names_different": _("Neither name agrees: only an identifier could show one person"),
}


def _model(model: LinkageModel | None) -> LinkageModel:
    if model is not None:
        return model
    from pontio.people.model_store import current_match_model

    return current_match_model()


def score_many(
    query: Identity, candidates: Sequence[Identity], model: LinkageModel | None = None
) -> list[Match]:
    """One :class:`Match` per candidate, in order."""
    if not candidates:
        return []
    model = _model(model)
    table = build_table([query.record(), *(c.record() for c in candidates)])
    right = np.arange(1, len(candidates) + 1)
    left = np.zeros(len(candidates), dtype=np.int64)
    scores = model.score(table, left, right)
    withhold_ambiguous(model, table, np.column_stack([left, right]), scores, LIKELY_THRESHOLD)
    out = []
    for row in range(len(candidates)):
        probability = round(float(scores.probability[row]), 4)
        out.append(
            Match(
                score=probability,
                reasons=reasons(model, scores, row),
                likely=probability >= LIKELY_THRESHOLD,
            )
        )
    return out


def compare(query: Identity, candidate: Identity, model: LinkageModel | None = None) -> Match:
    """How likely ``candidate`` is the person described by ``query``."""
    return score_many(query, [candidate], model)[0]


def rank(
    query: Identity,
    candidates: Iterable[tuple[K, Identity]],
    limit: int = 10,
    model: LinkageModel | None = None,
) -> list[tuple[K, Match]]:
    """The best ``limit`` candidates for ``query``, best first, dropping those scoring under
    RANK_MIN_SCORE. Ties keep the order of ``candidates``."""
    items = list(candidates)
    matches = score_many(query, [identity for _key, identity in items], model)
    scored = [(key, match) for (key, _i), match in zip(items, matches, strict=True)]
    useful = [(key, match) for key, match in scored if match.score >= RANK_MIN_SCORE]
    useful.sort(key=lambda item: item[1].score, reverse=True)
    return useful[:limit]
