"""Normal forms of the values compared: names, PNC IDs and postcodes (see docs/matching.md)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish

from pontio.people.names import FAMILY_NAME_INDEX, GIVEN_NAME_INDEX

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


@lru_cache(maxsize=65536)
def canonical_family_names(name: str) -> frozenset[str]:
    """The canonical forms of the Welsh/English variant groups a family name belongs to
    (Fychan and Vaughan share "vaughan"); empty when it belongs to none."""
    compact = normalise_name(name).replace(" ", "")
    return FAMILY_NAME_INDEX.get(compact, frozenset())
