"""The seven facts against hand-computed examples (issue 17), including the zero base, the
zero denominator and small-number suppression, and the ONS Wales figures."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pontio.accounts.models import Organisation
from pontio.core.models import County
from pontio.oversight import ons
from pontio.oversight.facts import FACT_KEYS, compute_fact, compute_facts
from pontio.oversight.models import (
    AwardPurpose,
    CommissioningAward,
    CrimeCount,
    ProviderReturn,
)

D = dt.date
CARMS, CERED = "W06000010", "W06000008"
FY2018 = (D(2018, 4, 1), D(2019, 3, 31))
ZERO_BASE = "The change cannot be computed: the base is zero."


def fact(key: str, user: Any, start: dt.date, end: dt.date, county: Any = None) -> Any:
    return compute_fact(key, user=user, start=start, end=end, county=county)


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


OPCC = "Office of the Police and Crime Commissioner for Dyfed-Powys"
DDAS = "Dyfed Drug and Alcohol Service"
KALEIDOSCOPE = "Kaleidoscope Powys"


# --- 1. drug deaths -----------------------------------------------------------------------


def _wales_from_csv() -> dict[int, int]:
    with ons.REGION_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            int(row["Year of death registration"]): int(row["Deaths"])
            for row in csv.DictReader(handle)
            if row["Usual residence code"] == "W92000004"
            and row["Substance"] == "01 All drug poisonings"
        }


def test_the_ons_wales_figures_are_read_exactly() -> None:
    wales = _wales_from_csv()
    assert ons.wales().deaths == wales
    assert wales[2005] == 156 and wales[2018] == 327 and wales[1993] == 94 and wales[2020] == 224
    # The local-authority file's WALES row agrees with the region file, year by year.
    assert ons.by_local_authority()["W92000004"].deaths == wales


def test_drug_deaths_2005_to_2018_rise_110_percent(demo_users: dict[str, Any]) -> None:
    result = fact("drug_deaths", demo_users["analyst"], D(2005, 1, 1), D(2018, 12, 31))
    # (327 - 156) / 156 = 109.6% -> +110%
    assert result.value_text == "+110%"
    assert (result.base_label, result.base_value) == ("2005", 156.0)
    assert (result.end_label, result.end_value) == ("2018", 327.0)
    assert result.missing is None and result.seed_value == "128%"
    assert "drug poisoning" in result.definition and "drug misuse" in result.definition
    assert "110%" in result.explanation and "128%" in result.explanation
    wales = _wales_from_csv()
    assert result.table_rows == [[str(y), f"{wales[y]:,}"] for y in range(2005, 2019)]
    assert result.chart is not None and "<svg" in result.chart


def test_a_period_within_one_year_uses_the_deep_dives_13_years(
    demo_users: dict[str, Any],
) -> None:
    result = fact("drug_deaths", demo_users["analyst"], D(2018, 4, 1), D(2018, 12, 31))
    assert (result.base_label, result.end_label) == ("2005", "2018")
    assert result.value_text == "+110%"


def test_a_financial_year_is_read_as_the_deep_dive_read_last_year(
    demo_users: dict[str, Any],
) -> None:
    # April 2018 to March 2019: most of its days are in 2018, so 2005 to 2018.
    result = fact("drug_deaths", demo_users["analyst"], *FY2018)
    assert (result.base_label, result.end_label, result.value_text) == ("2005", "2018", "+110%")
    crime = fact("trafficking", demo_users["analyst"], *FY2018)
    assert (crime.base_label, crime.end_label) == ("2016", "2018")


def test_years_after_the_ons_file_end_at_its_last_year(demo_users: dict[str, Any]) -> None:
    result = fact("drug_deaths", demo_users["analyst"], D(2016, 1, 1), D(2025, 12, 31))
    # 2016: 271, 2020: 224 -> -17.3% -> -17%
    assert (result.base_value, result.end_label, result.end_value) == (271.0, "2020", 224.0)
    assert result.value_text == "-17%"
    assert "2020" in result.explanation


def test_a_county_uses_the_local_authority_file(demo_users: dict[str, Any]) -> None:
    carms = County.objects.get(ons_code=CARMS)
    result = fact("drug_deaths", demo_users["analyst"], D(2005, 1, 1), D(2018, 12, 31), carms)
    # Carmarthenshire: 7 in 2005, 18 in 2018 -> +157.1% -> +157%; published: not suppressed.
    assert (result.base_value, result.end_value, result.value_text) == (7.0, 18.0, "+157%")


def test_a_zero_base_gives_no_percentage(demo_users: dict[str, Any]) -> None:
    cered = County.objects.get(ons_code=CERED)
    result = fact("drug_deaths", demo_users["analyst"], D(2014, 1, 1), D(2018, 12, 31), cered)
    # Ceredigion registered no drug-poisoning deaths in 2014.
    assert result.base_value == 0.0 and result.end_value == 8.0
    assert result.value_text is None
    assert ZERO_BASE in result.explanation


# --- 2. trafficking -----------------------------------------------------------------------


def _crimes(month: dt.date, count: int, crime_type: str = "Drugs", county: Any = None) -> None:
    CrimeCount.objects.create(
        month=month,
        force="Dyfed-Powys Police",
        county=county,
        area_name="" if county else "Elsewhere",
        crime_type=crime_type,
        count=count,
        source_file=f"{month:%Y-%m}-dyfed-powys-street.csv",
    )


def test_trafficking_is_missing_and_the_drugs_trend_only_context(
    demo_users: dict[str, Any],
) -> None:
    carms = County.objects.get(ons_code=CARMS)
    _crimes(D(2016, 1, 1), 60, county=carms)
    _crimes(D(2016, 2, 1), 40, county=carms)
    _crimes(D(2018, 5, 1), 149, county=carms)
    _crimes(D(2018, 5, 1), 500, crime_type="Burglary", county=carms)
    result = fact("trafficking", demo_users["analyst"], D(2016, 1, 1), D(2018, 12, 31))
    assert result.value_text is None
    assert result.missing and "Home Office offence code" in result.missing
    # 100 in 2016, 149 in 2018: +49%, said as context only.
    assert "context only" in result.explanation.lower() and "+49%" in result.explanation
    assert result.table_rows == [["2016", "100"], ["2017", "not held"], ["2018", "149"]]
    assert result.seed_value == "49%"


def test_trafficking_context_from_a_zero_base(demo_users: dict[str, Any]) -> None:
    _crimes(D(2018, 5, 1), 12)
    result = fact("trafficking", demo_users["analyst"], D(2016, 1, 1), D(2018, 12, 31))
    assert result.value_text is None
    assert "no change can be computed from a zero base" in result.explanation


# --- 3. investment ------------------------------------------------------------------------


def _award(reference: str, purpose: str, value: str, start: dt.date, end: dt.date, **kw: Any):
    return CommissioningAward.objects.create(
        kind="grant",
        reference=reference,
        title_en=reference,
        funder=org(OPCC),
        provider=kw.pop("provider", None) or org(DDAS),
        purpose=purpose,
        value=Decimal(value),
        starts_on=start,
        ends_on=end,
        **kw,
    )


def test_investment_sums_treatment_and_diversion_apportioned_by_days(
    demo_users: dict[str, Any],
) -> None:
    _award("A", AwardPurpose.TREATMENT, "100000", *FY2018)
    # 731 days from 1 October 2018, 182 of them in 2018-19: 73,100 x 182 / 731 = 18,200.
    _award("B", AwardPurpose.DIVERSION, "73100", D(2018, 10, 1), D(2020, 9, 30))
    _award("C", AwardPurpose.PREVENTION, "50000", *FY2018)
    _award("D", AwardPurpose.TREATMENT, "99999", D(2019, 4, 1), D(2020, 3, 31))
    result = fact("investment", demo_users["analyst"], *FY2018)
    assert result.value_text == "£118,200"
    assert result.end_value == 118200.0 and result.base_value == 2.0
    assert [row[0] for row in result.table_rows] == ["A", "B", "Total"]
    assert result.table_rows[1][4:] == ["£73,100", "£18,200"]
    assert "treatment £100,000, diversion £18,200" in result.explanation


def test_investment_for_one_county_leaves_out_force_wide_awards(
    demo_users: dict[str, Any],
) -> None:
    carms = County.objects.get(ons_code=CARMS)
    _award("A", AwardPurpose.TREATMENT, "95000", *FY2018, county=carms)
    _award("B", AwardPurpose.DIVERSION, "110000", *FY2018)
    result = fact("investment", demo_users["analyst"], *FY2018, carms)
    assert result.value_text == "£95,000"
    assert "£110,000" in result.explanation


def test_investment_is_not_open_to_an_inspector(demo_users: dict[str, Any]) -> None:
    _award("A", AwardPurpose.TREATMENT, "95000", *FY2018)
    result = fact("investment", demo_users["inspector"], *FY2018)
    assert result.value_text is None and result.missing


def test_the_demo_awards_of_2018_19_add_up_to_the_deep_dives_435000(
    demo_users: dict[str, Any],
) -> None:
    from pontio.oversight.demo_facts import seed_facts

    seed_facts(today=D(2026, 12, 3))
    count = CommissioningAward.objects.count()
    seed_facts(today=D(2026, 12, 3))  # idempotent
    assert CommissioningAward.objects.count() == count
    result = fact("investment", demo_users["analyst"], *FY2018)
    assert result.value_text == "£435,000"
    later = fact("investment", demo_users["analyst"], D(2022, 4, 1), D(2023, 3, 31))
    assert later.value_text is not None and later.value_text != "£435,000"
    # The demo returns give the deep dive's 82% for 2018-19.
    use = fact("reduced_use", demo_users["analyst"], *FY2018)
    assert use.value_text == "82.0%"


# --- 5. reduced use (provider returns) ----------------------------------------------------


def _return(provider: str, quarter: dt.date, in_treatment: int, reviewed: int, reduced: int):
    return ProviderReturn.objects.create(
        provider=org(provider),
        quarter_start=quarter,
        in_treatment=in_treatment,
        reviewed=reviewed,
        reduced_use=reduced,
        entered_by=next(iter(org(provider).users.all())),
        entered_at=timezone.now(),
    )


def test_reduced_use_from_the_provider_returns(demo_users: dict[str, Any]) -> None:
    _return(DDAS, D(2018, 4, 1), 120, 50, 41)
    _return(KALEIDOSCOPE, D(2018, 7, 1), 90, 50, 41)
    _return(DDAS, D(2019, 4, 1), 120, 50, 10)  # after the period
    result = fact("reduced_use", demo_users["analyst"], *FY2018)
    # (41 + 41) / (50 + 50) = 82.0%
    assert result.value_text == "82.0%"
    assert (result.base_value, result.end_value) == (100.0, 82.0)
    assert "providers' returns" in result.explanation
    assert result.table_rows[0][1:] == ["82", "100", "82.0%"]


def test_reduced_use_with_no_one_reviewed_has_a_zero_denominator(
    demo_users: dict[str, Any],
) -> None:
    _return(DDAS, D(2018, 4, 1), 120, 0, 0)
    result = fact("reduced_use", demo_users["analyst"], *FY2018)
    assert result.value_text is None
    assert "denominator (people reviewed) is zero" in result.explanation


def test_reduced_use_that_would_reveal_a_small_count_is_suppressed(
    demo_users: dict[str, Any],
) -> None:
    _return(DDAS, D(2018, 4, 1), 120, 10, 7)  # the other 3 would be revealed
    result = fact("reduced_use", demo_users["analyst"], *FY2018)
    assert result.value_text is None and result.base_value is None
    assert result.table_rows[0][1:] == ["not shown", "not shown", "not shown"]


# --- 6. risk factors ----------------------------------------------------------------------


def _contract(world: dict[str, Any], number: int, start: dict, end: dict, ended: dt.date):
    from pontio.disposals.models import (
        AssessmentStage,
        Disposal,
        DisposalType,
        DiversionContract,
        GravityOffence,
        NeedsAssessment,
        PathwayScore,
    )
    from pontio.people.models import Person

    county = County.objects.get(ons_code=CARMS)
    person = Person.objects.create(given_name=f"Fact{number}", family_name="Prawf")
    decided = timezone.make_aware(dt.datetime.combine(ended - dt.timedelta(days=120), dt.time(12)))
    disposal = Disposal.objects.create(
        reference=f"FACT{number:04d}",
        person=person,
        county=county,
        offence=GravityOffence.objects.order_by("code").first(),
        offence_date=ended - dt.timedelta(days=130),
        offence_summary="For the facts tests.",
        age_at_decision=30,
        admission="admitted",
        previous_disposals=0,
        base_score=2,
        gravity_score=2,
        victim_views="no_victim",
        recommended_outcome="disposal",
        recommendation_reason="Test.",
        outcome="disposal",
        disposal_type=DisposalType.objects.filter(commenced=True).order_by("code").first(),
        decision_rationale="Test.",
        decided_by=world["officer"],
        decided_at=decided,
        state="completed",
    )
    scheme = world["scheme"]
    contract = DiversionContract.objects.create(
        reference=f"FACTC{number:04d}",
        scheme=scheme,
        person=person,
        county=county,
        disposal=disposal,
        organisation_id=scheme.navigator_organisation_id or world["navigator"].organisation_id,
        navigator=world["navigator"],
        state="completed",
        referred_at=decided,
        starts_on=ended - dt.timedelta(days=110),
        ends_on=ended,
    )
    for stage, scores, day in (
        (AssessmentStage.START, start, ended - dt.timedelta(days=110)),
        (AssessmentStage.END, end, ended),
    ):
        assessment = NeedsAssessment.objects.create(
            contract=contract, stage=stage, assessed_on=day, assessed_by=world["navigator"]
        )
        PathwayScore.objects.bulk_create(
            [PathwayScore(assessment=assessment, pathway=p, score=s) for p, s in scores.items()]
        )


@pytest.fixture
def world(demo_users: dict[str, Any]) -> dict[str, Any]:
    from pontio.disposals.reference import load_all
    from pontio.disposals.schemes import link_scheme

    load_all()
    demo_users["scheme"] = link_scheme()
    return demo_users


# Contract kind 1: drugs 3 -> 1, housing 2 -> 2, alcohol 0 -> 0: 2 risk factors -> 1.
KIND_1 = ({"drugs": 3, "housing": 2, "alcohol": 0}, {"drugs": 1, "housing": 2, "alcohol": 0})
# Contract kind 2: drugs 2 -> 0, housing 3 -> 1, alcohol 2 -> 2: 3 risk factors -> 1.
KIND_2 = ({"drugs": 2, "housing": 3, "alcohol": 2}, {"drugs": 0, "housing": 1, "alcohol": 2})


def test_risk_factors_down_60_percent(world: dict[str, Any]) -> None:
    ended = D(2025, 6, 1)
    for i in range(5):
        _contract(world, 2 * i, *KIND_1, ended)
        _contract(world, 2 * i + 1, *KIND_2, ended)
    result = fact("risk_factors", world["analyst"], D(2025, 4, 1), D(2026, 3, 31))
    # Start: 5 x 2 + 5 x 3 = 25; end: 5 x 1 + 5 x 1 = 10; (10 - 25) / 25 = -60%.
    assert result.value_text == "-60%"
    assert (result.base_value, result.end_value) == (25.0, 10.0)
    rows = {row[0]: row[1:] for row in result.table_rows}
    # Drugs: 10 -> 0 (-100%); housing: 10 -> 10 (0%); alcohol: 5 -> 5 (0%).
    assert rows["Drugs"] == ["10", "0", "-100%"]
    assert rows["Housing"] == ["10", "5", "-50%"]
    assert rows["Alcohol"] == ["5", "5", "0%"]
    assert rows["All pathways"] == ["25", "10", "-60%"]
    # Contracts whose end assessment is outside the period are not counted.
    before = fact("risk_factors", world["analyst"], D(2024, 4, 1), D(2025, 3, 31))
    assert before.value_text is None and ZERO_BASE in before.explanation


def test_few_risk_factors_are_suppressed_for_the_analyst(world: dict[str, Any]) -> None:
    _contract(world, 1, *KIND_2, D(2025, 6, 1))
    result = fact("risk_factors", world["analyst"], D(2025, 4, 1), D(2026, 3, 31))
    assert result.value_text is None and result.base_value is None
    rows = {row[0]: row[1:] for row in result.table_rows}
    assert rows["All pathways"][0] == "fewer than 5"


def test_no_risk_factor_at_the_start_is_a_zero_base(world: dict[str, Any]) -> None:
    low = {"drugs": 1, "housing": 0}
    for i in range(6):
        _contract(world, i, low, low, D(2025, 6, 1))
    result = fact("risk_factors", world["analyst"], D(2025, 4, 1), D(2026, 3, 31))
    assert result.value_text is None and ZERO_BASE in result.explanation


# --- 4. police share ----------------------------------------------------------------------


def _referrals(world: dict[str, Any], count: int, sent: dt.date) -> int:
    from pontio.referrals.models import Referral
    from pontio.referrals.tests.helpers import make_person, refer

    provider_id = 0
    for _i in range(count):
        referral = refer(world["officer"], make_person())
        Referral.objects.filter(pk=referral.pk).update(sent_on=sent)
        provider_id = referral.provider_id
    return provider_id


def _total(provider_id: int, quarter: dt.date, total: int, user: Any) -> None:
    from pontio.referrals.models import ProviderReferralTotal

    ProviderReferralTotal.objects.create(
        provider_id=provider_id,
        quarter_start=quarter,
        total=total,
        entered_by=user,
        entered_at=timezone.now(),
    )


def test_the_police_share_is_pontios_referrals_over_the_providers_totals(
    world: dict[str, Any],
) -> None:
    provider = _referrals(world, 6, D(2025, 5, 2))
    _total(provider, D(2025, 4, 1), 30, world["provider.manager"])
    result = fact("police_share", world["analyst"], D(2025, 4, 1), D(2025, 6, 30))
    # 6 / 30 = 20.0%
    assert result.value_text == "20.0%"
    assert (result.base_value, result.end_value) == (30.0, 6.0)
    assert result.table_rows[0][1:] == ["6", "30", "20.0%"]


def test_a_small_police_share_is_suppressed_for_the_analyst(world: dict[str, Any]) -> None:
    provider = _referrals(world, 3, D(2025, 5, 2))
    _total(provider, D(2025, 4, 1), 30, world["provider.manager"])
    result = fact("police_share", world["analyst"], D(2025, 4, 1), D(2025, 6, 30))
    assert result.value_text is None and result.base_value is None
    assert "fewer than 5" in result.table_rows[0]


def test_no_total_entered_is_a_zero_denominator(world: dict[str, Any]) -> None:
    _referrals(world, 6, D(2025, 5, 2))
    result = fact("police_share", world["analyst"], D(2025, 4, 1), D(2025, 6, 30))
    assert result.value_text is None
    assert "denominator (referrals reported by the providers) is zero" in result.explanation


def test_the_police_share_is_not_shown_for_one_county(world: dict[str, Any]) -> None:
    carms = County.objects.get(ons_code=CARMS)
    result = fact("police_share", world["analyst"], D(2025, 4, 1), D(2025, 6, 30), carms)
    assert result.value_text is None and result.missing


# --- 7 and all ----------------------------------------------------------------------------


def test_operations_without_results_says_so(demo_users: dict[str, Any]) -> None:
    result = fact("operations", demo_users["analyst"], *FY2018)
    assert result.value_text is None
    assert "No operation recorded a result or a seizure" in (result.missing or "")
    assert result.chart is None and result.table_rows == []


def test_every_fact_in_order_and_each_with_its_anchor(demo_users: dict[str, Any]) -> None:
    results = compute_facts(user=demo_users["analyst"], start=FY2018[0], end=FY2018[1])
    assert [r.key for r in results] == list(FACT_KEYS)
    assert len(FACT_KEYS) == 7
    assert all(r.definition_anchor.startswith("fact-") for r in results)
    assert all(r.value_text is None or r.missing is None for r in results)
    with pytest.raises(ValueError):
        compute_fact("nonsense", user=demo_users["analyst"], start=FY2018[0], end=FY2018[1])


def _profiles(world: dict[str, Any], reduced: int, unchanged: int) -> None:
    from pontio.referrals.models import Referral, TopEntry
    from pontio.referrals.tests.helpers import make_person, refer

    for index in range(reduced + unchanged):
        referral = refer(world["officer"], make_person())
        Referral.objects.filter(pk=referral.pk).update(sent_on=D(2025, 4, 2))
        for stage, day, days in (
            ("start", D(2025, 4, 10), 12),
            ("review", D(2025, 6, 10), 4 if index < reduced else 12),
        ):
            TopEntry.objects.create(
                referral=referral,
                stage=stage,
                interview_date=day,
                main_substance="cocaine",
                cocaine_days=days,
                recorded_by=world["caseworker"],
            )


def test_without_returns_reduced_use_comes_from_pontios_outcome_profiles(
    world: dict[str, Any],
) -> None:
    _profiles(world, reduced=5, unchanged=5)
    result = fact("reduced_use", world["analyst"], D(2025, 4, 1), D(2025, 6, 30))
    # 5 of the 10 compared reduced their cocaine use: 50.0%, from the profiles.
    assert result.value_text == "50.0%"
    assert "outcome profiles" in result.explanation
    assert result.table_rows[1][1:] == ["5", "10", "50.0%"]
    # For one county, returns (whole services) are left out and the profiles counted.
    carms = County.objects.get(ons_code=CARMS)
    county = fact("reduced_use", world["analyst"], D(2025, 4, 1), D(2025, 6, 30), carms)
    assert county.value_text == "50.0%"
    assert "not one county" in county.explanation


def test_the_provider_manager_sees_their_own_small_share_exactly(world: dict[str, Any]) -> None:
    provider = _referrals(world, 3, D(2025, 5, 2))
    manager = world["provider.manager"]
    if manager.organisation_id != provider:
        pytest.skip("the routed provider is not the demo manager's organisation")
    _total(provider, D(2025, 4, 1), 30, manager)
    result = fact("police_share", manager, D(2025, 4, 1), D(2025, 6, 30))
    assert result.value_text == "10.0%"
