"""The disposal decision's rules: the gravity score, the recommendation and each bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from pontio.disposals import rules
from pontio.disposals.models import DisposalType, GravityOffence, GravityOutcome

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


def _type(code: str) -> DisposalType:
    return DisposalType.objects.get(code=code)


def _offence(code: str) -> GravityOffence:
    return GravityOffence.objects.get(code=code)


def _recommend(**overrides):  # type: ignore[no-untyped-def]
    values = {
        "score": 2,
        "outcomes": list(GravityOutcome.objects.effective(TODAY).select_related("disposal_type")),
        "offence": _offence("theft_other"),
        "admission": "admitted",
        "evidence_to_charge": True,
        "age": 30,
        "previous_disposals": 0,
        "on": TODAY,
    }
    values.update(overrides)
    return rules.recommend(**values)


def test_no_factors_leave_the_base_score() -> None:
    assert rules.gravity_score(2, []) == 2


def test_several_aggravating_factors_move_the_score_one_level_only() -> None:
    assert rules.gravity_score(2, [1, 1, 1]) == 3


def test_factors_that_cancel_out_leave_the_base_score() -> None:
    assert rules.gravity_score(2, [1, -1]) == 2


def test_the_score_is_clamped_between_one_and_four() -> None:
    assert rules.gravity_score(1, [-1, -1]) == 1
    assert rules.gravity_score(4, [1]) == 4


def test_an_admitted_offence_of_score_two_recommends_a_conditional_caution(world) -> None:  # type: ignore[no-untyped-def]
    recommendation = _recommend()
    assert recommendation.outcome == "disposal"
    assert recommendation.disposal_type.code == "conditional_caution"
    assert recommendation.reasons


def test_no_admission_with_evidence_recommends_charge(world) -> None:  # type: ignore[no-untyped-def]
    recommendation = _recommend(admission="denied")
    assert recommendation.outcome == "charge"
    assert "admission" in recommendation.reason


def test_no_admission_without_evidence_recommends_no_further_action(world) -> None:  # type: ignore[no-untyped-def]
    assert _recommend(admission="denied", evidence_to_charge=False).outcome == "nfa"


def test_two_previous_disposals_move_the_recommendation_one_tier_up(world) -> None:  # type: ignore[no-untyped-def]
    recommendation = _recommend(score=1, previous_disposals=2)
    assert recommendation.disposal_type.code == "conditional_caution"
    assert "one tier up" in recommendation.reason


def test_an_excluded_offence_moves_to_the_next_option(world) -> None:  # type: ignore[no-untyped-def]
    recommendation = _recommend(score=1, offence=_offence("assault_partner"))
    assert recommendation.disposal_type.code == "conditional_caution"
    assert "excluded" in recommendation.reason


def test_a_person_under_the_minimum_age_is_not_recommended_the_type(world) -> None:  # type: ignore[no-untyped-def]
    recommendation = _recommend(age=16)
    assert recommendation.disposal_type is None or recommendation.disposal_type.minimum_age <= 16


def test_a_type_not_commenced_is_never_recommended(world) -> None:  # type: ignore[no-untyped-def]
    for score in (1, 2, 3, 4):
        recommendation = _recommend(score=score)
        assert recommendation.disposal_type is None or recommendation.disposal_type.commenced


def _check(**overrides):  # type: ignore[no-untyped-def]
    values = {
        "disposal_type": _type("conditional_caution"),
        "offence": _offence("theft_other"),
        "admission": "admitted",
        "evidence_to_charge": True,
        "age": 30,
        "on": TODAY,
    }
    values.update(overrides)
    return rules.check_disposal(**values)


def test_a_sound_decision_breaks_no_rule(world) -> None:  # type: ignore[no-untyped-def]
    assert _check() == {}


def test_no_admission_is_refused_where_one_is_required(world) -> None:  # type: ignore[no-untyped-def]
    assert "admission" in _check(admission="no_reply")["admission"]


def test_missing_evidence_to_charge_is_refused_where_required(world) -> None:  # type: ignore[no-untyped-def]
    assert "evidence to charge" in _check(evidence_to_charge=False)["evidence_to_charge"]


def test_an_indictable_only_offence_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    assert "indictable only" in _check(offence=_offence("robbery"))["offence"]


def test_an_excluded_offence_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    errors = _check(
        disposal_type=_type("community_resolution"), offence=_offence("assault_partner")
    )
    assert "excluded" in errors["offence"]


def test_a_person_under_the_minimum_age_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    assert "(the person is 17)" in _check(age=17)["person"]


def test_a_type_not_commenced_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    assert "not in force" in _check(disposal_type=_type("community_caution"))["disposal_type"]


def test_a_type_ended_before_the_decision_date_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    dtype = _type("conditional_caution")
    dtype.valid_to = TODAY
    assert "not in force" in _check(disposal_type=dtype)["disposal_type"]


def test_authorisation_by_a_custody_officer_is_too_junior(world) -> None:  # type: ignore[no-untyped-def]
    errors = rules.check_authoriser(
        disposal_type=_type("conditional_caution"), roles=["custody_officer"]
    )
    assert "cannot authorise" in errors["__all__"]


def test_a_sergeant_may_authorise(world) -> None:  # type: ignore[no-untyped-def]
    assert (
        rules.check_authoriser(
            disposal_type=_type("conditional_caution"), roles=["custody_sergeant"]
        )
        == {}
    )


def _condition(category: str, existing=(), **values):  # type: ignore[no-untyped-def]
    return rules.check_condition(
        disposal_type=values.pop("disposal_type", _type("conditional_caution")),
        decided_on=TODAY,
        condition=rules.ConditionInput(category, **values),
        existing=existing,
    )


def test_unpaid_work_over_the_cap_names_the_cap_and_the_value(world) -> None:  # type: ignore[no-untyped-def]
    message = _condition("unpaid_work", hours=25)["hours"]
    assert "capped at 20 hours" in message
    assert "(you entered 25)" in message


def test_non_rehabilitative_attendance_is_capped_in_total(world) -> None:  # type: ignore[no-untyped-def]
    existing = [rules.ConditionInput("repair", hours=15)]
    message = _condition("apology", existing, hours=6)["hours"]
    assert "(you entered 21)" in message


def test_rehabilitative_attendance_does_not_count_towards_the_cap(world) -> None:  # type: ignore[no-untyped-def]
    assert _condition("drug_treatment", hours=40) == {}


def test_a_financial_amount_over_the_cap_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    assert "250.00" in _condition("financial_penalty", amount_pence=30000)["amount_pence"]


def test_a_category_not_allowed_for_the_type_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    errors = _condition("unpaid_work", hours=2, disposal_type=_type("community_resolution"))
    assert "cannot have the condition" in errors["category"]


def test_a_due_date_past_the_maximum_compliance_period_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    errors = _condition("apology", due_date=TODAY + dt.timedelta(weeks=21))
    assert "within 20 weeks" in errors["due_date"]
