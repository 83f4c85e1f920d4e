"""The county of a point: police.uk rows carry coordinates, our searches a county."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pontio.core.models import County


def _in_ring(x: float, y: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _in_geometry(x: float, y: float, geometry: dict[str, Any]) -> bool:
    kind = geometry.get("type")
    polygons = (
        [geometry.get("coordinates", [])]
        if kind == "Polygon"
        else geometry.get("coordinates", [])
        if kind == "MultiPolygon"
        else []
    )
    for polygon in polygons:
        if (
            polygon
            and _in_ring(x, y, polygon[0])
            and not any(_in_ring(x, y, h) for h in polygon[1:])
        ):
            return True
    return False


class CountyFinder:
    """The county whose boundary holds a point (GeoJSON, WGS84), or None."""

    def __init__(self) -> None:
        self.counties: list[tuple[County, tuple[float, float, float, float]]] = []
        for county in County.objects.exclude(boundary={}).defer(None):
            points = [
                p
                for polygon in self._polygons(county.boundary)
                for ring in polygon[:1]
                for p in ring
            ]
            if points:
                xs = [p[0] for p in points]
                ys = [p[1] for p in points]
                self.counties.append((county, (min(xs), min(ys), max(xs), max(ys))))

    @staticmethod
    def _polygons(geometry: dict[str, Any]) -> list[Any]:
        if geometry.get("type") == "Polygon":
            return [geometry.get("coordinates", [])]
        if geometry.get("type") == "MultiPolygon":
            return list(geometry.get("coordinates", []))
        return []

    def find(self, latitude: Decimal | None, longitude: Decimal | None) -> County | None:
        if latitude is None or longitude is None:
            return None
        x, y = float(longitude), float(latitude)
        for county, (x0, y0, x1, y1) in self.counties:
            if x0 <= x <= x1 and y0 <= y <= y1 and _in_geometry(x, y, county.boundary):
                return county
        return None
