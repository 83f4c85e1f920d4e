"""Reference data: effective dates, Welsh and English labels, and the loaded counties."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from pontio.core.models import County

pytestmark = pytest.mark.django_db

ONS_CODES = ["W06000010", "W06000008", "W06000009", "W06000023"]


def make_county(code: str, **kwargs: object) -> County:
    defaults = {"label_en": f"{code} en", "label_cy": f"{code} cy", "ons_code": f"W0699{code[-4:]}"}
    defaults.update(kwargs)
    return County.objects.create(code=code, **defaults)


def test_migration_loaded_the_four_counties_in_order() -> None:
    counties = list(County.objects.order_by("sort_order"))
    assert [c.ons_code for c in counties] == ONS_CODES
    assert [c.label_en for c in counties] == [
        "Carmarthenshire",
        "Ceredigion",
        "Pembrokeshire",
        "Powys",
    ]
    assert {c.ons_code: c.label_cy for c in counties}["W06000010"] == "Sir Gaerfyrddin"
    assert {c.ons_code: c.label_cy for c in counties}["W06000009"] == "Sir Benfro"
    assert all(c.is_effective() for c in counties)


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [ring for polygon in polygons for ring in polygon]


@pytest.mark.parametrize("ons_code", ONS_CODES)
def test_each_county_has_a_non_empty_boundary_in_wales(ons_code: str) -> None:
    boundary = County.objects.get(ons_code=ons_code).boundary
    assert boundary["type"] in {"Polygon", "MultiPolygon"}
    rings = _rings(boundary)
    assert rings, ons_code
    for ring in rings:
        assert len(ring) >= 4
        assert ring[0] == ring[-1], "rings are closed"
        for lon, lat in ring:
            # WGS84 longitude/latitude inside Wales, not easting/northing.
            assert -5.8 < lon < -2.6
            assert 51.3 < lat < 53.0


@pytest.mark.parametrize("ons_code", ONS_CODES)
def test_every_county_boundary_is_a_multipolygon(ons_code: str) -> None:
    """One geometry type for every county, so map and point-in-county code has one case."""
    boundary = County.objects.get(ons_code=ons_code).boundary
    assert boundary["type"] == "MultiPolygon", f"{ons_code} boundary is a {boundary['type']}"
    assert boundary["coordinates"] and all(
        polygon and polygon[0] for polygon in boundary["coordinates"]
    )


def test_counties_have_unique_codes() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_county("carmarthenshire")


def test_effective_filters_by_dates() -> None:
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    old = make_county("old", valid_to=today)  # stopped applying today
    future = make_county("future", valid_from=today + day)
    current = make_county("current", valid_from=today - day, valid_to=today + day)
    open_ended = make_county("open", valid_from=today)

    effective_today = set(County.objects.effective().values_list("code", flat=True))
    assert {"current", "open", "carmarthenshire", "powys"} <= effective_today
    assert "old" not in effective_today
    assert "future" not in effective_today

    yesterday = set(County.objects.effective(today - day).values_list("code", flat=True))
    assert "old" in yesterday
    assert "current" in yesterday
    assert "open" not in yesterday

    assert not old.is_effective()
    assert old.is_effective(today - day)
    assert not future.is_effective()
    assert future.is_effective(today + day)
    assert current.is_effective()
    assert not current.is_effective(today + day)  # valid_to is the first day it no longer applies
    assert open_ended.is_effective()
    assert not open_ended.is_effective(today - day)


def test_effective_queryset_and_is_effective_agree() -> None:
    today = timezone.localdate()
    for i, (start, end) in enumerate(
        [(-5, -1), (-1, 1), (0, None), (None, 0), (2, 5), (None, None)]
    ):
        make_county(
            f"range{i}",
            valid_from=today + dt.timedelta(days=start) if start is not None else None,
            valid_to=today + dt.timedelta(days=end) if end is not None else None,
        )
    for offset in range(-6, 7):
        on = today + dt.timedelta(days=offset)
        in_query = set(County.objects.effective(on).values_list("pk", flat=True))
        by_method = {c.pk for c in County.objects.all() if c.is_effective(on)}
        assert in_query == by_method, on


def test_label_follows_the_active_language() -> None:
    county = County.objects.get(ons_code="W06000010")
    with translation.override("cy"):
        assert county.label == "Sir Gaerfyrddin"
        assert str(county) == "Sir Gaerfyrddin"
    with translation.override("en"):
        assert county.label == "Carmarthenshire"
        assert str(county) == "Carmarthenshire"


def test_label_falls_back_to_english_when_welsh_is_missing() -> None:
    county = make_county("nowelsh", label_en="Only English", label_cy="")
    with translation.override("cy"):
        assert county.label == "Only English"


def test_end_date_must_be_after_start_date() -> None:
    county = County(code="x", label_en="x", label_cy="x", ons_code="W06999999")
    county.valid_from = dt.date(2026, 1, 1)
    county.valid_to = dt.date(2026, 1, 1)
    with pytest.raises(ValidationError) as info:
        county.clean()
    assert "valid_to" in info.value.message_dict
    county.valid_to = dt.date(2026, 1, 2)
    county.clean()


def test_county_natural_key_is_the_ons_code() -> None:
    assert County.objects.get(code="powys").natural_key() == ("W06000023",)
