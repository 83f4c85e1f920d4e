"""The outcome measures (docs/metrics.md) against small examples computed by hand."""

from __future__ import annotations

import datetime as dt

from pontio.disposals import metrics
from pontio.disposals.metrics import AssessedContract, ContractRow, DisposalRow


def test_completion_rate_is_completed_over_closed_with_declined_apart():
    rows = [
        ContractRow(state="completed", started=True),
        ContractRow(state="completed", started=True),
        ContractRow(state="completed", started=True),
        ContractRow(state="failed", started=True),
        ContractRow(state="active", started=True),
        ContractRow(state="declined", started=False),
    ]
    result = metrics.completion(rows)
    # By hand: 3 completed of 4 closed = 75.0%; 1 running; 1 declined.
    assert (result.completed, result.failed, result.running, result.declined) == (3, 1, 1, 1)
    assert result.rate == 75.0


def test_risk_factors_reduced_counts_pathways_scored_two_or_more_at_start_and_end():
    rows = [
        AssessedContract(
            start={"drugs": 4, "housing": 2, "finances": 1},
            end={"drugs": 2, "housing": 1, "finances": 0},
        ),
        AssessedContract(
            start={"drugs": 3, "housing": 3, "finances": 2},
            end={"drugs": 1, "housing": 3, "finances": 1},
        ),
    ]
    result = metrics.needs_change(rows, ["drugs", "housing", "finances"])
    # By hand: risk factors at the start 2 + 3 = 5; at the end 1 (drugs 2) + 1 (housing 3) = 2;
    # reduced by (5 - 2) / 5 = 60.0%. Drugs: 2 -> 1 (50%); housing 2 -> 1 (50%); finances 1 -> 0.
    assert (result.risk_start, result.risk_end, result.reduction) == (5, 2, 60.0)
    by = {p.pathway: p for p in result.pathways}
    assert (by["drugs"].risk_start, by["drugs"].risk_end, by["drugs"].reduction) == (2, 1, 50.0)
    assert by["finances"].reduction == 100.0
    assert by["drugs"].mean_start == 3.5 and by["drugs"].mean_end == 1.5


def _row(pk, person, decided, outcome="disposal", contract=False, offence_date=None, age=30):
    return DisposalRow(
        pk=pk,
        person_id=person,
        decided_on=decided,
        offence_date=offence_date or decided,
        outcome=outcome,
        age=age,
        offence_group="drugs_possession",
        previous_disposals=0,
        contract_started=contract,
    )


def test_reoffending_at_12_months_compares_the_cohort_with_matched_other_disposals():
    index = dt.date(2024, 1, 10)
    rows = [
        # cohort: 2 people on a contract; person 1 offends again 6 months on, person 2 not.
        _row(1, 1, index, contract=True),
        _row(2, 1, dt.date(2024, 8, 1), outcome="charge", offence_date=dt.date(2024, 7, 10)),
        _row(3, 2, index, contract=True),
        # comparison: 4 people given other disposals in the same stratum; 2 offend again
        # within 12 months, one 13 months later (outside the window).
        _row(4, 3, index),
        _row(5, 3, dt.date(2024, 3, 1), offence_date=dt.date(2024, 2, 20)),
        _row(6, 4, index),
        _row(7, 4, dt.date(2024, 11, 1), outcome="charge", offence_date=dt.date(2024, 10, 1)),
        _row(8, 5, index),
        _row(9, 5, dt.date(2025, 3, 1), offence_date=dt.date(2025, 2, 15)),
        _row(10, 6, index),
    ]
    result = metrics.reoffending(rows, months=12, today=dt.date(2026, 1, 1), start=index, end=index)
    # By hand: cohort 1 of 2 = 50.0%; comparison 2 of 4 = 50.0% (one stratum, so the
    # weighted comparison is the same).
    assert (result.cohort, result.cohort_reoffended) == (2, 1)
    assert (result.comparison, result.comparison_reoffended) == (4, 2)
    assert result.cohort_rate == 50.0 and result.weighted_comparison == 50.0
    assert result.unmatched == 0


def test_index_disposals_too_recent_for_the_full_follow_up_are_left_out():
    rows = [_row(1, 1, dt.date(2025, 6, 1), contract=True), _row(2, 2, dt.date(2025, 6, 1))]
    result = metrics.reoffending(rows, months=12, today=dt.date(2026, 1, 1))
    assert result.cohort == 0 and result.comparison == 0


def test_a_cohort_stratum_with_no_comparison_is_counted_unmatched():
    rows = [
        _row(1, 1, dt.date(2024, 1, 10), contract=True, age=50),
        _row(2, 2, dt.date(2024, 1, 10), age=20),
    ]
    result = metrics.reoffending(rows, months=12, today=dt.date(2026, 1, 1))
    assert result.unmatched == 1
    assert result.weighted_comparison is None
