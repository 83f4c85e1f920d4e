"""Each dashboard tile against a hand-computed example (and, for diversion, against the
outcomes page's own computation), as the OPCC analyst (aggregates only, suppressed) and as
someone who may open the rows (exact)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

ROOT = str(Path(__file__).resolve().parents[4])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.conftest import *  # noqa: E402, F403
from tests.factories import county  # noqa: E402

from pontio.core import tiles  # noqa: E402
from pontio.core.models import County  # noqa: E402
from pontio.oversight.models import CrimeCount  # noqa: E402

pytestmark = pytest.mark.django_db
D = dt.date
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"
FEWER = "fewer than 5"
HIDDEN = "not shown (small numbers)"


def shown(key: str, user: Any, query: tiles.TileQuery) -> dict[tuple[str, str], str]:
    tile = tiles.get_tile(key)
    assert tile is not None
    result = tiles.present(tile, query, tile.build(user, query))
    assert not result.missing, result.missing
    return {
        (row.key, column.key): cell.text
        for row in result.rows
        for column, cell in zip(result.columns, row.cells, strict=True)
    }


def pk_of(code: str) -> str:
    return str(County.objects.get(ons_code=code).pk)


# --- the referral loop ----------------------------------------------------------------------


@pytest.fixture
def referrals(demo_users: dict[str, Any]) -> dict[str, Any]:
    """The referral metrics' own hand-computed dataset (referrals.tests.test_metrics): R1,
    R2 in Ceredigion, R3, R4 in Carmarthenshire, R5, R6 in Pembrokeshire, sent April to June
    2025; R7 and R8 (Carmarthenshire) before it; their outcome profiles; read on 15 July."""
    from pontio.referrals.models import Referral, ReferralCode, TopEntry
    from pontio.referrals.tests.helpers import make_person, refer
    from pontio.referrals.tests.test_metrics import DATES, PROFILES

    person = make_person()
    made = {}
    for name, (sent, contact, assessed, started, status, code, closed, ons) in DATES.items():
        referral = refer(demo_users["officer"], person)
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
    for entry in PROFILES:
        TopEntry.objects.create(
            referral=made[f"R{entry['referral_id']}"],
            stage=entry["stage"],
            interview_date=entry["interview_date"],
            main_substance=entry["main_substance"],
            recorded_by=demo_users["caseworker"],
            **{k: v for k, v in entry.items() if k.endswith("_days")},
        )
    return made


Q2 = tiles.TileQuery(D(2025, 4, 1), D(2025, 6, 30), None, D(2025, 7, 15))


def test_first_contact_by_county(referrals: Any, demo_users: dict[str, Any]) -> None:
    """Working days: R3 3 (Carms); R1 1, R2 2 (Cered: median 1.5); R5 4, R6 0 (Pembs:
    median 2); all five 0, 1, 2, 3, 4: median 2. Every county's counts are 1 or 2: hidden,
    and so are their medians (fewer than 5 referrals); the total stands."""
    figures = shown("first-contact", demo_users["analyst"], Q2)
    assert figures[("all", "sent")] == "6"
    assert figures[("all", "contacted")] == "5"
    assert figures[("all", "median")] == "2.0"
    assert figures[(CARMS, "sent")] == FEWER
    assert figures[(CERED, "median")] == HIDDEN
    assert figures[(POWYS, "sent")] == "0"
    assert figures[(POWYS, "median")] == "no data"


def test_first_contact_for_one_county_counts_only_its_referrals(
    referrals: Any, demo_users: dict[str, Any]
) -> None:
    query = tiles.TileQuery(Q2.start, Q2.end, County.objects.get(ons_code=CERED), Q2.today)
    tile = tiles.get_tile("first-contact")
    assert tile is not None
    data = tile.build(demo_users["analyst"], query)
    values = {row.key: row.values for row in data.rows}
    assert set(values) == {CERED, "all"}
    assert values["all"]["sent"] == 2 and values["all"]["median"].value == 1.5  # type: ignore[union-attr]


def test_treatment_starts_within_20_working_days(
    referrals: Any, demo_users: dict[str, Any]
) -> None:
    """R1 within, R2 late (Cered: 1 of 2); R3 past its deadline (Carms: 0 of 1); R4 withdrawn
    in time, left out; R5 past (Pembs: 0 of 1); R6 still inside its 20 days: 1 of 4."""
    tile = tiles.get_tile("treatment-starts")
    assert tile is not None
    data = tile.build(demo_users["analyst"], Q2)
    values = {row.key: row.values for row in data.rows}
    assert (values[CERED]["counted"], values[CERED]["started"]) == (2, 1)
    assert (values[CARMS]["counted"], values[CARMS]["started"]) == (1, 0)
    assert (values[PEMBS]["counted"], values[PEMBS]["started"]) == (1, 0)
    assert (values["all"]["counted"], values["all"]["started"]) == (4, 1)
    figures = shown("treatment-starts", demo_users["analyst"], Q2)
    assert figures[("all", "counted")] == FEWER
    assert figures[("all", "rate")] == HIDDEN
    assert figures[(POWYS, "rate")] == "no data"
    data.exact = True
    exact = tiles.present(tile, Q2, data)
    assert [c.text for c in exact.rows[-1].cells] == ["4", "1", "25.0%"]


def test_reduced_use_at_review_and_at_exit(referrals: Any, demo_users: dict[str, Any]) -> None:
    """At review: R1 20 -> 5 and R8 10 -> 4 reduced, R5 10 -> 14 increased (R3 not
    disclosed, R7 no use at the start): 2 of 3. At exit: R2 12 -> 12 (R5's exit on 2 July is
    after the period): 0 of 1."""
    tile = tiles.get_tile("reduced-use")
    assert tile is not None
    data = tile.build(demo_users["analyst"], Q2)
    values = {row.key: row.values for row in data.rows}
    assert (values["review"]["compared"], values["review"]["reduced"]) == (3, 2)
    assert (values["exit"]["compared"], values["exit"]["reduced"]) == (1, 0)
    data.exact = True
    exact = {row.key: [c.text for c in row.cells] for row in tiles.present(tile, Q2, data).rows}
    assert exact == {"review": ["3", "2", "66.7%"], "exit": ["1", "0", "0.0%"]}
    figures = shown("reduced-use", demo_users["analyst"], Q2)
    assert figures[("review", "rate")] == HIDDEN


def test_police_share(referrals: Any, demo_users: dict[str, Any]) -> None:
    """The six referrals of the quarter went to DDAS, which reported 24: 25%."""
    from pontio.accounts.models import Organisation
    from pontio.referrals.models import ProviderReferralTotal

    ddas = Organisation.objects.get(name="Dyfed Drug and Alcohol Service")
    ProviderReferralTotal.objects.create(
        provider=ddas,
        quarter_start=Q2.start,
        total=24,
        entered_by=demo_users["provider.manager"],
        entered_at=dt.datetime(2025, 7, 2, tzinfo=dt.UTC),
    )
    figures = shown("police-share", demo_users["analyst"], Q2)
    assert figures[(str(ddas.pk), "through")] == "6"
    assert figures[(str(ddas.pk), "reported")] == "24"
    assert figures[(str(ddas.pk), "share")] == "25.0%"
    assert figures[("all", "share")] == "25.0%"
    # A period with no whole quarter, or one county, cannot show the share.
    tile = tiles.get_tile("police-share")
    assert tile is not None
    part = tiles.TileQuery(D(2025, 4, 15), D(2025, 6, 30), None, Q2.today)
    assert "no whole quarter" in tile.build(demo_users["analyst"], part).missing
    one = tiles.TileQuery(Q2.start, Q2.end, County.objects.get(ons_code=CARMS), Q2.today)
    assert "choose all counties" in tile.build(demo_users["analyst"], one).missing


def test_the_quarters_within_a_period() -> None:
    from pontio.referrals.dashboard_tiles import quarters_within

    found = quarters_within(D(2025, 12, 1), D(2026, 11, 30))
    assert [(q.start, q.end) for q in found] == [
        (D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 9, 30)),
    ]


# --- the test-on-arrest funnel ---------------------------------------------------------------

FUNNEL = {
    "arrests": 40, "tested": 36, "positive": 20, "opiates": 8, "cocaine": 9, "both": 3,
    "required": 18, "attended": 12, "followups": 5, "failures": 6, "failed_to_attend": 4,
    "left_early": 2, "pursued": 1, "treatment": 7, "refused": 2, "authorised": 3,
}  # fmt: skip


def test_the_funnel_is_suppressed_like_its_page(
    monkeypatch: Any, demo_users: dict[str, Any]
) -> None:
    """Primary: both 3, failed to attend 4, left early 2, pursued 1, refused 2, authorised 3.
    Secondary: arrests 40 - tested 36 leaves 4, so tested is hidden; positive 20 - required
    18 leaves 2, so required is hidden; "both" is the only hidden part of positive, so the
    smaller other part (opiates 8) is hidden too. Shown: arrests, positive, cocaine,
    attended, follow-ups, failures, treatment; conversions only between shown counts."""
    from pontio.custody.funnel import selectors

    monkeypatch.setattr(selectors, "count_steps", lambda rows: dict(FUNNEL))
    query = tiles.TileQuery(D(2026, 1, 1), D(2026, 6, 30))
    figures = shown("test-on-arrest", demo_users["analyst"], query)
    counts = {key: figures[(key, "count")] for key in FUNNEL}
    assert counts == {
        "arrests": "40", "tested": HIDDEN, "positive": "20", "opiates": HIDDEN,
        "cocaine": "9", "both": FEWER, "required": HIDDEN, "attended": "12",
        "followups": "5", "failures": "6", "failed_to_attend": FEWER, "left_early": FEWER,
        "pursued": FEWER, "treatment": "7", "refused": FEWER, "authorised": FEWER,
    }  # fmt: skip
    assert figures[("cocaine", "conversion")] == "45.0%"
    assert figures[("followups", "conversion")] == "41.7%"
    assert figures[("tested", "conversion")] == HIDDEN
    assert figures[("attended", "conversion")] == HIDDEN  # its parent is hidden
    exact = shown("test-on-arrest", demo_users["custody.sergeant"], query)
    assert exact[("tested", "count")] == "36" and exact[("tested", "conversion")] == "90.0%"


# --- diversion -------------------------------------------------------------------------------


@pytest.fixture
def generated(demo_users: dict[str, Any]) -> Any:
    from pontio.disposals.reference import load_all
    from pontio.disposals.schemes import link_scheme
    from pontio.disposals.tests.generated import generate

    load_all()
    demo_users["scheme"] = link_scheme()
    return generate(demo_users, disposals=400, people=120)


def test_diversion_tiles_match_the_outcomes_page(
    generated: Any, demo_users: dict[str, Any]
) -> None:
    from pontio.disposals.selectors.outcomes import outcomes_for

    analyst = demo_users["analyst"]
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=365), today
    page = outcomes_for(analyst, start, end, today)
    query = tiles.TileQuery(start, end, None, today)

    completion = tiles.get_tile("diversion-completion")
    assert completion is not None
    rows = {row.key: row.values for row in completion.build(analyst, query).rows}
    assert rows["all"]["started"] == page.contracts_started.count
    assert rows["all"]["completed"] == page.contracts_completed.count
    assert rows["all"]["failed"] == page.contracts_failed.count
    assert rows["all"]["running"] == page.contracts_running.count
    # The counties add up to the whole.
    for column in ("started", "completed", "failed", "running"):
        assert sum(v[column] for k, v in rows.items() if k != "all") == rows["all"][column]

    needs = tiles.get_tile("needs-reduction")
    assert needs is not None
    rows = {row.key: row.values for row in needs.build(analyst, query).rows}
    assert rows["all"]["contracts"] == page.assessed_contracts.count
    assert rows["all"]["risk_start"] == page.needs_overall.risk_start.count
    assert rows["all"]["risk_end"] == page.needs_overall.risk_end.count

    reoffending = tiles.get_tile("reoffending")
    assert reoffending is not None
    rows = {row.key: row.values for row in reoffending.build(analyst, query).rows}
    first = page.follow_ups[0]
    assert rows["cohort"]["people"] == first.cohort.count
    assert rows["comparison"]["people"] == first.comparison.count
    assert rows["matched"]["people"] == first.matched.count
    assert rows["cohort"]["rate"].percent == first.cohort_rate.percent  # type: ignore[union-attr]


def test_completion_by_county_is_hand_computed(
    monkeypatch: Any, demo_users: dict[str, Any]
) -> None:
    """Contracts started in the period: Carms 6 completed, 2 failed, 3 running (11: 75%);
    Powys 1 completed, 0 failed, 1 running (2); a declined one in Carms is not started.
    All: 13 started, 7 completed, 2 failed, 4 running. For the analyst the counts from 1
    to 4 are "fewer than 5"; Powys's hidden 2 started and 1 completed would be given away by
    the totals, so Carmarthenshire's started and completed (the only other non-zero parts of
    those columns) are hidden too. The rate 7 of 9 leaves 2 out: hidden."""
    from pontio.disposals import dashboard_tiles
    from pontio.disposals.models import DiversionContract

    carms, powys = County.objects.get(ons_code=CARMS), County.objects.get(ons_code=POWYS)
    noon = dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC)
    made = (
        [(carms.pk, "completed", D(2026, 2, 1), noon)] * 6
        + [(carms.pk, "failed", D(2026, 2, 1), noon)] * 2
        + [(carms.pk, "active", D(2026, 2, 1), noon)] * 3
        + [(carms.pk, "declined", None, noon)]
        + [(powys.pk, "completed", D(2026, 3, 1), noon), (powys.pk, "active", D(2026, 3, 1), noon)]
        + [(carms.pk, "completed", D(2025, 1, 1), noon)]  # before the period
    )

    class Rows:
        def order_by(self) -> Rows:
            return self

        def filter(self, **kwargs: Any) -> Rows:
            return self

        def values_list(self, *fields: str) -> list[tuple[Any, ...]]:
            return made

    monkeypatch.setattr(dashboard_tiles, "restrict", lambda qs, user, action: Rows())
    assert DiversionContract  # the rows stand for these contracts
    query = tiles.TileQuery(D(2026, 1, 1), D(2026, 6, 30))
    figures = shown("diversion-completion", demo_users["analyst"], query)
    columns = ("started", "completed", "failed", "running")
    assert [figures[(pk_of(CARMS), c)] for c in columns] == [HIDDEN, HIDDEN, FEWER, FEWER]
    assert [figures[(pk_of(POWYS), c)] for c in columns] == [FEWER, FEWER, "0", FEWER]
    assert figures[(pk_of(CARMS), "rate")] == HIDDEN
    assert [figures[("all", c)] for c in (*columns, "rate")] == ["13", "7", FEWER, FEWER, HIDDEN]
    # Exact figures for those who may open the contracts.
    tile = tiles.get_tile("diversion-completion")
    assert tile is not None
    data = tile.build(demo_users["analyst"], query)
    data.exact = True
    rows = {row.key: [c.text for c in row.cells] for row in tiles.present(tile, query, data).rows}
    assert rows[pk_of(CARMS)] == ["11", "6", "2", "3", "75.0%"]
    assert rows["all"] == ["13", "7", "2", "4", "77.8%"]


# --- stop and search -------------------------------------------------------------------------


@pytest.fixture
def searches() -> None:
    """November 2016: Carmarthenshire 6 searches (2 finds), Pembrokeshire 3 (1), Powys 8 (4,
    2 of them of Black people); everyone else White."""
    from pontio.stopsearch.tests.helpers import make_search

    for code, total, finds in ((CARMS, 6, 2), (PEMBS, 3, 1), (POWYS, 8, 4)):
        for i in range(total):
            ethnicity = "Black" if code == POWYS and i < 2 else "White"
            make_search(code, current_linked=i < finds, officer_defined_ethnicity=ethnicity)


NOV_2016 = tiles.TileQuery(D(2016, 11, 1), D(2016, 11, 30))


def test_stop_and_search_by_county(searches: None, demo_users: dict[str, Any]) -> None:
    """Searches 6, 3, 8 (17): Pembrokeshire's 3 is hidden, so Carmarthenshire's 6 (the
    smaller other) is too; finds 2, 1, 4 are all small (7 shown); find rate 7 of 17."""
    figures = shown("stop-search", demo_users["analyst"], NOV_2016)
    assert figures[(CARMS, "searches")] == HIDDEN
    assert figures[(PEMBS, "searches")] == FEWER
    assert figures[(POWYS, "searches")] == "8"
    assert figures[("all", "searches")] == "17"
    assert figures[(POWYS, "finds")] == FEWER
    assert figures[(POWYS, "rate")] == HIDDEN
    assert figures[("all", "finds")] == "7"
    assert figures[("all", "rate")] == "41.2%"


def test_disproportionality(searches: None, demo_users: dict[str, Any]) -> None:
    """White 15, Black 2 of 17: Black's 2 is hidden, and so White's 15 (or the total would
    give the 2 back), with every rate and ratio built on them."""
    from pontio.stopsearch import denominators

    analyst = demo_users["analyst"]
    figures = shown("disproportionality", analyst, NOV_2016)
    assert figures[("Black", "searches")] == FEWER
    assert figures[("White", "searches")] == HIDDEN
    assert figures[("all", "searches")] == "17"
    assert figures[("Black", "ratio")] == HIDDEN
    assert figures[("Asian", "per_thousand")] == "0.0"  # no search: a rate of 0, shown
    # Exact figures: the rates per 1,000 of the force's residents.
    tile = tiles.get_tile("disproportionality")
    assert tile is not None
    data = tile.build(analyst, NOV_2016)
    data.exact = True
    population = denominators.population(None).groups
    rows = {
        row.key: [c.text for c in row.cells] for row in tiles.present(tile, NOV_2016, data).rows
    }
    white = 1000 * 15 / population["White"]
    black = 1000 * 2 / population["Black"]
    assert rows["White"][2] == f"{white:.1f}"
    assert rows["Black"][2] == f"{black:.1f}"
    assert rows["Black"][3] == f"{black / white:.2f}"


# --- published open data ---------------------------------------------------------------------


@pytest.fixture
def crimes() -> None:
    """January 2020: Carmarthenshire 12 drug crimes and 5 burglaries, Powys 7 drug crimes;
    February 2020: only 3 burglaries in Carmarthenshire (a month held, no drug crime);
    March 2020: nothing imported."""
    for month, code, kind, count in (
        (D(2020, 1, 1), CARMS, "Drugs", 12),
        (D(2020, 1, 1), CARMS, "Burglary", 5),
        (D(2020, 1, 1), POWYS, "Drugs", 7),
        (D(2020, 2, 1), CARMS, "Burglary", 3),
    ):
        place = County.objects.get(ons_code=code)
        CrimeCount.objects.create(
            month=month,
            force="Dyfed-Powys Police",
            county=place,
            area_name=place.label_en,
            crime_type=kind,
            count=count,
            source_file="test.csv",
        )


Q1_2020 = tiles.TileQuery(D(2020, 1, 1), D(2020, 3, 31))


def test_the_drug_crime_trend(crimes: None, demo_users: dict[str, Any]) -> None:
    figures = shown("drug-crime-trend", demo_users["analyst"], Q1_2020)
    carms, powys, cered = pk_of(CARMS), pk_of(POWYS), pk_of(CERED)
    assert figures[("2020-01-01", carms)] == "12"
    assert figures[("2020-01-01", powys)] == "7"  # published: never suppressed
    assert figures[("2020-01-01", cered)] == "0"
    assert figures[("2020-02-01", carms)] == "0"
    assert figures[("2020-03-01", carms)] == "not held"


def test_the_drug_crime_map(crimes: None, demo_users: dict[str, Any]) -> None:
    from pontio.stopsearch import denominators

    figures = shown("drug-crime-map", demo_users["provider.manager"], Q1_2020)
    residents = denominators.population([CARMS]).total
    assert figures[(CARMS, "crimes")] == "12"
    assert figures[(CARMS, "rate")] == f"{1000 * 12 / residents:.1f}"
    assert figures[(CERED, "crimes")] == "0"
    tile = tiles.get_tile("drug-crime-map")
    assert tile is not None
    result = tiles.present(tile, Q1_2020, tile.build(demo_users["analyst"], Q1_2020))
    assert result.chart is not None and str(result.chart).count("<path") == 4


def test_a_period_without_crime_figures_says_so(demo_users: dict[str, Any]) -> None:
    tile = tiles.get_tile("drug-crime-trend")
    assert tile is not None
    data = tile.build(demo_users["analyst"], Q1_2020)
    assert data.missing == "No police.uk street crime figures are held for this period."


def test_drug_poisoning_deaths_by_county(demo_users: dict[str, Any]) -> None:
    """ONS registrations 2018 and 2019: Carmarthenshire 18, 14; Ceredigion 8, 6;
    Pembrokeshire 9, 8; Powys 5, 13; all four 40, 41."""
    query = tiles.TileQuery(D(2018, 1, 1), D(2019, 12, 31))
    figures = shown("drug-deaths", demo_users["inspector"], query)
    assert [figures[(CARMS, y)] for y in ("2018", "2019")] == ["18", "14"]
    assert [figures[(CERED, y)] for y in ("2018", "2019")] == ["8", "6"]
    assert [figures[(PEMBS, y)] for y in ("2018", "2019")] == ["9", "8"]
    assert [figures[(POWYS, y)] for y in ("2018", "2019")] == ["5", "13"]
    assert [figures[("all", y)] for y in ("2018", "2019")] == ["40", "41"]


def test_deaths_after_the_latest_year_held_show_the_latest_years_and_say_so(
    demo_users: dict[str, Any],
) -> None:
    tile = tiles.get_tile("drug-deaths")
    assert tile is not None
    data = tile.build(demo_users["analyst"], tiles.TileQuery(D(2025, 12, 1), D(2026, 11, 30)))
    assert [c.key for c in data.columns] == ["2016", "2017", "2018", "2019", "2020"]
    assert "The latest ONS figures held are for 2020" in data.notes[0]
    before = tile.build(demo_users["analyst"], tiles.TileQuery(D(1980, 1, 1), D(1985, 12, 31)))
    assert "No ONS figures are held for this period" in before.missing


def test_the_map_keeps_to_the_forces_counties_when_others_are_held(
    crimes: None, demo_users: dict[str, Any]
) -> None:
    """A national deployment holds other forces' areas (found at the national bench size):
    the map shows the four counties the Census denominators hold, and does not fail."""
    from pontio.core.models import County

    County.objects.create(
        code="hartlepool", label_en="Hartlepool", label_cy="Hartlepool", ons_code="E06000001"
    )
    tile = tiles.get_tile("drug-crime-map")
    assert tile is not None
    result = tiles.present(tile, Q1_2020, tile.build(demo_users["analyst"], Q1_2020))
    assert result.chart is not None and str(result.chart).count("<path") == 4
    assert "Hartlepool" not in str(result.chart)
