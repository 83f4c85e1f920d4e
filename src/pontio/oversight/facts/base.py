"""What every fact shares: its result, and how its numbers are written.

A fact is worked out from records, never typed in: each module of this package reads the
rows the user may ``aggregate`` (``core.scopes.restrict``), counts them with the app's own
measures, and returns a ``FactResult`` that says what was computed, from what, over which
period, and what Pontio does not hold. A figure that cannot be computed (a zero base, a zero
denominator, data Pontio lacks) has no value and says why: a tile never shows a number it
cannot stand behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from pontio.core.figures import Rate, fewer_than, is_small, rate_suppressed
from pontio.core.models import County


@dataclass(frozen=True)
class FactResult:
    key: str
    title: str
    # e.g. "+110%", "£435,000", "23.4%"; None when missing, not computable or suppressed.
    value_text: str | None
    # How the value was computed, or why it could not be.
    explanation: str
    base_label: str
    base_value: float | None
    end_label: str
    end_value: float | None
    definition: str
    # The anchor of the fact's section in docs/metrics.md.
    definition_anchor: str
    source: str
    # What Pontio lacks to compute the fact (then value_text is None).
    missing: str | None
    # The figure the April 2019 deep dive gave.
    seed_value: str
    chart: SafeString | None = None
    table_headers: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class Scope:
    """What one computation is asked for: who, which days (both included), which county."""

    user: Any
    start: dt.date
    end: dt.date
    county: County | None = None


def number(value: float | int | Decimal, decimals: int | None = None) -> str:
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def count(value: int, suppress: bool) -> str:
    """A count of people or records, "fewer than 5" from 1 to 4 for aggregate viewers."""
    return fewer_than() if suppress and is_small(value) else number(value)


def percent(value: float, decimals: int = 1) -> str:
    return f"{number(round(value, decimals), decimals)}%"


def rate_text(rate: Rate) -> str:
    """ "23.4%" (the Rate's own rounding to one decimal)."""
    return percent(rate.percent or 0.0)


def rate_hidden(rate: Rate, suppress: bool) -> bool:
    return suppress and rate_suppressed(rate)


def change_percent(base: float, end: float) -> float | None:
    """The percentage change from ``base`` to ``end``; None from a zero base."""
    if not base:
        return None
    return 100 * (end - base) / base


def signed_percent(change: float) -> str:
    """ "+110%", "-12%", "0%": whole percentages, rounded half away from zero."""
    whole = int(Decimal(str(abs(change))).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if whole == 0:
        return "0%"
    sign = "+" if change > 0 else "-"
    return f"{sign}{number(whole)}%"


def money(value: Decimal | float | int) -> str:
    """ "£435,000", or "£1,234.50" when there are pence."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    if amount == amount.to_integral_value():
        return f"£{number(int(amount))}"
    return f"£{number(amount, 2)}"


def zero_base() -> str:
    return _("The change cannot be computed: the base is zero.")


def zero_denominator(what: str) -> str:
    return _("The percentage cannot be computed: the denominator (%(what)s) is zero.") % {
        "what": what
    }


def suppressed_note() -> str:
    return _("Not shown: the figure would reveal a count from 1 to 4, and you see figures only.")
