"""Referral metrics against figures worked out by hand (docs/metrics.md).

The dataset: the quarter April to June 2025. Welsh bank holidays in it: Good Friday
18 April, Easter Monday 21 April, 5 May and 26 May.

| ref | sent       | first contact     | assessed | treatment start         | status        |
|-----|------------|-------------------|----------|-------------------------|---------------|
| R1  | Thu 17 Apr | Tue 22 Apr (1 WD) | 24 Apr   | 1 May (deadline 20 May) | in progress   |
| R2  | Mon 2 Jun  | Wed 4 Jun (2 WD)  | 10 Jun   | 1 Jul (deadline 30 Jun) | in progress   |
| R3  | Tue 1 Apr  | Fri 4 Apr (3 WD)  | -        | - (deadline passed)     | failed (DNA)  |
| R4  | Wed 2 Apr  | -                 | -        | -                       | withdrawn 3/4 |
| R5  | Fri 2 May  | Fri 9 May (4 WD)  | 12 May   | - (deadline 3 Jun)      | in progress   |
| R6  | Mon 30 Jun | Mon 30 Jun (0 WD) | -        | - (deadline 28 Jul)     | accepted      |
| R7  | Mon 31 Mar (the quarter before)                                                   |
| R8  | Mon 3 Mar  (the quarter before)                                                   |

Read on 15 July 2025:
- referrals sent: 6 (R1-R6);
- first contact: 5 with an attempt, days 0, 1, 2, 3, 4: median 2, mean 2.0; 1 without;
- assessed: R1, R2, R5 of R1, R2, R3, R5, R6 (R4 withdrawn): 3 / 5 = 60%;
- treatment within 20 WD: R1 of R1, R2 (late), R3, R5 (deadlines passed); R6 is still inside
  its 20 days; R4 withdrawn: 1 / 4 = 25%;
- reduced use (latest review or exit in the quarter): R1 20->5 reduced, R8 10->4 reduced,
  R2 12->12 no change, R5 10->14 increased (its exit on 2 July is after the quarter);
  R3 not disclosed; R7 no use at start: 2 / 4 = 50%.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in
from tests.factories import county

from pontio.accounts.models import Organisation
from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.core.working_days import add_working_days
from pontio.referrals import metrics, services
from pontio.referrals.models import (
    ProviderReferralTotal,
    Referral,
    ReferralCode,
    Status,
    TopEntry,
)
from pontio.referrals.tests.helpers import CARMS, CERED, CONTEXT, PEMBS, refer

Q2 = metrics.Period(dt.date(2025, 4, 1), dt.date(2025, 6, 30))


def everything() -> metrics.Cohort:
    """Every referral and profile (the tests' own rows; pages count through restrict)."""
    return metrics.Cohort(Referral.objects.all(), TopEntry.objects.all())


AS_OF = dt.date(2025, 7, 15)
D = dt.date


def row(
    sent: dt.date,
    contact: dt.date | None = None,
    assessed: dt.date | None = None,
    started: dt.date | None = None,
    status: str = Status.IN_PROGRESS,
    code: tuple[str, str] | None = None,
    closed: dt.date | None = None,
) -> dict[str, Any]:
    return {
        "pk": 0,
        "sent_on": sent,
        "first_contact_on": contact,
        "assessed_on": assessed,
        "treatment_started_on": started,
        "closed_on": closed,
        "status": status,
        "status_code__chosen_by": code[0] if code else None,
        "status_code__kind": code[1] if code else None,
        "county__ons_code": CARMS,
        "pathway": "voluntary",
    }


WITHDRAWN = ("police", "cancellation")

ROWS = [
    row(D(2025, 4, 17), D(2025, 4, 22), D(2025, 4, 24), D(2025, 5, 1)),
    row(D(2025, 6, 2), D(2025, 6, 4), D(2025, 6, 10), D(2025, 7, 1)),
    row(D(2025, 4, 1), D(2025, 4, 4), status=Status.FAILED, code=("provider", "closure")),
    row(D(2025, 4, 2), status=Status.CANCELLED, code=WITHDRAWN, closed=D(2025, 4, 3)),
    row(D(2025, 5, 2), D(2025, 5, 9), D(2025, 5, 12)),
    row(D(2025, 6, 30), D(2025, 6, 30), status=Status.ACCEPTED),
]


def profile(ref: int, stage: str, on: dt.date, substance: str, days: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {f"{name}_days": None for name in metrics.TOP_SUBSTANCES}
    entry.update(
        pk=ref * 10 + len(stage),
        referral_id=ref,
        stage=stage,
        interview_date=on,
        main_substance=substance,
    )
    entry[f"{substance}_days"] = days
    return entry


PROFILES = [
    profile(1, "start", D(2025, 5, 1), "cocaine", 20),
    profile(1, "review", D(2025, 6, 30), "cocaine", 5),
    profile(2, "start", D(2025, 6, 10), "alcohol", 12),
    profile(2, "exit", D(2025, 6, 20), "alcohol", 12),
    profile(3, "start", D(2025, 4, 5), "opiates", 28),
    profile(3, "review", D(2025, 6, 20), "opiates", None),
    profile(5, "start", D(2025, 5, 12), "cocaine", 10),
    profile(5, "review", D(2025, 6, 10), "cocaine", 14),
    profile(5, "exit", D(2025, 7, 2), "cocaine", 0),
    profile(7, "start", D(2025, 4, 1), "cannabis", 0),
    profile(7, "review", D(2025, 5, 15), "cannabis", 3),
    profile(8, "start", D(2025, 3, 3), "alcohol", 10),
    profile(8, "review", D(2025, 4, 20), "alcohol", 4),
]


# --- periods ----------------------------------------------------------------------------


def test_quarters_follow_the_calendar_and_are_named_by_financial_year() -> None:
    assert metrics.quarter_of(D(2025, 5, 17)) == Q2
    assert metrics.quarter_of(D(2025, 12, 31)) == metrics.Period(D(2025, 10, 1), D(2025, 12, 31))
    assert metrics.previous_quarter(metrics.quarter_of(D(2026, 2, 1))).start == D(2025, 10, 1)
    assert Q2.financial_year == "2025-26" and Q2.financial_quarter == 1
    assert metrics.quarter_of(D(2026, 1, 5)).financial_quarter == 4
    assert "April to June 2025" in Q2.label


def test_an_unknown_quarter_in_the_query_string_means_the_current_one() -> None:
    today = D(2025, 8, 1)
    assert metrics.parse_quarter("2025-04-01", today) == Q2
    assert metrics.parse_quarter("1999-01-01", today) == metrics.quarter_of(today)
    assert metrics.parse_quarter(None, today) == metrics.quarter_of(today)


# --- each metric over the hand-computed rows --------------------------------------------


def test_time_to_first_contact_is_counted_in_welsh_working_days() -> None:
    timing = metrics.first_contact_timing(ROWS)
    assert timing == metrics.Timing(count=5, median=2.0, mean=2.0)


def test_easter_bank_holidays_are_not_working_days() -> None:
    # Thursday before Easter to the Tuesday after: Good Friday and Easter Monday skipped.
    timing = metrics.first_contact_timing([row(D(2025, 4, 17), D(2025, 4, 22))])
    assert timing.median == 1.0


def test_the_same_day_counts_as_zero_working_days() -> None:
    assert metrics.first_contact_timing([row(D(2025, 6, 30), D(2025, 6, 30))]).mean == 0.0


def test_no_contact_attempt_means_no_timing() -> None:
    assert metrics.first_contact_timing([row(D(2025, 6, 30))]) == metrics.Timing(0, None, None)


def test_assessed_leaves_out_referrals_the_police_withdrew() -> None:
    assert metrics.assessed_rate(ROWS) == metrics.Rate(3, 5)
    assert metrics.assessed_rate(ROWS).percent == 60.0


def test_a_withdrawal_after_the_assessment_still_counts_as_assessed() -> None:
    late = row(D(2025, 4, 2), assessed=D(2025, 4, 9), status=Status.CANCELLED, code=WITHDRAWN)
    assert metrics.assessed_rate([late]) == metrics.Rate(1, 1)


def test_treatment_within_20_working_days_counts_only_decided_referrals() -> None:
    assert metrics.treatment_rate(ROWS, AS_OF) == metrics.Rate(1, 4)
    assert metrics.treatment_rate(ROWS, AS_OF).percent == 25.0


def test_the_20_working_day_deadline_skips_the_may_bank_holidays() -> None:
    # Sent Friday 2 May 2025: 5 May and 26 May are bank holidays, so day 20 is 3 June.
    assert metrics.treatment_deadline(D(2025, 5, 2)) == D(2025, 6, 3)
    on_time = row(D(2025, 5, 2), started=D(2025, 6, 3))
    late = row(D(2025, 5, 2), started=D(2025, 6, 4))
    assert metrics.treatment_rate([on_time, late], AS_OF) == metrics.Rate(1, 2)


def test_a_referral_still_inside_its_20_days_counts_once_it_starts() -> None:
    waiting = row(D(2025, 6, 30))
    started = row(D(2025, 6, 30), started=D(2025, 7, 2))
    assert metrics.treatment_rate([waiting], AS_OF) == metrics.Rate(0, 0)
    assert metrics.treatment_rate([started], AS_OF) == metrics.Rate(1, 1)


def test_on_its_deadline_day_a_referral_is_not_yet_counted_as_late() -> None:
    sent = D(2025, 6, 2)
    deadline = add_working_days(sent, 20)
    assert metrics.treatment_rate([row(sent)], deadline) == metrics.Rate(0, 0)
    assert metrics.treatment_rate([row(sent)], deadline + dt.timedelta(days=1)) == (
        metrics.Rate(0, 1)
    )


def test_a_police_withdrawal_after_the_deadline_still_counts_against_the_target() -> None:
    withdrawn = row(D(2025, 4, 1), status=Status.CANCELLED, code=WITHDRAWN, closed=D(2025, 6, 1))
    assert metrics.treatment_rate([withdrawn], AS_OF) == metrics.Rate(0, 1)


def test_reduced_use_compares_the_latest_review_or_exit_in_the_quarter_with_the_start() -> None:
    change = metrics.use_change(PROFILES, Q2)
    assert change == metrics.UseChange(
        reduced=2, unchanged=1, increased=1, not_disclosed=1, no_use_at_start=1
    )
    assert change.rate == metrics.Rate(2, 4) and change.rate.percent == 50.0


def test_an_exit_after_the_quarter_counts_in_its_own_quarter() -> None:
    q3 = metrics.Period(D(2025, 7, 1), D(2025, 9, 30))
    assert metrics.use_change(PROFILES, q3) == metrics.UseChange(reduced=1)


def test_a_start_profile_alone_is_not_counted() -> None:
    assert metrics.use_change([PROFILES[0]], Q2) == metrics.UseChange()


# --- suppression --------------------------------------------------------------------------


def test_counts_from_one_to_four_are_suppressed_for_aggregate_viewers() -> None:
    assert metrics.show_count(4, suppress=True) == "fewer than 5"
    assert metrics.show_count(0, suppress=True) == "0"
    assert metrics.show_count(5, suppress=True) == "5"
    assert metrics.show_count(4, suppress=False) == "4"


def test_a_percentage_that_could_reveal_a_small_count_is_not_shown() -> None:
    assert metrics.show_rate(metrics.Rate(3, 5), True) == "not shown: too few referrals"
    assert metrics.show_rate(metrics.Rate(8, 10), True) == "not shown: too few referrals"
    assert metrics.show_rate(metrics.Rate(0, 4), True) == "not shown: too few referrals"
    assert metrics.show_rate(metrics.Rate(5, 10), True) == "50.0% (5 of 10)"
    assert metrics.show_rate(metrics.Rate(0, 10), True) == "0.0% (0 of 10)"
    assert metrics.show_rate(metrics.Rate(3, 5), False) == "60.0% (3 of 5)"


def test_timings_over_fewer_than_five_referrals_are_not_shown_to_aggregate_viewers() -> None:
    assert metrics.show_days(2.0, 4, True) == "not shown: too few referrals"
    assert metrics.show_days(2.0, 5, True) == "2.0 working days"


# --- the same figures from the database ---------------------------------------------------

DATES = {
    # ref: (sent, first contact, assessed, treatment start, status, code, closed, county)
    "R1": (D(2025, 4, 17), D(2025, 4, 22), D(2025, 4, 24), D(2025, 5, 1), "in-progress", None, None, CERED),  # noqa: E501
    "R2": (D(2025, 6, 2), D(2025, 6, 4), D(2025, 6, 10), D(2025, 7, 1), "in-progress", None, None, CERED),  # noqa: E501
    "R3": (D(2025, 4, 1), D(2025, 4, 4), None, None, "failed", "CLO_DNA_BEFORE_ASSESSMENT", D(2025, 5, 1), CARMS),  # noqa: E501
    "R4": (D(2025, 4, 2), None, None, None, "cancelled", "CAN_SENT_IN_ERROR", D(2025, 4, 3), CARMS),
    "R5": (D(2025, 5, 2), D(2025, 5, 9), D(2025, 5, 12), None, "in-progress", None, None, PEMBS),
    "R6": (D(2025, 6, 30), D(2025, 6, 30), None, None, "accepted", None, None, PEMBS),
    "R7": (D(2025, 3, 31), None, None, None, "in-progress", None, None, CARMS),
    "R8": (D(2025, 3, 3), None, None, None, "in-progress", None, None, CARMS),
}  # fmt: skip


@pytest.fixture
def dataset(world: dict[str, Any]) -> dict[str, Referral]:
    made = {}
    for name, (sent, contact, assessed, started, status, code, closed, ons) in DATES.items():
        referral = refer(world["officer"], world["person"])
        Referral.objects.filter(pk=referral.pk).update(
            sent_on=sent,
            first_contact_on=contact,
            assessed_on=assessed,
            treatment_started_on=started,
            status=status,
            status_code=ReferralCode.objects.get(code=code) if code else None,
            closed_on=closed,
            county=county(ons),
        )
        made[name] = referral
    caseworker = world["caseworker"]
    number = {f"R{i}": i for i in range(1, 9)}
    for entry in PROFILES:
        ref = next(name for name, i in number.items() if i == entry["referral_id"])
        TopEntry.objects.create(
            referral=made[ref],
            stage=entry["stage"],
            interview_date=entry["interview_date"],
            main_substance=entry["main_substance"],
            recorded_by=caseworker,
            **{k: v for k, v in entry.items() if k.endswith("_days")},
        )
    return made


def test_the_summary_from_the_database_matches_the_hand_computed_figures(
    dataset: dict[str, Referral], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        summary = metrics.summary(everything(), Q2, AS_OF)
    assert summary.referrals == 6
    assert summary.first_contact == metrics.Timing(5, 2.0, 2.0)
    assert summary.no_first_contact == 1
    assert summary.assessed == metrics.Rate(3, 5)
    assert summary.treatment_within_window == metrics.Rate(1, 4)
    assert summary.reduced_use.rate == metrics.Rate(2, 4)


def test_the_breakdown_by_county_splits_the_same_figures(dataset: dict[str, Referral]) -> None:
    groups = metrics.breakdown(
        everything(), Q2, AS_OF, "county", {CARMS: "Sir Gâr", CERED: "Ceredigion"}
    )
    by_key = {g.key: g.summary for g in groups}
    assert [g.key for g in groups] == [CARMS, CERED, PEMBS]
    assert by_key[CERED].referrals == 2 and by_key[CERED].treatment_within_window == (
        metrics.Rate(1, 2)
    )
    assert by_key[CARMS].referrals == 2 and by_key[CARMS].assessed == metrics.Rate(0, 1)
    # R8 (Carmarthenshire, sent in March) reduced its use at a review in April.
    assert by_key[CARMS].reduced_use == metrics.UseChange(
        reduced=1, not_disclosed=1, no_use_at_start=1
    )
    assert by_key[PEMBS].reduced_use == metrics.UseChange(increased=1)


def test_the_breakdown_by_pathway(dataset: dict[str, Referral]) -> None:
    groups = metrics.breakdown(everything(), Q2, AS_OF, "pathway", metrics.pathway_labels())
    assert [(g.key, g.summary.referrals) for g in groups] == [("voluntary", 6)]


def test_police_share_uses_the_providers_reported_total(
    dataset: dict[str, Referral], world: dict[str, Any]
) -> None:
    ddas = Organisation.objects.get(name="Dyfed Drug and Alcohol Service")
    ProviderReferralTotal.objects.create(
        provider=ddas,
        quarter_start=Q2.start,
        total=24,
        entered_by=world["provider.manager"],
        entered_at=dt.datetime(2025, 7, 2, tzinfo=dt.UTC),
    )
    share = metrics.police_share(Referral.objects.all(), Q2, ProviderReferralTotal.objects.all())
    assert [(p.provider_name, p.through_pontio, p.reported_total) for p in share.providers] == [
        ("Dyfed Drug and Alcohol Service", 6, 24)
    ]
    assert share.overall == metrics.Rate(6, 24) and share.overall.percent == 25.0


def test_a_provider_without_a_total_has_no_share(dataset: dict[str, Referral]) -> None:
    share = metrics.police_share(Referral.objects.all(), Q2, ProviderReferralTotal.objects.all())
    assert share.providers[0].rate is None and share.overall is None


# --- who sees which rows ----------------------------------------------------------------------


def test_each_role_sees_the_figures_of_its_own_rows(
    dataset: dict[str, Referral], world: dict[str, Any]
) -> None:
    def count(username: str) -> int:
        return metrics.summary(metrics.cohort_for(world[username]), Q2, AS_OF).referrals

    assert count("analyst") == 6
    assert count("provider.manager") == 6
    assert count("powys.caseworker") == 0
    assert count("inspector") == 2  # Ceredigion: R1 and R2
    assert metrics.sees_rows(world["provider.manager"])
    assert not metrics.sees_rows(world["analyst"])


# --- the pages ----------------------------------------------------------------------------------


def test_a_quarter_not_offered_falls_back_to_the_current_one(
    dataset: dict[str, Referral], django_assert_max_num_queries: Any
) -> None:
    client = demo_sign_in("analyst")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("referrals:metrics"), {"quarter": "2020-01-01"})
    # The page only offers recent quarters, so an old one falls back to the current quarter.
    assert response.status_code == 200
    assert response.context["period"] == metrics.quarter_of(timezone.localdate())


def test_the_metrics_page_shows_the_chosen_quarter_with_suppression(
    world: dict[str, Any], dataset: dict[str, Referral], settings: Any
) -> None:
    today = timezone.localdate()
    period = metrics.quarter_of(today)
    Referral.objects.filter(pk__in=[r.pk for r in dataset.values()]).update(sent_on=period.start)
    client = demo_sign_in("analyst")
    response = client.get(reverse("referrals:metrics"), {"quarter": period.key})
    page = response.content.decode()
    assert response.context["figures"][0]["value"] == "8"
    assert "fewer than 5" in page
    assert "Dyfed Drug and Alcohol Service" in page  # the police share, by provider
    manager = demo_sign_in("provider.manager")
    figures = manager.get(reverse("referrals:metrics"), {"quarter": period.key}).context["figures"]
    assert figures[0]["value"] == "8"
    assert "fewer than 5" not in manager.get(reverse("referrals:metrics")).content.decode()


@pytest.mark.parametrize("username", ["officer", "caseworker", "panel", "auditor", "admin"])
def test_the_metrics_page_is_refused_to_other_roles_and_the_denial_audited(
    world: dict[str, Any], username: str
) -> None:
    client = demo_sign_in(username)
    before = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
    assert client.get(reverse("referrals:metrics")).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() == before + 1


# --- the provider's total -----------------------------------------------------------------------


def test_a_provider_manager_enters_a_total_for_a_finished_quarter(world: dict[str, Any]) -> None:
    client = demo_sign_in("provider.manager")
    last = metrics.total_quarters(timezone.localdate())[0]
    response = client.post(
        reverse("referrals:metrics-totals"), {"quarter": last.key, "total": "120"}
    )
    assert response.status_code == 302
    saved = ProviderReferralTotal.objects.get()
    assert saved.total == 120 and saved.quarter_start == last.start
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="referrals.providerreferraltotal"
    ).exists()
    client.post(reverse("referrals:metrics-totals"), {"quarter": last.key, "total": "130"})
    assert ProviderReferralTotal.objects.get().total == 130


def test_a_total_below_the_referrals_received_through_pontio_is_refused(
    world: dict[str, Any],
) -> None:
    last = metrics.total_quarters(timezone.localdate())[0]
    referral = refer(world["officer"], world["person"])
    Referral.objects.filter(pk=referral.pk).update(sent_on=last.start)
    client = demo_sign_in("provider.manager")
    response = client.post(reverse("referrals:metrics-totals"), {"quarter": last.key, "total": "0"})
    assert response.status_code == 200
    assert "must include the 1 referral you received" in response.content.decode()
    assert not ProviderReferralTotal.objects.exists()


def test_the_current_quarter_cannot_be_given_a_total(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        services.provider_total_record(
            context=CONTEXT,
            actor=world["provider.manager"],
            quarter_start=metrics.quarter_of(timezone.localdate()).start,
            total=3,
        )
    assert refused.value.message_dict["quarter"] == [
        "Choose a quarter that has ended, from the list"
    ]


def test_only_provider_managers_may_enter_totals(world: dict[str, Any]) -> None:
    for username in ("analyst", "caseworker", "inspector"):
        assert demo_sign_in(username).get(reverse("referrals:metrics-totals")).status_code == 403


def test_the_analyst_home_page_has_the_metrics_panel(world: dict[str, Any]) -> None:
    page = demo_sign_in("analyst").get(reverse("core:home")).content.decode()
    assert "Referral metrics" in page
    manager_page = demo_sign_in("provider.manager").get(reverse("core:home")).content.decode()
    assert "enter last quarter" in manager_page
