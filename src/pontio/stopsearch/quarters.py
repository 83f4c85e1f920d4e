"""The quarterly summary of the audit's findings: calendar quarters and their counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pontio.core.scopes import restrict
from pontio.stopsearch.models import AUDIT_KINDS, SearchReview


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter (Q1 is January to March), written ``2026Q3``."""

    year: int
    number: int

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the quarter."""
        return Quarter(self.year + self.number // 4, self.number % 4 + 1).start

    @property
    def label(self) -> str:
        return _("%(year)s quarter %(number)s (%(first)s to %(last)s)") % {
            "year": self.year,
            "number": self.number,
            "first": formats.date_format(self.start, "F"),
            "last": formats.date_format(self.end - dt.timedelta(days=1), "F"),
        }

    def previous(self) -> Quarter:
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)

    def next(self) -> Quarter:
        return Quarter(self.year, self.number + 1) if self.number < 4 else Quarter(self.year + 1, 1)


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(value: str | None, today: dt.date) -> Quarter:
    """``2026Q3`` (case-insensitive), or the current quarter for anything else."""
    text = (value or "").strip().upper()
    year, sep, number = text.partition("Q")
    if sep and year.isdigit() and number in {"1", "2", "3", "4"} and 2000 <= int(year) <= 2100:
        return Quarter(int(year), int(number))
    return quarter_of(today)


@dataclass(frozen=True)
class AnswerCount:
    label: str
    yes: int
    no: int


@dataclass(frozen=True)
class QuarterSummary:
    quarter: Quarter
    judgements: list[tuple[str, int]]
    panel_total: int
    answers: dict[str, list[AnswerCount]]
    reviews_completed: dict[str, int]


QUESTIONS = (
    ("grounds_reasonable", gettext_lazy("Grounds reasonable")),
    ("record_complete", gettext_lazy("Record complete")),
    ("conduct_proportionate", gettext_lazy("Conduct proportionate")),
)


def quarter_summary(user: Any, quarter: Quarter) -> QuarterSummary:
    """Counts of the reviews completed in the quarter that the user may count (the panel and
    administrators every review; inspectors their area's): the panel's judgements and the
    audit reviewers' answers. Exact counts, no records: the panel sees its own findings."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(quarter.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(quarter.end, dt.time.min, tzinfo=tz)
    completed_in = SearchReview.objects.filter(completed_at__gte=start, completed_at__lt=end)
    rows = list(
        restrict(completed_in, user, "aggregate").values(
            "kind", "judgement", *(field for field, _label in QUESTIONS)
        )
    )
    panel = [r for r in rows if r["kind"] == SearchReview.Kind.PANEL]
    judgements = [
        (str(label), sum(1 for r in panel if r["judgement"] == value))
        for value, label in SearchReview.Judgement.choices
    ]
    answers: dict[str, list[AnswerCount]] = {}
    completed: dict[str, int] = {}
    for kind in AUDIT_KINDS:
        of_kind = [r for r in rows if r["kind"] == kind]
        completed[kind] = len(of_kind)
        answers[kind] = [
            AnswerCount(
                label=str(label),
                yes=sum(1 for r in of_kind if r[field] is True),
                no=sum(1 for r in of_kind if r[field] is False),
            )
            for field, label in QUESTIONS
        ]
    return QuarterSummary(
        quarter=quarter,
        judgements=judgements,
        panel_total=len(panel),
        answers=answers,
        reviews_completed=completed,
    )
