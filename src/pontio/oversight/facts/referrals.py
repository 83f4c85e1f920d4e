"""Facts 4 and 5, from the referral metrics (``referrals.metrics``, docs/metrics.md):

- 4, "police referrals less than a quarter of all referrals into substance misuse
  services": the police share of referrals, Pontio's referrals (all from the police) over
  the totals the providers report for each quarter (``police_share``), added up over the
  quarters that overlap the period;
- 5, "82% of people in treatment reduced their substance misuse": the providers' quarterly
  returns (reduced or stopped ÷ reviewed, everyone they treat), beside Pontio's own outcome
  profiles of its referrals (``use_change``, reduced ÷ compared).

Both read ``restrict(..., "aggregate")`` and show counts from 1 to 4, and the percentages
and totals that would give them away, suppressed for people who see figures only.
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pontio.core.charts import Bar, bar_chart
from pontio.core.figures import Rate, fewer_than
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.oversight.facts.base import (
    FactResult,
    Scope,
    count,
    number,
    rate_hidden,
    rate_text,
    suppressed_note,
    zero_denominator,
)
from pontio.oversight.facts.periods import quarter_label, quarters
from pontio.oversight.models import ProviderReturn
from pontio.referrals import metrics
from pontio.referrals.metrics import Layout, Period, protect, protected

SHARE_KEY = "police_share"
SHARE_ANCHOR = "fact-police-share"
SHARE_SEED = "< 25%"
USE_KEY = "reduced_use"
USE_ANCHOR = "fact-reduced-use"
USE_SEED = "82%"


def _show(value: int, cell: tuple[str, str, str], hidden: set, suppress: bool) -> str:
    if cell in hidden:
        return fewer_than() if 0 < value < metrics.SMALL else protected()
    return count(value, suppress)


def _rate_layout(rows: dict[str, Rate], total_key: str) -> Layout:
    """The cells of a table of rates whose rows add up to a total row."""
    layout = Layout()
    for key, rate in rows.items():
        num, den, rest = (("t", key, part) for part in ("num", "den", "rest"))
        layout.counts.update(
            {num: rate.numerator, den: rate.denominator, rest: rate.denominator - rate.numerator}
        )
        layout.groups.append((den, [num, rest]))
        layout.linked.append((num, den, rest))
    parts = [k for k in rows if k != total_key]
    for part in ("num", "den", "rest"):
        layout.groups.append((("t", total_key, part), [("t", k, part) for k in parts]))
    return layout


# --- fact 4: the police share -------------------------------------------------------------


def police_share(scope: Scope) -> FactResult:
    user = scope.user
    title = _("Police share of referrals into substance misuse services")
    definition = _(
        "Referrals the providers received through Pontio (every one from the police) divided "
        "by the referrals from every source the providers reported for the same quarters, "
        "over the providers that reported a total."
    )
    source = _("Pontio records and the providers' quarterly totals")
    totals = metrics.totals_for(user)
    missing: str | None = None
    if totals is None:
        missing = _("The providers' reported totals are not open to your role.")
    elif scope.county is not None:
        missing = _(
            "Providers report their totals for their whole service, not by county, so the "
            "share cannot be worked out for one county."
        )
    if missing or totals is None:
        return _result(
            SHARE_KEY,
            title,
            None,
            missing or "",
            definition,
            SHARE_ANCHOR,
            source,
            missing=missing,
            seed=SHARE_SEED,
        )
    suppress = not metrics.sees_rows(user)
    cohort = metrics.cohort_for(user)
    per_quarter: dict[str, Rate] = {}
    labels: dict[str, str] = {}
    no_total: list[str] = []
    for quarter in quarters(scope.start, scope.end):
        share = metrics.police_share(cohort.referrals, quarter, totals)
        overall = share.overall
        labels[quarter.key] = quarter_label(quarter)
        if overall is None:
            no_total.append(quarter_label(quarter))
            continue
        per_quarter[quarter.key] = overall
    total = Rate(
        sum(r.numerator for r in per_quarter.values()),
        sum(r.denominator for r in per_quarter.values()),
    )
    rows_rates = {**per_quarter, "all": total}
    hidden = protect(_rate_layout(rows_rates, "all")) if suppress else set()
    headers = [_("Quarter"), _("Through Pontio (police)"), _("Reported by providers"), _("Share")]
    table: list[list[str]] = []
    bars: list[Bar] = []
    for key, rate in rows_rates.items():
        label = labels.get(key, _("All quarters"))
        cells = [("t", key, p) for p in ("num", "den", "rest")]
        shown_rate = not (set(cells) & hidden) and not rate_hidden(rate, suppress)
        share_text = (
            rate_text(rate)
            if rate.denominator and shown_rate
            else (_("not shown") if rate.denominator else _("no total reported"))
        )
        table.append(
            [
                label,
                _show(rate.numerator, cells[0], hidden, suppress),
                _show(rate.denominator, cells[1], hidden, suppress),
                share_text,
            ]
        )
        if key != "all":
            bars.append(
                Bar(
                    label,
                    rate.percent if shown_rate and rate.denominator else None,
                    reason=_("not shown") if rate.denominator else _("no total"),
                )
            )
    notes = []
    if no_total:
        notes.append(
            _("No provider total was entered for %(quarters)s.") % {"quarters": ", ".join(no_total)}
        )
    chart = (
        bar_chart(
            bars,
            title=_("Police share of referrals by quarter"),
            maximum=100,
            value_format=lambda v: f"{number(v, 1)}%",
        )
        if bars
        else None
    )
    if not total.denominator:
        text = zero_denominator(_("referrals reported by the providers"))
        return _result(
            SHARE_KEY,
            title,
            None,
            " ".join([text, *notes]),
            definition,
            SHARE_ANCHOR,
            source,
            seed=SHARE_SEED,
            chart=chart,
            headers=headers,
            rows=table,
        )
    whole = [("t", "all", p) for p in ("num", "den", "rest")]
    if (set(whole) & hidden) or rate_hidden(total, suppress):
        return _result(
            SHARE_KEY,
            title,
            None,
            " ".join([suppressed_note(), *notes]),
            definition,
            SHARE_ANCHOR,
            source,
            seed=SHARE_SEED,
            chart=chart,
            headers=headers,
            rows=table,
        )
    explanation = ngettext(
        "%(percent)s of the referrals the providers reported came through Pontio from the "
        "police: %(num)s of %(den)s, over %(quarters)s quarter with a total entered.",
        "%(percent)s of the referrals the providers reported came through Pontio from the "
        "police: %(num)s of %(den)s, over %(quarters)s quarters with a total entered.",
        len(per_quarter),
    ) % {
        "percent": rate_text(total),
        "num": number(total.numerator),
        "den": number(total.denominator),
        "quarters": len(per_quarter),
    }
    return _result(
        SHARE_KEY,
        title,
        rate_text(total),
        " ".join([explanation, *notes]),
        definition,
        SHARE_ANCHOR,
        source,
        seed=SHARE_SEED,
        chart=chart,
        headers=headers,
        rows=table,
        base=(_("Referrals reported by providers"), float(total.denominator)),
        end=(_("Referrals through Pontio"), float(total.numerator)),
    )


# --- fact 5: reduced use ------------------------------------------------------------------


def _returns(scope: Scope) -> tuple[Rate, int] | None:
    """Reduced or stopped ÷ reviewed over the returns of the quarters in the period, and
    how many returns; None when the returns are not open to the user."""
    returns = restrict(ProviderReturn.objects.all(), scope.user, "aggregate")
    if returns.query.is_empty():
        return None
    spans = quarters(scope.start, scope.end)
    returns = returns.filter(quarter_start__in=[q.start for q in spans])
    figures = returns.aggregate(reduced=Sum("reduced_use"), reviewed=Sum("reviewed"))
    return Rate(figures["reduced"] or 0, figures["reviewed"] or 0), returns.count()


def reduced_use(scope: Scope) -> FactResult:
    user = scope.user
    title = _("People in treatment who reduced their substance misuse")
    definition = _(
        "Of the people with a review or exit outcome profile in the period, the share who "
        "reduced or stopped using their main problem substance: from the providers' quarterly "
        "returns (everyone they treat), and from Pontio's outcome profiles of its own referrals."
    )
    source = _("provider returns and Pontio records")
    # Returns: whole services, no county; suppressed unless the user's own organisation's.
    returns = None if scope.county is not None else _returns(scope)
    returns_suppress = not has_permission(user, "oversight.enter_returns")
    cohort = metrics.cohort_for(user)
    period = Period(scope.start, scope.end)
    referrals = cohort.referrals
    if scope.county is not None:
        referrals = referrals.filter(county=scope.county)
    profiles = metrics.top_rows(metrics.Cohort(referrals, cohort.profiles), period)
    top = metrics.use_change(profiles, period).rate
    top_suppress = not metrics.sees_rows(user)

    headers = [_("Source"), _("Reduced or stopped"), _("Reviewed"), _("Share")]
    table: list[list[str]] = []
    bars: list[Bar] = []

    def row(label: str, rate: Rate, suppress: bool) -> bool:
        """Add the source's row; whether its percentage is shown. A hidden percentage hides
        its numerator and denominator too (the rest would be their difference)."""
        hidden = rate.denominator > 0 and rate_hidden(rate, suppress)

        def cell(value: int) -> str:
            if not hidden:
                return count(value, suppress)
            return fewer_than() if 0 < value < metrics.SMALL else _("not shown")

        if not rate.denominator:
            share = _("no one reviewed")
        else:
            share = _("not shown") if hidden else rate_text(rate)
        table.append([label, cell(rate.numerator), cell(rate.denominator), share])
        bars.append(
            Bar(
                label,
                None if hidden or not rate.denominator else rate.percent,
                reason=_("not shown") if hidden else _("no one reviewed"),
            )
        )
        return not hidden and rate.denominator > 0

    notes: list[str] = []
    shown: tuple[str, Rate] | None = None
    returns_label = _("Provider returns (everyone treated)")
    top_label = _("Pontio's referrals (outcome profiles)")
    if returns is not None:
        ok = row(returns_label, returns[0], returns_suppress)
        if ok:
            shown = ("returns", returns[0])
        elif not returns[0].denominator:
            notes.append(
                _("The providers' returns for the period record no one reviewed (%(n)s returns).")
                % {"n": returns[1]}
            )
    elif scope.county is not None:
        notes.append(_("Provider returns cover whole services, not one county: not counted."))
    else:
        notes.append(_("The providers' returns are not open to your role."))
    top_ok = row(top_label, top, top_suppress)
    if shown is None and top_ok:
        shown = ("top", top)
    chart = bar_chart(
        bars,
        title=_("Share who reduced their use, by source"),
        maximum=100,
        value_format=lambda v: f"{number(v, 1)}%",
    )
    if shown is None:
        if (returns is None or not returns[0].denominator) and not top.denominator:
            text = zero_denominator(_("people reviewed"))
        else:
            text = suppressed_note()
        return _result(
            USE_KEY,
            title,
            None,
            " ".join([text, *notes]),
            definition,
            USE_ANCHOR,
            source,
            seed=USE_SEED,
            chart=chart,
            headers=headers,
            rows=table,
        )
    which, rate = shown
    if which == "returns":
        lead = _(
            "%(percent)s from the providers' returns: %(num)s of the %(den)s people reviewed "
            "reduced or stopped their use (Pontio's own referrals are shown beside it)."
        )
    else:
        lead = _(
            "%(percent)s from Pontio's outcome profiles of its referrals: %(num)s of the "
            "%(den)s people compared reduced their use (no provider returns are counted)."
        )
    explanation = lead % {
        "percent": rate_text(rate),
        "num": number(rate.numerator),
        "den": number(rate.denominator),
    }
    return _result(
        USE_KEY,
        title,
        rate_text(rate),
        " ".join([explanation, *notes]),
        definition,
        USE_ANCHOR,
        source,
        seed=USE_SEED,
        chart=chart,
        headers=headers,
        rows=table,
        base=(_("People reviewed"), float(rate.denominator)),
        end=(_("Reduced or stopped"), float(rate.numerator)),
    )


def _result(
    key: str,
    title: str,
    value: str | None,
    explanation: str,
    definition: str,
    anchor: str,
    source: str,
    *,
    seed: str,
    missing: str | None = None,
    chart: SafeString | None = None,
    headers: list[str] | None = None,
    rows: list[list[str]] | None = None,
    base: tuple[str, float | None] = ("", None),
    end: tuple[str, float | None] = ("", None),
) -> FactResult:
    return FactResult(
        key=key,
        title=title,
        value_text=value,
        explanation=explanation,
        base_label=base[0],
        base_value=base[1],
        end_label=end[0],
        end_value=end[1],
        definition=definition,
        definition_anchor=anchor,
        source=source,
        missing=missing,
        seed_value=seed,
        chart=chart,
        table_headers=headers or [],
        table_rows=rows or [],
    )
