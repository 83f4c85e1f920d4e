"""Charts drawn on the server as inline SVG: bars, lines and a choropleth of the counties.

No chart library and no script: the SVG is part of the page, so it keeps the strict content
security policy (no inline style, only presentation attributes), prints, and needs nothing
from a CDN. Every chart is an image with a title (``role="img"``, ``aria-labelledby``); its
figures are always in an accessible table beside it, which is what screen readers and the
CSV download use. A value of ``None`` is a cell that is suppressed or not held: it is drawn
as an empty outline with its reason, never as a zero.

Colours are GOV.UK Design System colours that keep a 3:1 contrast with white (WCAG 2.2
1.4.11, non-text contrast).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BLUE = "#1d70b8"
DARK_BLUE = "#003078"
GREY = "#505a5f"
LIGHT_GREY = "#b1b4b6"
# A sequential scale from light to dark blue (five classes), each against white >= 3:1
# except the lightest, which is outlined so its edge is still visible.
SCALE = ("#d2e2f1", "#8eb8dc", "#5694ca", "#1d70b8", "#003078")
SERIES = (BLUE, "#d4351c", "#00703c", "#f47738", "#4c2c92")


Formatter = Callable[[float], str]


def _default_format(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    # Why there is no value ("fewer than 5", "not held"): drawn in place of the bar.
    reason: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Area:
    label: str
    value: float | None
    geometry: dict[str, Any]
    reason: str = ""


def _open(width: int, height: int, title: str, desc: str = "") -> tuple[str, list[str]]:
    # Unique across processes: a page may join tiles rendered by the worker and by the web
    # process (D79), so a per-process counter could repeat an id.
    ident = f"chart-{uuid.uuid4().hex[:12]}"
    parts = [
        f'<svg class="pontio-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-t{" " + ident + "-d" if desc else ""}" focusable="false">',
        f'<title id="{ident}-t">{escape(title)}</title>',
    ]
    if desc:
        parts.append(f'<desc id="{ident}-d">{escape(desc)}</desc>')
    return ident, parts


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 14, **attrs: str
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-family="Arial, sans-serif" fill="#0b0c0c"{extra}>{escape(text)}</text>'
    )


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str = "",
    value_format: Formatter = _default_format,
    maximum: float | None = None,
) -> SafeString:
    """Horizontal bars, one row per label, the value written at the end of each bar."""
    # Wide enough for the longest label (about 7.5 units a character at 14 units high).
    longest = max((len(b.label) for b in bars), default=0)
    label_width, bar_width, row = min(max(120, int(longest * 7.5) + 16), 340), 300, 30
    width = label_width + bar_width + 110
    height = max(row * len(bars) + 10, 40)
    _, parts = _open(width, height, title, desc)
    shown = [b.value for b in bars if b.value is not None]
    top = maximum if maximum is not None else _nice_max(max(shown, default=0.0))
    for index, bar in enumerate(bars):
        y = 5 + index * row
        parts.append(_text(label_width - 8, y + 19, bar.label, anchor="end"))
        if bar.value is None:
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{bar_width}" height="{row - 10}" '
                f'fill="none" stroke="{LIGHT_GREY}" stroke-dasharray="4 3"/>'
            )
            parts.append(_text(label_width + 8, y + 19, bar.reason, fill=GREY))
            continue
        length = 0.0 if top <= 0 else bar_width * max(bar.value, 0) / top
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 10}" '
            f'fill="{BLUE}"/>'
        )
        parts.append(_text(label_width + length + 6, y + 19, value_format(bar.value)))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def line_chart(
    series: Sequence[Series],
    *,
    x_labels: Sequence[str],
    title: str,
    desc: str = "",
    value_format: Formatter = _default_format,
) -> SafeString:
    """Lines over a shared x axis (years, months, quarters); a gap where a value is None."""
    left, right, top_pad, bottom = 60, 20, 20, 50
    plot_w, plot_h = 520, 220
    width, height = left + plot_w + right, top_pad + plot_h + bottom + 24 * len(series)
    _, parts = _open(width, height, title, desc)
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_max(max(values, default=0.0))
    n = max(len(x_labels), 1)

    def x_at(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return top_pad + plot_h - plot_h * v / top

    for tick in range(5):
        level = top * tick / 4
        y = y_at(level)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{LIGHT_GREY}" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 5, value_format(level), anchor="end", size=12))
    step = max(1, math.ceil(n / 8))
    for i, label in enumerate(x_labels):
        if i % step == 0 or i == n - 1:
            parts.append(_text(x_at(i), top_pad + plot_h + 20, label, anchor="middle", size=12))
    for k, line in enumerate(series):
        colour = SERIES[k % len(SERIES)]
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(line.values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x_at(i):.1f},{y_at(value):.1f}")
            parts.append(
                f'<circle cx="{x_at(i):.1f}" cy="{y_at(value):.1f}" r="3" fill="{colour}"/>'
            )
        if segment:
            segments.append(segment)
        for points in segments:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                f'stroke-width="3"/>'
            )
        key_y = top_pad + plot_h + 40 + 24 * k
        parts.append(f'<rect x="{left}" y="{key_y - 10}" width="24" height="4" fill="{colour}"/>')
        parts.append(_text(left + 32, key_y - 3, line.name, size=13))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


def scale_class(value: float | None, breaks: Sequence[float]) -> int | None:
    """Which of the classes a value falls in (``breaks`` are the upper bounds but the last)."""
    if value is None:
        return None
    for index, bound in enumerate(breaks):
        if value <= bound:
            return index
    return len(breaks)


def equal_breaks(values: Sequence[float], classes: int = len(SCALE)) -> list[float]:
    low, high = min(values, default=0.0), max(values, default=0.0)
    if high <= low:
        return []
    return [low + (high - low) * k / classes for k in range(1, classes)]


def _thinned(points: list[tuple[float, float]], tolerance: float = 0.75) -> list[str]:
    """A ring's points (in pixels) without those closer than ``tolerance`` to the last one
    kept: a county's detailed coastline has tens of thousands of points, most of them
    within a pixel of each other at the map's size. The ring's last point is always kept."""
    kept: list[tuple[float, float]] = []
    for x, y in points:
        if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= tolerance:
            kept.append((x, y))
    if points and kept[-1] != points[-1]:
        kept.append(points[-1])
    return [f"{x:.1f},{y:.1f}" for x, y in kept]


def choropleth(
    areas: Sequence[Area],
    *,
    title: str,
    desc: str = "",
    value_format: Formatter = _default_format,
) -> SafeString:
    """The areas shaded by value (five equal classes) with a key; unknown values hatched grey.

    The projection is equirectangular with the longitude scaled by the cosine of the mean
    latitude: at the size of four Welsh counties the distortion is invisible.
    """
    rings = [(area, _rings(area.geometry)) for area in areas]
    points = [p for _, rs in rings for ring in rs for p in ring]
    width, map_h, key_h = 420, 440, 40 + 22 * (len(SCALE) + 1)
    _, parts = _open(width, map_h + key_h, title, desc)
    if not points:
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308
    lon_min = min(p[0] for p in points)
    lon_max = max(p[0] for p in points)
    lat_min = min(p[1] for p in points)
    lat_max = max(p[1] for p in points)
    k = math.cos(math.radians((lat_min + lat_max) / 2))
    span_x, span_y = (lon_max - lon_min) * k or 1.0, (lat_max - lat_min) or 1.0
    scale = min((width - 20) / span_x, (map_h - 20) / span_y)

    def xy(p: Sequence[float]) -> tuple[float, float]:
        return 10 + (p[0] - lon_min) * k * scale, 10 + (lat_max - p[1]) * scale

    known = [a.value for a in areas if a.value is not None]
    breaks = equal_breaks(known)
    for area, area_rings in rings:
        klass = scale_class(area.value, breaks)
        fill = LIGHT_GREY if klass is None else SCALE[min(klass, len(SCALE) - 1)]
        path = " ".join(
            "M" + " L".join(_thinned([xy(p) for p in ring])) + " Z" for ring in area_rings
        )
        label = f"{area.label}: " + (
            value_format(area.value) if area.value is not None else area.reason
        )
        parts.append(
            f'<path d="{path}" fill="{fill}" stroke="#0b0c0c" stroke-width="1" '
            f'fill-rule="evenodd"><title>{escape(label)}</title></path>'
        )
    y = map_h + 10
    bounds = [min(known, default=0.0), *breaks, max(known, default=0.0)]
    classes = len(breaks) + 1 if known else 0
    for index in range(classes):
        low, high = bounds[index], bounds[index + 1]
        parts.append(
            f'<rect x="10" y="{y}" width="20" height="16" fill="{SCALE[index]}" '
            f'stroke="#0b0c0c" stroke-width="1"/>'
        )
        words = (
            value_format(low)
            if low == high
            else f"{value_format(low)} \N{EN DASH} {value_format(high)}"
        )
        parts.append(_text(38, y + 13, words, size=13))
        y += 22
    if any(a.value is None for a in areas):
        parts.append(
            f'<rect x="10" y="{y}" width="20" height="16" fill="{LIGHT_GREY}" '
            f'stroke="#0b0c0c" stroke-width="1"/>'
        )
        reasons = sorted({a.reason for a in areas if a.value is None and a.reason})
        parts.append(_text(38, y + 13, "; ".join(reasons), size=13))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
