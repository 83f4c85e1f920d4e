"""Our searches in the police.uk stop-and-search format (the publication export).

Only what police.uk publishes: no names, grounds, officers or references; the coordinates
of searches recorded in Pontio are coarsened to about 100 metres (police.uk snaps points to
anonymised map points; we cannot). Who may download which rows is the ``export`` action of
the scope policy (``policies``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone, translation

from pontio.people.models import Ethnicity
from pontio.stopsearch.models import Source, StopSearch
from pontio.stopsearch.policeuk.formats import STOP_SEARCH_HEADER
from pontio.stopsearch.vocab import SEARCH_TYPE_LABELS, Legislation, ObjectOfSearch, Outcome

FORMULA_START = ("=", "+", "@", "\t", "\r")
# police.uk capitalises "Vehicle" in "Person and Vehicle search"; our label does not.
EXPORT_SEARCH_TYPE = {str(code): label for label, code in SEARCH_TYPE_LABELS.items()}


def _safe(value: str) -> str:
    # Coordinates start with "-", so only free text is neutralised for spreadsheets.
    return "'" + value if value.startswith((*FORMULA_START, "-")) else value


def _bool_text(value: bool | None) -> str:
    return "" if value is None else ("True" if value else "False")


def _export_coordinate(search: StopSearch, value: Decimal | None) -> str:
    if value is None:
        return ""
    if search.source == Source.POLICE_UK:
        return f"{value:f}"
    # police.uk snaps points to anonymised map points; we cannot, so we coarsen ours to
    # about 100 metres rather than publish where a person was searched.
    return f"{value.quantize(Decimal('0.001')):f}"


def export_row(search: StopSearch) -> list[str]:
    with translation.override("en"):
        return [
            EXPORT_SEARCH_TYPE.get(search.search_type, ""),
            timezone.localtime(search.searched_at, dt.UTC).isoformat(),
            _bool_text(search.part_of_operation),
            _safe(search.operation_name),
            _export_coordinate(search, search.latitude),
            _export_coordinate(search, search.longitude),
            search.gender,
            search.age_range,
            str(Ethnicity(search.self_defined_ethnicity).label)
            if search.self_defined_ethnicity
            else "",
            search.officer_defined_ethnicity,
            str(Legislation(search.legislation).label) if search.legislation else "",
            str(ObjectOfSearch(search.object_of_search).label) if search.object_of_search else "",
            str(Outcome(search.current_outcome).label) if search.current_outcome else "",
            _bool_text(search.current_linked),
            _bool_text(search.removal_of_more_than_outer_clothing),
        ]


def export_csv(searches: Iterable[StopSearch]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STOP_SEARCH_HEADER)
    for search in searches:
        writer.writerow(export_row(search))
    return buffer.getvalue()
