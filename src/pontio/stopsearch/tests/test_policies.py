"""The scope policies of stop and search (``policies``): every model has one, and each
action reaches the rows the decision says, and no others."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils import timezone
from tests.factories import UserFactory, county

from pontio.accounts.roles import Role
from pontio.core.scopes import has_policy, restrict
from pontio.stopsearch import quarters, sampling, selectors, services
from pontio.stopsearch.models import (
    AuditSample,
    ImportBatch,
    OutcomeUpdate,
    SearchReview,
    StopSearch,
    StreetCrime,
)
from pontio.stopsearch.tests.helpers import (
    CARMS,
    CERED,
    CONTEXT,
    imported_search,
    make_search,
    record,
)


def test_every_model_of_the_app_has_a_scope_policy() -> None:
    models = list(apps.get_app_config("stopsearch").get_models())
    assert {m.__name__ for m in models} >= {
        "StopSearch",
        "OutcomeUpdate",
        "AuditSample",
        "SearchReview",
        "ImportBatch",
        "StreetCrime",
    }
    assert [m.__name__ for m in models if not has_policy(m)] == []


def _pks(model: Any, user: Any, action: str) -> set[int]:
    return set(restrict(model.objects.all(), user, action).values_list("pk", flat=True))


def _world_of_searches() -> dict[str, StopSearch]:
    return {
        "carms": make_search(CARMS),
        "cered": make_search(CERED),
        "imported": imported_search(),
        "london": imported_search(force="city-of-london"),
    }


def test_aggregate_viewers_count_every_search_of_the_force_and_no_other(
    world: dict[str, Any],
) -> None:
    rows = _world_of_searches()
    force = {rows[k].pk for k in ("carms", "cered", "imported")}
    for username in ("analyst", "operations", "panel"):
        assert _pks(StopSearch, world[username], "aggregate") == force, username


def test_inspectors_count_their_areas_searches(world: dict[str, Any]) -> None:
    rows = _world_of_searches()
    assert _pks(StopSearch, world["inspector"], "aggregate") == {rows["cered"].pk}
    wide = UserFactory(roles=[Role.INSPECTOR], force_wide=True)
    assert _pks(StopSearch, wide, "aggregate") == {
        rows[k].pk for k in ("carms", "cered", "imported")
    }


def test_other_roles_count_no_search(world: dict[str, Any]) -> None:
    _world_of_searches()
    for username in ("officer", "custody.sergeant", "caseworker", "auditor", "admin"):
        assert _pks(StopSearch, world[username], "aggregate") == set(), username


def test_the_export_scope_is_the_rows_one_may_read(world: dict[str, Any]) -> None:
    rows = _world_of_searches()
    mine = record(world["officer"])
    assert _pks(StopSearch, world["analyst"], "export") == set()
    assert _pks(StopSearch, world["operations"], "export") == set()
    assert _pks(StopSearch, world["inspector"], "export") == {rows["cered"].pk}
    # The administrator: the force's publication (not another force's imported file).
    assert _pks(StopSearch, world["admin"], "export") == {
        rows["carms"].pk,
        rows["cered"].pk,
        rows["imported"].pk,
        mine.pk,
    }


def test_searches_for_the_panel_come_from_the_audit_runners_reach(world: dict[str, Any]) -> None:
    rows = _world_of_searches()
    assert _pks(StopSearch, world["inspector"], "create") == {rows["cered"].pk}
    assert len(_pks(StopSearch, world["admin"], "create")) == 4
    assert _pks(StopSearch, world["officer"], "create") == set()
    assert _pks(StopSearch, world["analyst"], "create") == set()


def test_outcomes_follow_their_search(world: dict[str, Any]) -> None:
    search = record(world["officer"])
    first = search.outcomes.get()
    assert _pks(OutcomeUpdate, world["officer"], "view") == {first.pk}
    assert _pks(OutcomeUpdate, world["custody.officer"], "view") == set()
    assert _pks(OutcomeUpdate, world["analyst"], "aggregate") == set()


# --- reviews ------------------------------------------------------------------------------


def _reviews(world: dict[str, Any]) -> tuple[SearchReview, SearchReview]:
    """One sampled search in Ceredigion and one in Carmarthenshire: their inspector reviews."""
    cered = record(world["officer"], county=county(CERED), place="Aberystwyth")
    carms = record(world["officer"])
    for code in (CERED, CARMS):
        sampling.draw_sample(
            month=cered.month, county=county(code), rate_percent=100, context=CONTEXT
        )
    return (
        cered.reviews.get(kind=SearchReview.Kind.INSPECTOR),
        carms.reviews.get(kind=SearchReview.Kind.INSPECTOR),
    )


def test_reviews_are_counted_by_those_who_follow_the_audit(world: dict[str, Any]) -> None:
    cered, carms = _reviews(world)
    everything = set(SearchReview.objects.values_list("pk", flat=True))
    assert _pks(SearchReview, world["admin"], "aggregate") == everything
    assert _pks(SearchReview, world["panel"], "aggregate") == everything
    area = _pks(SearchReview, world["inspector"], "aggregate")
    assert cered.pk in area and carms.pk not in area
    for username in ("officer", "analyst", "operations", "caseworker"):
        assert _pks(SearchReview, world[username], "aggregate") == set(), username


def test_the_audit_overview_counts_only_the_inspectors_area(world: dict[str, Any]) -> None:
    cered, carms = _reviews(world)
    counted = set(selectors.audit_reviews(world["inspector"]).values_list("pk", flat=True))
    assert cered.pk in counted and carms.pk not in counted
    assert selectors.audit_reviews(world["admin"]).count() == SearchReview.objects.count()


def test_the_quarterly_summary_counts_the_reviews_one_may_count(world: dict[str, Any]) -> None:
    cered, carms = _reviews(world)
    answers = services.ReviewAnswers(
        grounds_reasonable=True, record_complete=True, conduct_proportionate=True
    )
    wide = UserFactory(roles=[Role.INSPECTOR], force_wide=True)
    for review in (cered, carms):
        services.review_complete(
            context=CONTEXT,
            actor=wide,
            review_id=review.pk,
            expected_version=review.version,
            answers=answers,
        )
    quarter = quarters.quarter_of(timezone.localdate())
    inspector = quarters.quarter_summary(world["inspector"], quarter)
    assert inspector.reviews_completed[SearchReview.Kind.INSPECTOR] == 1
    assert quarters.quarter_summary(wide, quarter).reviews_completed["inspector"] == 2
    assert quarters.quarter_summary(world["panel"], quarter).reviews_completed["inspector"] == 2
    assert quarters.quarter_summary(world["officer"], quarter).reviews_completed["inspector"] == 0


# --- the other models ---------------------------------------------------------------------


def test_samples_are_the_inspectors_area_and_every_one_for_administrators(
    world: dict[str, Any],
) -> None:
    _reviews(world)
    cered = AuditSample.objects.get(county=county(CERED))
    assert _pks(AuditSample, world["inspector"], "view") == {cered.pk}
    assert _pks(AuditSample, world["admin"], "view") == set(
        AuditSample.objects.values_list("pk", flat=True)
    )
    assert _pks(AuditSample, world["panel"], "view") == set()
    assert _pks(AuditSample, world["admin"], "change") == set()


def test_imports_are_read_by_importers_only(world: dict[str, Any]) -> None:
    batch = ImportBatch.objects.create(kind="street", file_name="street.csv", sha256="0" * 64)
    assert _pks(ImportBatch, world["admin"], "view") == {batch.pk}
    assert _pks(ImportBatch, world["analyst"], "view") == {batch.pk}
    assert _pks(ImportBatch, world["inspector"], "view") == set()
    assert _pks(ImportBatch, world["admin"], "change") == set()


def test_street_crime_is_read_by_those_who_analyse_or_import_it(world: dict[str, Any]) -> None:
    batch = ImportBatch.objects.create(kind="street", file_name="street.csv", sha256="0" * 64)
    crime = StreetCrime.objects.create(
        month=dt.date(2016, 11, 1),
        reported_by="Dyfed-Powys Police",
        falls_within="Dyfed-Powys Police",
        crime_type="Drugs",
        batch=batch,
        source_key="street:1",
    )
    for username in ("admin", "analyst", "inspector", "operations"):
        assert _pks(StreetCrime, world[username], "view") == {crime.pk}, username
    for username in ("officer", "panel", "caseworker"):
        assert _pks(StreetCrime, world[username], "view") == set(), username
