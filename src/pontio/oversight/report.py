"""The Police and Crime Panel progress report: built from a review at a date, rendered as an
accessible web page and as a PDF, in English, in Welsh, or both side by side.

What goes in is gathered once (``build``): the review's editable sections, each
recommendation with the position standing at the date, the key figures behind it (the live
facts, ``oversight.facts``), and the background papers. ``render`` turns that into HTML in
the languages asked for; the PDF is the same HTML through WeasyPrint (``core.pdf``), so the
page and the printed report never disagree.

Free text is written by people in each language. Where a Welsh text is missing the Welsh
report prints the English with a visible note, and the page lists every such text before
the report is produced: it is never hidden that a part is untranslated.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core import charts
from pontio.core.dates import long_date
from pontio.core.pdf import html_to_pdf, stylesheet, w3c
from pontio.oversight import selectors
from pontio.oversight.models import REPORT_SECTIONS, Rag, Recommendation, ReportLanguage, Review

SECTION_HEADINGS = {
    "purpose": gettext_lazy("Purpose of the report"),
    "executive_summary": gettext_lazy("Executive summary"),
    "outcome": gettext_lazy("Outcome"),
    "situation": gettext_lazy("Situation"),
}
# Welsh first when both are printed (the Welsh Language Standards; see core.pdf).
_ids = count(1)
LANGUAGES: dict[str, tuple[str, ...]] = {
    ReportLanguage.ENGLISH.value: ("en",),
    ReportLanguage.WELSH.value: ("cy",),
    ReportLanguage.BOTH.value: ("cy", "en"),
}


@dataclass(frozen=True)
class Text:
    en: str
    cy: str

    def get(self, language: str) -> str:
        return self.cy if language == "cy" and self.cy.strip() else self.en

    def untranslated(self, language: str) -> bool:
        return language == "cy" and bool(self.en.strip()) and not self.cy.strip()


@dataclass
class Figure:
    """One key figure in each language (a fact computed under each language)."""

    key: str
    by_language: dict[str, Any]


@dataclass
class Item:
    recommendation: Recommendation
    text: Text
    position: Any
    position_text: Text | None
    figures: list[Figure] = field(default_factory=list)


@dataclass
class ReportData:
    review: Review
    as_of: dt.date
    figures_from: dt.date
    title: Text
    sections: list[tuple[str, Text]]
    items: list[Item]
    papers: list[tuple[Text, str]]

    def untranslated(self) -> list[str]:
        """What has no Welsh yet, named in the active language (for the page's warning)."""
        missing = [
            str(SECTION_HEADINGS[key]) for key, text in self.sections if text.untranslated("cy")
        ]
        if self.title.untranslated("cy"):
            missing.insert(0, _("the title of the review"))
        for item in self.items:
            if item.text.untranslated("cy"):
                missing.append(_("recommendation %(n)s") % {"n": item.recommendation.number})
            if item.position_text and item.position_text.untranslated("cy"):
                missing.append(
                    _("the position of recommendation %(n)s") % {"n": item.recommendation.number}
                )
        missing += [
            _("background paper “%(title)s”") % {"title": title.en}
            for title, _url in self.papers
            if title.untranslated("cy")
        ]
        return missing

    def inputs(self) -> dict[str, Any]:
        """What the report was made of, stored with it (JSON)."""
        return {
            "review": self.review.pk,
            "as_of": self.as_of.isoformat(),
            "figures_from": self.figures_from.isoformat(),
            "sections": {key: {"en": t.en, "cy": t.cy} for key, t in self.sections},
            "recommendations": [
                {
                    "number": item.recommendation.number,
                    "position": item.position.pk if item.position else None,
                    "position_as_of": item.position.as_of.isoformat() if item.position else None,
                    "rag": item.position.rag if item.position else None,
                    "figures": [
                        {
                            "key": figure.key,
                            "value": figure.by_language["en"].value_text,
                            "explanation": figure.by_language["en"].explanation,
                            "source": figure.by_language["en"].source,
                            "missing": figure.by_language["en"].missing,
                        }
                        for figure in item.figures
                    ],
                }
                for item in self.items
            ],
            "papers": [url for _title, url in self.papers],
        }


def figures_period(as_of: dt.date) -> dt.date:
    """The key figures cover the three calendar years before the report's year and the year
    to date: the span the deep dive's own facts used (2016 to 2018 for a 2019 report)."""
    return dt.date(as_of.year - 3, 1, 1)


def _facts() -> Any:
    # The facts read every capability's selectors; imported when a report is built, so
    # the tracker pages do not pay for loading them.
    from pontio.oversight import facts

    return facts


def build(user: Any, review: Review, as_of: dt.date) -> ReportData:
    facts = _facts()
    figures_from = figures_period(as_of)
    recommendations = list(
        selectors.with_positions(selectors.recommendations(user).filter(review=review), user)
    )
    cache: dict[tuple[str, str], Any] = {}

    def figure(key: str) -> Figure:
        by_language = {}
        for language in ("en", "cy"):
            if (key, language) not in cache:
                with translation.override(language):
                    cache[key, language] = facts.compute_fact(
                        key, user=user, start=figures_from, end=as_of
                    )
            by_language[language] = cache[key, language]
        return Figure(key, by_language)

    items = []
    for recommendation in recommendations:
        position = selectors.position_at(recommendation, as_of)
        items.append(
            Item(
                recommendation=recommendation,
                text=Text(recommendation.text_en, recommendation.text_cy),
                position=position,
                position_text=Text(position.text_en, position.text_cy) if position else None,
                figures=[
                    figure(key) for key in recommendation.figure_keys if key in facts.FACT_KEYS
                ],
            )
        )
    return ReportData(
        review=review,
        as_of=as_of,
        figures_from=figures_from,
        title=Text(review.title_en, review.title_cy),
        sections=[
            (key, Text(getattr(review, f"{key}_en"), getattr(review, f"{key}_cy")))
            for key, _label in REPORT_SECTIONS
        ],
        items=items,
        papers=[(Text(p.title_en, p.title_cy), p.url) for p in review.papers.all()],
    )


def rag_chart(data: ReportData) -> Any:
    positions = [item.position for item in data.items]
    bars = [
        charts.Bar(str(label), sum(1 for p in positions if p and p.rag == code))
        for code, label in Rag.choices
    ]
    bars.append(charts.Bar(_("No position yet"), sum(1 for p in positions if p is None)))
    return charts.bar_chart(
        bars,
        title=_("Recommendations by status on %(date)s") % {"date": long_date(data.as_of)},
        value_format=lambda v: f"{v:.0f}",
    )


def blocks(data: ReportData, language: str) -> list[str]:
    """The report's parts in one language, each a fragment of HTML (rows of the side by
    side layout: the same part in each language sits in the same row)."""
    with translation.override(language):
        context = {"data": data, "lang": language}
        parts: list[str] = [
            render_to_string(
                "oversight/report/_header.html", {**context, "title": data.title.get(language)}
            )
        ]
        for key, text in data.sections:
            parts.append(
                render_to_string(
                    "oversight/report/_section.html",
                    {
                        **context,
                        "heading": str(SECTION_HEADINGS[key]),
                        "paragraphs": _paragraphs(text.get(language)),
                        "untranslated": text.untranslated(language),
                    },
                )
            )
        parts.append(
            render_to_string(
                "oversight/report/_summary.html", {**context, "chart": rag_chart(data)}
            )
        )
        for item in data.items:
            parts.append(
                render_to_string(
                    "oversight/report/_recommendation.html",
                    {
                        **context,
                        "item": item,
                        "text": item.text.get(language),
                        "text_untranslated": item.text.untranslated(language),
                        "position_paragraphs": _paragraphs(item.position_text.get(language))
                        if item.position_text
                        else [],
                        "position_untranslated": bool(
                            item.position_text and item.position_text.untranslated(language)
                        ),
                        "rag_label": Rag(item.position.rag).label if item.position else "",
                        "figures": [f.by_language[language] for f in item.figures],
                    },
                )
            )
        parts.append(
            render_to_string(
                "oversight/report/_papers.html",
                {
                    **context,
                    "papers": [
                        (t.get(language), url, t.untranslated(language)) for t, url in data.papers
                    ],
                },
            )
        )
    return parts


_CHART_ID = re.compile(r"chart-\d+")


def _reid(fragment: str) -> str:
    """Give the charts of a fragment ids of their own: a fact's chart is computed once and
    may appear under several recommendations, and an id must be unique in a document."""
    fresh: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        if match.group(0) not in fresh:
            fresh[match.group(0)] = f"chart-r{next(_ids)}"
        return fresh[match.group(0)]

    return _CHART_ID.sub(swap, fragment)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def rows(data: ReportData, language: str) -> list[list[tuple[str, str]]]:
    """Rows of (language, fragment) cells: one cell each, or Welsh and English side by side."""
    columns = [[(lang, _reid(part)) for part in blocks(data, lang)] for lang in LANGUAGES[language]]
    return [list(row) for row in zip(*columns, strict=True)]


def render_document(data: ReportData, language: str, produced_at: dt.datetime) -> str:
    """The standalone HTML document the PDF is printed from."""
    languages = LANGUAGES[language]
    return render_to_string(
        "oversight/report/document.html",
        {
            "rows": rows(data, language),
            "side_by_side": len(languages) > 1,
            "lang": languages[0],
            "title": " / ".join(data.title.get(lang) for lang in languages),
            "created": w3c(produced_at),
        },
    )


@functools.cache
def _report_css() -> str:
    return stylesheet() + REPORT_CSS


def to_pdf(html: str) -> bytes:
    return html_to_pdf(html, _report_css())


# The report's own print rules, on top of the shared A4 stylesheet.
REPORT_CSS = """
table.columns { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.columns td { vertical-align: top; padding: 0 3mm 3mm 0; }
table.columns td + td { padding: 0 0 3mm 3mm; border-left: 0.5pt solid #b1b4b6; }
.side-by-side { font-size: 9.5pt; }
.side-by-side h1 { font-size: 14pt; }
.side-by-side h2 { font-size: 11.5pt; }
.rag { font-weight: bold; padding: 0.5mm 2mm; border: 1pt solid #0b0c0c; }
.rag-red { background: #f4cdc6; } .rag-amber { background: #ffdd99; }
.rag-green { background: #cce2d8; } .rag-complete { background: #d2e2f1; }
.untranslated { border-left: 3pt solid #f47738; padding-left: 2mm; font-size: 9pt; }
.figure { border: 0.5pt solid #b1b4b6; padding: 2mm 3mm; margin: 2mm 0; break-inside: avoid; }
.figure svg { width: 100%; height: auto; max-height: 70mm; }
.summary-chart svg { width: 100%; height: auto; max-height: 60mm; }
table.data { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin-top: 1mm; }
table.data th, table.data td { border-bottom: 0.5pt solid #b1b4b6; text-align: left;
                               padding: 0.6mm 1mm; }
"""
