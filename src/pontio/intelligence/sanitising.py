"""Neutralising submitted text, and the checks a sanitised summary must pass.

Submitted text is stored as plain text: markup and scripts are removed before it is saved
(it is also always escaped when shown), so nothing a submitter types can run in an
officer's browser. The identifying-pattern checks guard the public "you said, we did" page:
a line that still holds a phone number, an email address, a postcode or an exact date is
refused (sanitisation removes anything that identifies a source or a subject: APP,
intelligence management).
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

_SCRIPTS = re.compile(r"<(script|style|iframe|object|embed)\b.*?(</\1\s*>|$)", re.I | re.S)
_TAG_LIKE = re.compile(r"<[^>]{0,2000}>")
_CONTROL = {"Cc", "Cf"}
_KEEP = {"\n", "\t"}


def neutralise(text: str) -> tuple[str, bool]:
    """``(plain text, whether markup was removed)``: scripts and tags out, controls out."""
    original = text
    text = _SCRIPTS.sub(" ", text)
    text = strip_tags(text)
    text = _TAG_LIKE.sub(" ", text)
    text = "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in _CONTROL)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    changed = text != re.sub(r"\s+", " ", original).strip() and bool(
        _TAG_LIKE.search(original) or _SCRIPTS.search(original)
    )
    return text, changed


_MONTHS = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?|ionawr|chwefror|mawrth|ebrill|mai|mehefin|"
    r"gorffennaf|awst|medi|hydref|tachwedd|rhagfyr"
)
PATTERNS: dict[str, tuple[re.Pattern[str], object]] = {
    "phone": (
        re.compile(r"(?<!\d)(\+?44\s?|0)(\d[\s-]?){9,10}(?!\d)"),
        _("a phone number"),
    ),
    "email": (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), _("an email address")),
    "postcode": (
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I),
        _("a postcode"),
    ),
    "date": (
        re.compile(
            r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|"
            rf"\b\d{{1,2}}(st|nd|rd|th|af|ain|ydd|ed|fed)?\s+(of\s+)?({_MONTHS})\b|"
            rf"\b({_MONTHS})\s+\d{{1,2}}(st|nd|rd|th)?\b",
            re.I,
        ),
        _("an exact date"),
    ),
}


def identifying_patterns(text: str) -> list[str]:
    """The kinds of identifying detail found in ``text`` (``PATTERNS`` keys, in order)."""
    return [key for key, (pattern, _label) in PATTERNS.items() if pattern.search(text)]


def pattern_labels(keys: list[str]) -> list[str]:
    return [str(PATTERNS[k][1]) for k in keys]
