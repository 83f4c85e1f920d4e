"""Bilingual printed documents with WeasyPrint (decision D46), shared by the apps that print.

Welsh comes first, then English (the Welsh Language Standards: Welsh is not treated less
favourably). A document renders one template part twice, inside ``{% language "cy" %}`` and
``{% language "en" %}``, so every sentence is one msgid of the catalogue.

Nothing is fetched while rendering: stylesheets are passed in as strings and the URL fetcher
refuses every URL, so a document can never call out to the network or read a file it was
not given. The PDF's creation date and identifier come from the data, never the clock, so
a reprint is byte for byte the same document.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise

from pontio.core.i18n import in_active_language

# The A4 stylesheet every printed document uses (read once, passed in as a string).
STYLESHEET = Path(__file__).resolve().parent / "data" / "print.css"


@functools.cache
def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


class DocumentError(ValueError):
    """The data cannot make this document."""


@functools.cache
def refuse_every_url() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing.

    Built on first use: WeasyPrint (and the Pango it loads) is imported only when a document
    is rendered, never when Django starts.
    """
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    # WeasyPrint logs each of its seven steps at INFO for every document: noise in the
    # server's log, not news. Its warnings (on the "weasyprint" logger) still show.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    class RefuseEveryURL(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise FatalURLFetchingError(f"Printed documents fetch nothing (asked for {url!r})")

    return RefuseEveryURL(fail_on_errors=True, allowed_protocols=())


@dataclass(frozen=True)
class Bilingual:
    """A text given in both languages (a name from reference data, say), printed in the
    active language, so the same template part reads right in each half."""

    en: str
    cy: str = ""

    def __str__(self) -> str:
        return in_active_language(self.en, self.cy)


@dataclass(frozen=True)
class Both:
    """A translatable msgid, printed side by side in Welsh and English (headings)."""

    text: Promise

    @property
    def cy(self) -> str:
        with translation.override("cy"):
            return str(self.text)

    @property
    def en(self) -> str:
        with translation.override("en"):
            return str(self.text)


def w3c(moment: dt.datetime) -> str:
    """The PDF creation date, from the data."""
    if timezone.is_naive(moment):
        raise DocumentError("Datetimes for printed documents must be aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def html_to_pdf(html: str, stylesheet: str) -> bytes:
    """The PDF of a rendered document, its identifier taken from its content (a reprint
    keeps it, another document differs)."""
    from weasyprint import CSS, HTML

    fetcher = refuse_every_url()
    document = HTML(string=html, url_fetcher=fetcher)
    css = CSS(string=stylesheet, url_fetcher=fetcher)
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    pdf = document.write_pdf(stylesheets=[css], pdf_identifier=identifier)
    if pdf is None:  # only when a target is given
        raise DocumentError("WeasyPrint returned no PDF")
    return bytes(pdf)
