"""The funnel's conversions and suppression, from counts alone (no database)."""

from __future__ import annotations

import datetime as dt

from pontio.custody.funnel import selectors
from pontio.custody.funnel.selectors import Filters, build, hidden_cells
from pontio.custody.funnel.views import show, show_rate

FILTERS = Filters(dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def counts(**changes: int) -> dict[str, int]:
    values = {
        "arrests": 400,
        "tested": 300,
        "positive": 180,
        "opiates": 50,
        "cocaine": 90,
        "both": 40,
        "required": 160,
        "attended": 120,
        "followups": 60,
        "failures": 30,
        "failed_to_attend": 24,
        "left_early": 6,
        "pursued": 12,
        "treatment": 40,
        "refused": 30,
        "authorised": 8,
    }
    values.update(changes)
    return values


def row(result: selectors.Funnel, key: str) -> selectors.Row:
    return next(r for r in [*result.rows, *result.notes] if r.key == key)


def test_conversion_from_the_step_before_and_from_arrests() -> None:
    result = build(counts(), FILTERS, suppress=False)
    tested = row(result, "tested")
    assert tested.from_previous is not None and tested.from_previous.percent == 75.0
    assert tested.from_first is not None and tested.from_first.percent == 75.0
    positive = row(result, "positive")
    assert positive.from_previous.percent == 60.0  # type: ignore[union-attr]
    assert positive.from_first.percent == 45.0  # type: ignore[union-attr]
    # Failures and treatment starts divide by the assessments required, not the step above.
    assert row(result, "failures").from_previous.percent == 18.8  # type: ignore[union-attr]
    assert row(result, "treatment").from_previous.percent == 25.0  # type: ignore[union-attr]
    assert row(result, "pursued").from_previous.percent == 40.0  # type: ignore[union-attr]
    # The first step has no conversion; parts divide by their step.
    assert row(result, "arrests").from_previous is None
    assert row(result, "both").from_previous.percent == 22.2  # type: ignore[union-attr]
    assert show_rate(row(result, "tested").from_previous, False) == "75.0%"


def test_no_percentage_over_nothing() -> None:
    result = build(
        counts(
            arrests=0,
            tested=0,
            positive=0,
            opiates=0,
            cocaine=0,
            both=0,
            required=0,
            attended=0,
            followups=0,
            failures=0,
            failed_to_attend=0,
            left_early=0,
            pursued=0,
            treatment=0,
            refused=0,
        ),
        FILTERS,
        suppress=False,
    )
    assert show_rate(row(result, "tested").from_previous, False) == ""


def test_exact_figures_hide_nothing() -> None:
    result = build(counts(left_early=2, failed_to_attend=28), FILTERS, suppress=False)
    assert not any(r.hidden for r in result.rows)
    assert show(row(result, "left_early"), False) == "2"


def test_small_counts_are_fewer_than_5_and_their_partner_is_not_shown() -> None:
    hidden = hidden_cells(counts(left_early=2, failed_to_attend=28))
    # left early is small; failures = failed to attend + left early, so one more part goes.
    assert hidden == {"left_early", "failed_to_attend"}
    result = build(counts(left_early=2, failed_to_attend=28), FILTERS, suppress=True)
    assert show(row(result, "left_early"), True) == "fewer than 5"
    assert show(row(result, "failed_to_attend"), True) == "not shown"
    assert show(row(result, "failures"), True) == "30"


def test_a_small_rest_hides_the_step() -> None:
    # 3 tested but not positive: positive (shown) and tested (shown) would give 3 away.
    hidden = hidden_cells(counts(tested=183))
    assert "positive" in hidden
    # Positive hidden: its parts add up to it, so one of them is hidden too.
    assert {"opiates", "cocaine", "both"} & hidden
    # A rest of 0 or 5 or more gives nothing away.
    assert hidden_cells(counts(tested=180)) == set()
    assert hidden_cells(counts(tested=185)) == set()


def test_arrests_hold_the_tested_the_refused_and_a_rest() -> None:
    # 400 arrests = 300 tested + 97 refused + 3 neither: the 3 would be worked out.
    hidden = hidden_cells(counts(refused=97))
    assert hidden & {"tested", "refused"}


def test_a_rate_that_could_reveal_a_small_count_is_not_shown() -> None:
    result = build(counts(followups=118), FILTERS, suppress=True)
    followups = row(result, "followups")
    # 120 attended, 118 follow-ups: the rest is 2, so the step is hidden and so its rates.
    assert followups.hidden
    assert show_rate(followups.from_previous, followups.previous_hidden) == "not shown"
    # A zero is shown, with its rate.
    result = build(counts(pursued=0), FILTERS, suppress=True)
    assert show(row(result, "pursued"), True) == "0"


def test_the_default_period_is_the_last_six_full_months() -> None:
    assert selectors.default_period(dt.date(2026, 5, 14)) == (
        dt.date(2025, 11, 1),
        dt.date(2026, 4, 30),
    )
    assert selectors.default_period(dt.date(2026, 12, 1)) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 11, 30),
    )
