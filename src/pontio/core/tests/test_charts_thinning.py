"""A map's rings keep their shape with fewer points: those within a pixel of the last one
kept are dropped, the ends are kept."""

from __future__ import annotations

from pontio.core.charts import _thinned


def test_points_within_the_tolerance_are_dropped_and_the_ends_kept() -> None:
    ring = [(0.0, 0.0), (0.1, 0.1), (0.2, 0.0), (5.0, 5.0), (5.1, 5.0), (9.0, 0.0), (9.05, 0.0)]
    assert _thinned(ring) == ["0.0,0.0", "5.0,5.0", "9.0,0.0", "9.1,0.0"]


def test_a_ring_far_apart_is_kept_whole() -> None:
    ring = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 0.0)]
    assert len(_thinned(ring)) == 4
