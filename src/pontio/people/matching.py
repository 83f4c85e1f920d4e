"""Person matching: is this new record somebody we already hold?

Pure Python, no database. The people services retrieve a small candidate set (by the
stored ``phonetic_key`` of the family name, the date of birth or the PNC id) and call
:func:`rank` to offer the likely existing people, each with the reasons for the offer.

The score is a Fellegi-Sunter style sum of agreement weights (log2 odds) passed through a
logistic curve, so 0.5 means "evidence balanced" and every extra bit doubles the odds.
The weights and the evaluation behind them are in docs/matching.md; the evaluation itself
is bench/match_eval.py.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import jellyfish
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pontio.people.names import GIVEN_NAME_INDEX

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


@dataclass(frozen=True)
class Match:
    """The outcome of comparing a query with one candidate."""

    score: float
    reasons: tuple[str, ...]
    likely: bool


#: Offer a candidate as "likely the same person" at or above this score (see docs/matching.md).
LIKELY_THRESHOLD: float = 0.7

#: :func:`rank` drops candidates below this score: they are not worth an officer's time.
RANK_MIN_SCORE: float = 0.1

#: Prior log2 odds that two records in a candidate set are the same person.
PRIOR: float = -9.0

#: Agreement (positive) and disagreement (negative) weights in bits (log2 likelihood ratio).
WEIGHTS: dict[str, float] = {
    "pnc_exact": 12.0,
    "pnc_conflict": -10.0,
    "dob_exact": 6.0,
    "dob_transposed": 5.0,
    "dob_typo": 3.5,
    "dob_different": -6.0,
    "family_exact": 4.5,
    "family_exact_common": 3.0,
    "family_phonetic": 3.5,
    "family_typo": 3.0,
    "family_part": 3.0,
    "family_different": -5.0,
    "given_exact": 3.5,
    "given_nickname": 3.0,
    "given_phonetic": 2.5,
    "given_typo": 2.5,
    "given_initial": 0.5,
    "given_different": -4.0,
    "postcode_same": 3.0,
    "postcode_area": 1.0,
    "alias": -0.5,
    "given_other_name": -1.0,
}

#: Family names so frequent in Dyfed-Powys that agreeing on them is weaker evidence.
COMMON_FAMILY_NAMES: frozenset[str] = frozenset(
    {
        "jones",
        "davies",
        "williams",
        "evans",
        "thomas",
        "roberts",
        "hughes",
        "lewis",
        "morgan",
        "griffiths",
        "smith",
        "jenkins",
        "james",
        "rees",
        "price",
        "owen",
    }
)

#: Jaro-Winkler similarity at or above which two spellings count as a typo of each other.
FAMILY_TYPO_JW: float = 0.9
GIVEN_TYPO_JW: float = 0.88
#: Short names score low on Jaro-Winkler after one slip (Emma/Enma 0.87), so one edit
#: (Damerau-Levenshtein: insert, delete, substitute, swap) also counts as a typo when the
#: names share their first letter and the shorter has at least this many letters.
TYPO_MIN_LENGTH: int = 4

REASON_LABELS: dict[str, Promise] = {
    "pnc_exact": _("Same PNC ID"),
    "pnc_conflict": _("Different PNC ID"),
    "dob_exact": _("Same date of birth"),
    "dob_transposed": _("Date of birth with day and month swapped"),
    "dob_typo": _("Date of birth differs by one digit"),
    "dob_different": _("Different date of birth"),
    "family_exact": _("Same family name"),
    "family_phonetic": _("Family name sounds the same"),
    "family_typo": _("Family name spelt slightly differently"),
    "family_part": _("Shares part of a double-barrelled family name"),
    "family_different": _("Different family name"),
    "given_exact": _("Same given name"),
    "given_nickname": _("Given name is a known short form or Welsh/English variant"),
    "given_phonetic": _("Given name sounds the same"),
    "given_typo": _("Given name spelt slightly differently"),
    "given_initial": _("Given name matches an initial"),
    "given_different": _("Different given name"),
    "given_other_name": _("Matched on a middle name"),
    "alias": _("Matched on an alias or previous name"),
    "postcode_same": _("Same postcode"),
    "postcode_area": _("Same postcode area"),
}

# ---------------------------------------------------------------------------
# Normalisation

_APOSTROPHES = re.compile(r"['\u2019\u2018`\u02bc]")
_TRANSLIT = str.maketrans({"ł": "l", "ø": "o", "æ": "ae", "đ": "d", "\u0131": "i", "œ": "oe"})


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """Casefold, strip accents (Siân → sian), drop apostrophes (O'Brien → obrien), and turn
    hyphens, dots and runs of spaces into a single space."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text.casefold()).translate(_TRANSLIT)
    text = "".join(ch if ch.isalpha() else " " for ch in text)
    return " ".join(text.split())


# Welsh-aware spelling rules applied before metaphone, in this order (see docs/matching.md).
_PHONETIC_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^mac"), "mc"),  # MacDonald = McDonald
    (re.compile(r"ll"), "l"),  # Welsh ll: Llewellyn = Lewellyn
    (re.compile(r"rh"), "r"),  # Welsh rh: Rhys = Rys (= Rees after metaphone)
    (re.compile(r"dd"), "th"),  # Welsh dd is the "th" of "this": Gruffudd = Griffith
    (re.compile(r"ff"), "f"),  # Welsh ff is English f (and Welsh f is v; metaphone maps v to f)
    (re.compile(r"gh"), ""),  # silent in Vaughan, Hughes, Pugh
    (re.compile(r"^lwy"), "loy"),  # Welsh w as a vowel: Llwyd = Lloyd
    (re.compile(r"(?<=[bcdfghklmnprtvz])s$"), ""),  # patronymic s: Williams = William
)


KEY_MAX_LENGTH = 40


@lru_cache(maxsize=65536)
def phonetic_key(name: str) -> str:
    """A stable sound-alike key for candidate retrieval (store it on person rows).

    Spaces are removed first, so a double-barrelled name has one key for the whole name.
    At most KEY_MAX_LENGTH characters. Changing the rules means recomputing stored keys.
    """
    text = normalise_name(name).replace(" ", "")
    if not text:
        return ""
    for pattern, replacement in _PHONETIC_RULES:
        text = pattern.sub(replacement, text)
    key = jellyfish.metaphone(text).replace(" ", "") if text else ""
    return key[:KEY_MAX_LENGTH]


@lru_cache(maxsize=65536)
def canonical_given_names(name: str) -> frozenset[str]:
    """The name itself (normalised) plus the canonical forms of every nickname or
    Welsh/English variant group it belongs to (names.py). Two given names are variants of
    each other when these sets intersect."""
    norm = normalise_name(name)
    if not norm:
        return frozenset()
    forms = {norm, *GIVEN_NAME_INDEX.get(norm, ())}
    compact = norm.replace(" ", "")
    forms.update(GIVEN_NAME_INDEX.get(compact, ()))
    return frozenset(forms)


_PNC_RE = re.compile(r"(\d{2}|\d{4})/(\d{1,7})([A-Z])")
_PNC_NOSLASH_RE = re.compile(r"(\d{2})(\d{1,7})([A-Z])")


def normalise_pnc(value: str) -> str:
    """Canonical PNC ID: ``YY/serial`` without leading zeros, then the check letter.
    "2019/0123456a", "19 / 123456 A" and "19/0123456A" all become "19/123456A". Text that does
    not look like a PNC ID is returned upper-cased without spaces."""
    text = re.sub(r"\s+", "", value or "").upper()
    match = _PNC_RE.fullmatch(text) or _PNC_NOSLASH_RE.fullmatch(text)
    if not match:
        return text
    year, serial, check = match.groups()
    return f"{year[-2:]}/{int(serial)}{check}"


_POSTCODE_RE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})")
_OUTWARD_RE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?")


def normalise_postcode(value: str) -> tuple[str, str]:
    """(full postcode without spaces, outward code). A bare outward code ("SA31") gives
    ("", "SA31"); anything else unrecognisable gives ("", "")."""
    text = re.sub(r"[^A-Za-z0-9]", "", value or "").upper()
    match = _POSTCODE_RE.fullmatch(text)
    if match:
        return text, match.group(1)
    if _OUTWARD_RE.fullmatch(text):
        return "", text
    return "", ""


# ---------------------------------------------------------------------------
# Field comparisons. Each returns (reason code, weight); code "" means no evidence.

Evidence = tuple[str, float]
_NONE: Evidence = ("", 0.0)


def _compact_family(norm: str) -> str:
    return re.sub(r"^mac", "mc", norm.replace(" ", ""))


def _is_typo(a: str, b: str, jw_threshold: float) -> bool:
    if jellyfish.jaro_winkler_similarity(a, b) >= jw_threshold:
        return True
    return (
        a[0] == b[0]
        and min(len(a), len(b)) >= TYPO_MIN_LENGTH
        and jellyfish.damerau_levenshtein_distance(a, b) == 1
    )


def compare_family(query: str, candidate: str) -> Evidence:
    q, c = normalise_name(query), normalise_name(candidate)
    if not q or not c:
        return _NONE
    qc, cc = q.replace(" ", ""), c.replace(" ", "")
    if qc == cc:
        code = "family_exact_common" if qc in COMMON_FAMILY_NAMES else "family_exact"
        return code, WEIGHTS[code]
    if _compact_family(q) == _compact_family(c) or phonetic_key(q) == phonetic_key(c):
        return "family_phonetic", WEIGHTS["family_phonetic"]
    if _is_typo(qc, cc, FAMILY_TYPO_JW):
        return "family_typo", WEIGHTS["family_typo"]
    q_parts, c_parts = q.split(), c.split()
    if len(q_parts) > 1 or len(c_parts) > 1:
        q_keys = {phonetic_key(p) for p in q_parts}
        if any(p in q_parts or phonetic_key(p) in q_keys for p in c_parts):
            return "family_part", WEIGHTS["family_part"]
    return "family_different", WEIGHTS["family_different"]


def _compare_given_token(q: str, c: str) -> Evidence:
    if q == c:
        return "given_exact", WEIGHTS["given_exact"]
    if len(q) == 1 or len(c) == 1:
        if q[0] == c[0]:
            return "given_initial", WEIGHTS["given_initial"]
        return "given_different", WEIGHTS["given_different"]
    if canonical_given_names(q) & canonical_given_names(c):
        return "given_nickname", WEIGHTS["given_nickname"]
    if phonetic_key(q) == phonetic_key(c):
        return "given_phonetic", WEIGHTS["given_phonetic"]
    if _is_typo(q, c, GIVEN_TYPO_JW):
        return "given_typo", WEIGHTS["given_typo"]
    return "given_different", WEIGHTS["given_different"]


def compare_given(query: str, candidate: str) -> tuple[Evidence, bool]:
    """Best agreement between the given names; the flag says it came from a middle name."""
    q, c = normalise_name(query), normalise_name(candidate)
    if not q or not c:
        return _NONE, False
    if q.replace(" ", "") == c.replace(" ", ""):
        return ("given_exact", WEIGHTS["given_exact"]), False
    q_tokens, c_tokens = q.split(), c.split()
    best = _compare_given_token(q_tokens[0], c_tokens[0])
    best_other = False
    penalty = WEIGHTS["given_other_name"]
    for i, qt in enumerate(q_tokens):
        for j, ct in enumerate(c_tokens):
            if i == 0 and j == 0:
                continue
            code, weight = _compare_given_token(qt, ct)
            if weight > 0 and weight + penalty > best[1]:
                best, best_other = (code, weight + penalty), True
    return best, best_other


def _digits(date: dt.date) -> str:
    return date.strftime("%d%m%Y")


def compare_dob(query: dt.date | None, candidate: dt.date | None) -> Evidence:
    if query is None or candidate is None:
        return _NONE
    if query == candidate:
        return "dob_exact", WEIGHTS["dob_exact"]
    if (
        query.year == candidate.year
        and query.day == candidate.month
        and query.month == candidate.day
    ):
        return "dob_transposed", WEIGHTS["dob_transposed"]
    differing = sum(a != b for a, b in zip(_digits(query), _digits(candidate), strict=True))
    if differing == 1:
        return "dob_typo", WEIGHTS["dob_typo"]
    return "dob_different", WEIGHTS["dob_different"]


def compare_pnc(query: str, candidate: str) -> Evidence:
    q, c = normalise_pnc(query), normalise_pnc(candidate)
    if not q or not c:
        return _NONE
    if q == c:
        return "pnc_exact", WEIGHTS["pnc_exact"]
    return "pnc_conflict", WEIGHTS["pnc_conflict"]


def compare_postcode(query: str, candidate: str) -> Evidence:
    q_full, q_out = normalise_postcode(query)
    c_full, c_out = normalise_postcode(candidate)
    if q_full and q_full == c_full:
        return "postcode_same", WEIGHTS["postcode_same"]
    if q_out and q_out == c_out:
        return "postcode_area", WEIGHTS["postcode_area"]
    # A different postcode is no evidence against: people move, and the address may be old.
    return _NONE


# ---------------------------------------------------------------------------
# Combination


def _names(identity: Identity) -> list[tuple[str, str, bool]]:
    names = [(identity.given_name, identity.family_name, False)]
    # An alias may record only a previous family name (or only a given name): the gap is
    # filled from the primary name.
    names.extend(
        (given or identity.given_name, family or identity.family_name, True)
        for given, family in identity.aliases
        if given or family
    )
    return names


def _name_evidence(
    query: tuple[str, str, bool], candidate: tuple[str, str, bool]
) -> tuple[list[Evidence], float]:
    q_given, q_family, q_alias = query
    c_given, c_family, c_alias = candidate
    (g_code, g_weight), other = compare_given(q_given, c_given)
    f_code, f_weight = compare_family(q_family, c_family)
    evidence: list[Evidence] = [(g_code, g_weight), (f_code, f_weight)]
    total = g_weight + f_weight
    if other:
        evidence.append(("given_other_name", 0.0))
    if q_alias or c_alias:
        evidence.append(("alias", WEIGHTS["alias"]))
        total += WEIGHTS["alias"]
    return evidence, total


def _best_names(query: Identity, candidate: Identity) -> tuple[list[Evidence], float]:
    """The best-agreeing pair of (primary or alias) names; the primary pair wins ties."""
    pairs = [(q, c) for q in _names(query) for c in _names(candidate)]
    results = [_name_evidence(q, c) for q, c in pairs]
    return max(results, key=lambda result: result[1])


_PUBLIC_CODE = {"family_exact_common": "family_exact"}
_DISAGREEMENTS = frozenset({"pnc_conflict", "dob_different", "family_different", "given_different"})
_QUALIFIERS = frozenset({"alias", "given_other_name"})  # listed after the agreements


def compare(query: Identity, candidate: Identity) -> Match:
    """Score how likely ``candidate`` is the person described by ``query``."""
    evidence, _total = _best_names(query, candidate)
    evidence = [
        *evidence,
        compare_dob(query.date_of_birth, candidate.date_of_birth),
        compare_pnc(query.pnc_id, candidate.pnc_id),
        compare_postcode(query.postcode, candidate.postcode),
    ]
    total = PRIOR + sum(weight for _code, weight in evidence)
    score = 1.0 / (1.0 + 2.0 ** (-total))
    found = [(code, weight) for code, weight in evidence if code]
    positives = sorted(
        (e for e in found if e[0] not in _DISAGREEMENTS),
        key=lambda e: (e[0] not in _QUALIFIERS, e[1]),
        reverse=True,
    )
    negatives = sorted((e for e in found if e[0] in _DISAGREEMENTS), key=lambda e: e[1])
    reasons = tuple(_PUBLIC_CODE.get(code, code) for code, _w in positives + negatives)
    score = round(score, 4)
    return Match(score=score, reasons=reasons, likely=score >= LIKELY_THRESHOLD)


def rank(
    query: Identity, candidates: Iterable[tuple[K, Identity]], limit: int = 10
) -> list[tuple[K, Match]]:
    """The best ``limit`` candidates for ``query``, best first, dropping those scoring under
    RANK_MIN_SCORE. Ties keep the order of ``candidates``."""
    scored = [(key, compare(query, identity)) for key, identity in candidates]
    useful = [(key, match) for key, match in scored if match.score >= RANK_MIN_SCORE]
    useful.sort(key=lambda item: item[1].score, reverse=True)
    return useful[:limit]
