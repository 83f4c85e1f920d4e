"""police.uk monthly CSV files: import (stop and search, street crime) and export.

What happens to a file (DOMAIN.md §5.2, issue 5 "bad input"):

- The whole file is refused, and nothing imported, when it is not UTF-8 (a byte order mark
  is allowed), when its header is not exactly the police.uk one (the message names the
  expected and the found columns), or when its force and month are unknown (they come from
  the file name ``YYYY-MM-<force>-stop-and-search.csv`` / ``…-street.csv`` or the form).
- Otherwise each row is checked on its own. A row with broken quoting, the wrong number of
  columns, a value outside the police.uk vocabularies (current or legacy), a date that is
  not a date, or a date outside the file's month (in UK time: police.uk writes UTC, so a
  search at 00:13 BST on 1 September reads "2018-08-31T23:13:35+00:00") is rejected and
  listed with its row number (spreadsheet numbering: the header is row 1), column and value.
  Every other row is imported.
- All the rows of one file are written in ONE transaction: if anything unexpected fails
  while writing, nothing of the file is saved and the batch says so.
- Rows carry no id, so a row is known by ``force:month:sha1(normalised row):occurrence``,
  where the occurrence counts identical rows within the file: re-importing a month finds
  every row "already present", and two identical rows stay two searches. The row is
  normalised to our codes, so a month republished with the newer vocabulary (or our own
  export of it) is recognised too. Street crimes use the Crime ID (which police.uk repeats
  for some crimes) or, for anti-social behaviour rows without one, the row's hash.

Progress: checking the rows (the slow part of a big file) happens before the data
transaction, and ``ImportBatch.rows_read`` is saved every ``PROGRESS_EVERY`` rows in its
own short autocommit update, so the batch page can show a progress bar from any process
(web or worker) without a shared cache. Writing the valid rows then happens in the one
transaction. The progress counter is bookkeeping on the batch, never data.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from pontio.audit.services import AuditContext, audit_record
from pontio.core.models import County
from pontio.core.recording import AuditAction
from pontio.people.models import Ethnicity
from pontio.stopsearch.models import ImportBatch, Source, StopSearch, StreetCrime
from pontio.stopsearch.vocab import (
    LEGACY_ETHNICITY,
    OUTCOME_LABELS,
    SEARCH_TYPE_LABELS,
    AgeRange,
    Legislation,
    ObjectOfSearch,
    OfficerEthnicity,
    Outcome,
    SearchGender,
)

logger = logging.getLogger(__name__)

STOP_SEARCH_HEADER = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]
STREET_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
HEADERS: dict[str, list[str]] = {
    ImportBatch.Kind.STOP_SEARCH: STOP_SEARCH_HEADER,
    ImportBatch.Kind.STREET: STREET_HEADER,
}
CRIME_TYPES = frozenset(
    {
        "Anti-social behaviour",
        "Bicycle theft",
        "Burglary",
        "Criminal damage and arson",
        "Drugs",
        "Other crime",
        "Other theft",
        "Possession of weapons",
        "Public order",
        "Robbery",
        "Shoplifting",
        "Theft from the person",
        "Vehicle crime",
        "Violence and sexual offences",
    }
)
FILE_NAME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>stop-and-search|street)"
    r"\.csv$"
)
FORCE = re.compile(r"^[a-z0-9-]{2,40}$")
KIND_OF_NAME = {"stop-and-search": ImportBatch.Kind.STOP_SEARCH, "street": ImportBatch.Kind.STREET}
PROGRESS_EVERY = 200
WRITE_CHUNK = 500
MAX_LISTED_PROBLEMS = 500


class FileRefused(Exception):
    """The whole file is refused (encoding, header, force or month): nothing is imported."""


@dataclass(frozen=True)
class FileName:
    kind: str
    force: str
    month: dt.date


def parse_file_name(name: str) -> FileName | None:
    match = FILE_NAME.search(Path(name).name)
    if not match:
        return None
    try:
        month = dt.date(int(match["year"]), int(match["month"]), 1)
    except ValueError:
        return None
    return FileName(KIND_OF_NAME[match["kind"]], match["force"], month)


def parse_month(value: str) -> dt.date | None:
    """``YYYY-MM`` as the first day of the month, or None."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def decode(data: bytes) -> str:
    """The text of a UTF-8 file (with or without a byte order mark), or FileRefused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused(
            _(
                "The file is not UTF-8 (row %(row)s has a byte that UTF-8 cannot read). "
                "Save it as “CSV UTF-8” and upload it again. Nothing was imported."
            )
            % {"row": line}
        ) from None
    return text


def check_header(found: list[str], expected: list[str]) -> None:
    if [c.strip() for c in found] != expected:
        raise FileRefused(
            _(
                "The first row must be the police.uk header. Expected columns: %(expected)s. "
                "Found: %(found)s. Nothing was imported."
            )
            % {"expected": ", ".join(expected), "found": ", ".join(found) or _("nothing")}
        )


# Rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


class RowRejected(Exception):
    def __init__(self, column: str, value: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.value = value
        self.message = message


def csv_rows(text: str) -> Iterator[tuple[int, list[str] | RowRejected]]:
    """(row number, cells or the reason the row cannot be read), one physical line a row.

    police.uk values never hold line breaks, so each line is parsed on its own: a broken
    quote then spoils only its own row instead of swallowing the rest of the file.
    """
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        stripped = line.rstrip("\r\n")
        if not stripped.strip():
            continue
        try:
            cells = next(csv.reader([stripped], strict=True))
        except csv.Error as error:
            yield (
                number,
                RowRejected("", stripped[:80], _("Broken quoting: %(error)s") % {"error": error}),
            )
            continue
        yield number, cells


def _labels(choices: Iterable[Any]) -> dict[str, str]:
    # police.uk labels are English: read them whatever language the importer uses.
    with translation.override("en"):
        return {str(choice.label): str(choice.value) for choice in choices}


@dataclass
class Vocabularies:
    search_type: dict[str, str]
    gender: dict[str, str]
    age_range: dict[str, str]
    self_ethnicity: dict[str, str]
    officer_ethnicity: dict[str, str]
    legislation: dict[str, str]
    object_of_search: dict[str, str]
    outcome: dict[str, str]

    @classmethod
    def build(cls) -> Vocabularies:
        return cls(
            search_type={k: str(v) for k, v in SEARCH_TYPE_LABELS.items()},
            gender=_labels(SearchGender),
            age_range=_labels(AgeRange),
            self_ethnicity={**_labels(Ethnicity), **LEGACY_ETHNICITY},
            officer_ethnicity=_labels(OfficerEthnicity),
            legislation=_labels(Legislation),
            object_of_search=_labels(ObjectOfSearch),
            outcome={**{k: str(v) for k, v in OUTCOME_LABELS.items()}, **_labels(Outcome)},
        )


def _vocab(value: str, column: str, labels: dict[str, str], *, required: bool = False) -> str:
    if not value:
        if required:
            raise RowRejected(column, value, _("%(column)s is empty") % {"column": column})
        return ""
    try:
        return labels[value]
    except KeyError:
        raise RowRejected(
            column,
            value,
            _("“%(value)s” is not a police.uk value for %(column)s")
            % {"value": value, "column": column},
        ) from None


def _boolean(value: str, column: str) -> bool | None:
    if value == "":
        return None
    lowered = value.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise RowRejected(
        column,
        value,
        _("“%(value)s” is not True, False or empty (%(column)s)")
        % {"value": value, "column": column},
    )


def _coordinate(value: str, column: str, limit: int) -> Decimal | None:
    if value == "":
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) > limit:
        raise RowRejected(
            column, value, _("“%(value)s” is not a %(column)s") % {"value": value, "column": column}
        )
    return number.quantize(Decimal("0.000001"))


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def _datetime(value: str, column: str, month: dt.date) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise RowRejected(
            column, value, _("“%(value)s” is not a date and time") % {"value": value}
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if month_of(moment) != month:
        raise RowRejected(
            column,
            value,
            _("The date is not in the file's month (%(month)s)") % {"month": f"{month:%Y-%m}"},
        )
    return moment


def _text(value: str, column: str, max_length: int) -> str:
    if len(value) > max_length:
        raise RowRejected(
            column,
            value[:80],
            _("%(column)s is longer than %(max)s characters")
            % {"column": column, "max": max_length},
        )
    return value


def parse_stop_search(cells: list[str], month: dt.date, vocab: Vocabularies) -> dict[str, Any]:
    """The StopSearch field values of one row, or RowRejected naming the column."""
    v = dict(zip(STOP_SEARCH_HEADER, (c.strip() for c in cells), strict=True))
    searched_at = _datetime(v["Date"], "Date", month)
    latitude = _coordinate(v["Latitude"], "Latitude", 90)
    longitude = _coordinate(v["Longitude"], "Longitude", 180)
    if (latitude is None) != (longitude is None):
        column = "Longitude" if latitude is not None else "Latitude"
        raise RowRejected(column, "", _("Give both latitude and longitude, or neither"))
    outcome = _vocab(v["Outcome"], "Outcome", vocab.outcome)
    linked = _boolean(v["Outcome linked to object of search"], "Outcome linked to object of search")
    return {
        "search_type": _vocab(v["Type"], "Type", vocab.search_type, required=True),
        "searched_at": searched_at,
        "part_of_operation": bool(
            _boolean(v["Part of a policing operation"], "Part of a policing operation")
        ),
        "operation_name": _text(v["Policing operation"], "Policing operation", 120),
        "latitude": latitude,
        "longitude": longitude,
        "gender": _vocab(v["Gender"], "Gender", vocab.gender),
        "age_range": _vocab(v["Age range"], "Age range", vocab.age_range),
        "self_defined_ethnicity": _vocab(
            v["Self-defined ethnicity"], "Self-defined ethnicity", vocab.self_ethnicity
        ),
        "officer_defined_ethnicity": _vocab(
            v["Officer-defined ethnicity"], "Officer-defined ethnicity", vocab.officer_ethnicity
        ),
        "legislation": _vocab(v["Legislation"], "Legislation", vocab.legislation),
        "object_of_search": _vocab(
            v["Object of search"], "Object of search", vocab.object_of_search
        ),
        "original_outcome": outcome,
        "current_outcome": outcome,
        "original_linked": linked,
        "current_linked": linked,
        "removal_of_more_than_outer_clothing": _boolean(
            v["Removal of more than just outer clothing"],
            "Removal of more than just outer clothing",
        ),
    }


def parse_street(cells: list[str], month: dt.date) -> dict[str, Any]:
    v = dict(zip(STREET_HEADER, (c.strip() for c in cells), strict=True))
    if parse_month(v["Month"]) != month:
        raise RowRejected(
            "Month",
            v["Month"],
            _("The month is not the file's month (%(month)s)") % {"month": f"{month:%Y-%m}"},
        )
    if v["Crime type"] not in CRIME_TYPES:
        raise RowRejected(
            "Crime type",
            v["Crime type"],
            _("“%(value)s” is not a police.uk value for %(column)s")
            % {"value": v["Crime type"], "column": "Crime type"},
        )
    latitude = _coordinate(v["Latitude"], "Latitude", 90)
    longitude = _coordinate(v["Longitude"], "Longitude", 180)
    return {
        "crime_id": _text(v["Crime ID"], "Crime ID", 64),
        "month": month,
        "reported_by": _text(v["Reported by"], "Reported by", 100),
        "falls_within": _text(v["Falls within"], "Falls within", 100),
        "longitude": longitude,
        "latitude": latitude,
        "location": _text(v["Location"], "Location", 200),
        "lsoa_code": _text(v["LSOA code"], "LSOA code", 9),
        "lsoa_name": _text(v["LSOA name"], "LSOA name", 100),
        "crime_type": v["Crime type"],
        "last_outcome": _text(v["Last outcome category"], "Last outcome category", 200),
        "context": v["Context"],
    }


def _normalised(values: dict[str, Any]) -> str:
    parts = []
    for name in sorted(values):
        value = values[name]
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).isoformat()
        parts.append(f"{name}={'' if value is None else value}")
    return "\x1f".join(parts)


def row_hash(values: dict[str, Any]) -> str:
    return hashlib.sha1(_normalised(values).encode(), usedforsecurity=False).hexdigest()


# Counties -----------------------------------------------------------------------------------


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
        for county in County.objects.exclude(boundary={}):
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


# Import -------------------------------------------------------------------------------------


@dataclass
class Parsed:
    """The checked rows of a file: field values by row number, keyed, and the problems."""

    rows: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    read: int = 0


def _progress(batch: ImportBatch, read: int) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(rows_read=read)


def parse(
    batch: ImportBatch,
    text: str,
    on_progress: Callable[[ImportBatch, int], None] | None = None,
) -> Parsed:
    """Check every row of the file (FileRefused for a wrong header)."""
    on_progress = on_progress or _progress
    month = batch.month
    if month is None:
        raise FileRefused(_("Give the month of the file. Nothing was imported."))
    header = HEADERS[batch.kind]
    lines = list(csv_rows(text))
    if not lines:
        raise FileRefused(_("The file is empty. Nothing was imported."))
    _number, first = lines[0]
    if isinstance(first, RowRejected):
        raise FileRefused(_("The first row (the header) cannot be read. Nothing was imported."))
    check_header(first, header)
    batch.total_rows = len(lines) - 1
    ImportBatch.objects.filter(pk=batch.pk).update(total_rows=batch.total_rows)

    vocab = Vocabularies.build()
    parsed = Parsed()
    occurrences: Counter[str] = Counter()
    prefix = f"{batch.force}:{month:%Y-%m}"
    for number, cells in lines[1:]:
        parsed.read += 1
        if parsed.read % PROGRESS_EVERY == 0:
            on_progress(batch, parsed.read)
        try:
            if isinstance(cells, RowRejected):
                raise cells
            if len(cells) != len(header):
                raise RowRejected(
                    "",
                    "",
                    _("The row has %(found)s columns; police.uk rows have %(expected)s")
                    % {"found": len(cells), "expected": len(header)},
                )
            if batch.kind == ImportBatch.Kind.STOP_SEARCH:
                values = parse_stop_search(cells, month, vocab)
                identity = row_hash(values)
            else:
                values = parse_street(cells, month)
                identity = values["crime_id"] or row_hash(values)
        except RowRejected as rejected:
            parsed.problems.append(
                Problem(number, rejected.column, rejected.value, rejected.message)
            )
            continue
        occurrences[identity] += 1
        parsed.rows.append((number, f"{prefix}:{identity}:{occurrences[identity]}", values))
    on_progress(batch, parsed.read)
    return parsed


def _existing(model: type[StopSearch] | type[StreetCrime], keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), WRITE_CHUNK):
        chunk = keys[start : start + WRITE_CHUNK]
        qs: QuerySet[Any] = model.objects.filter(source_key__in=chunk)
        found.update(qs.values_list("source_key", flat=True))
    return found


def _write(batch: ImportBatch, parsed: Parsed) -> tuple[int, int]:
    """Save the new rows (inside the caller's transaction); (imported, already present)."""
    model: type[StopSearch] | type[StreetCrime] = (
        StopSearch if batch.kind == ImportBatch.Kind.STOP_SEARCH else StreetCrime
    )
    existing = _existing(model, [key for _n, key, _v in parsed.rows])
    new = [(n, key, values) for n, key, values in parsed.rows if key not in existing]
    objects: list[Any]
    if model is StopSearch:
        finder = CountyFinder()
        objects = [
            StopSearch(
                reference=f"PUK-{batch.pk}-{number}",
                source=Source.POLICE_UK,
                force=batch.force,
                month=batch.month or values["searched_at"].date(),
                county=finder.find(values["latitude"], values["longitude"]),
                batch=batch,
                source_key=key,
                **values,
            )
            for number, key, values in new
        ]
    else:
        objects = [StreetCrime(batch=batch, source_key=key, **values) for _n, key, values in new]
    model.objects.bulk_create(objects, batch_size=WRITE_CHUNK)
    return len(new), len(existing)


def run_import(
    batch: ImportBatch, data: bytes, *, context: AuditContext | None = None
) -> ImportBatch:
    """Import one file into ``batch`` (already saved with kind, force and month).

    Never raises for bad input: the batch records whether the file was imported or refused,
    and why.
    """
    context = context or AuditContext(
        actor_id=batch.started_by_id, view_name="task:import_policeuk"
    )
    try:
        if batch.month is None or not FORCE.match(batch.force or ""):
            raise FileRefused(
                _("Give the force (for example dyfed-powys) and the month. Nothing was imported.")
            )
        parsed = parse(batch, decode(data))
    except FileRefused as refused:
        return _finish(
            batch, ImportBatch.State.FAILED, errors=[{"row": None, "message": str(refused)}]
        )
    except Exception:  # a bug must not leave the batch "importing" for ever
        logger.exception("police.uk import %s failed while checking rows", batch.pk)
        return _finish(batch, ImportBatch.State.FAILED, errors=[_unexpected()])

    try:
        with transaction.atomic():
            imported, present = _write(batch, parsed)
            batch.rows_read = parsed.read
            batch.imported = imported
            batch.already_present = present
            batch.rejected = len(parsed.problems)
            batch.errors = [p.as_dict() for p in parsed.problems[:MAX_LISTED_PROBLEMS]]
            batch.state = ImportBatch.State.DONE
            batch.finished_at = timezone.now()
            batch.save()
            audit_record(
                context=context,
                action=AuditAction.CREATE,
                obj=batch,
                reason=(
                    f"police.uk {batch.kind} {batch.force} {batch.month:%Y-%m}: "
                    f"read {batch.rows_read}, imported {imported}, already present {present}, "
                    f"rejected {batch.rejected}"
                ),
            )
    except Exception:  # the transaction is rolled back: say so rather than half-import
        logger.exception("police.uk import %s failed", batch.pk)
        batch.refresh_from_db()
        return _finish(batch, ImportBatch.State.FAILED, errors=[_unexpected()])
    return batch


def _unexpected() -> dict[str, Any]:
    return {
        "row": None,
        "message": _(
            "The import failed unexpectedly. Nothing was imported: try again, or ask support."
        ),
    }


def _finish(batch: ImportBatch, state: str, errors: list[dict[str, Any]]) -> ImportBatch:
    batch.state = state
    batch.errors = errors
    batch.imported = 0
    batch.already_present = 0
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def new_batch(
    *,
    file_name: str,
    data: bytes,
    force: str = "",
    month: dt.date | None = None,
    kind: str = "",
    started_by: Any = None,
) -> ImportBatch:
    """A batch for a file: kind, force and month from the form, else from the file name."""
    named = parse_file_name(file_name)
    return ImportBatch.objects.create(
        kind=kind or (named.kind if named else ImportBatch.Kind.STOP_SEARCH),
        file_name=Path(file_name).name[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        force=force or (named.force if named else ""),
        month=month or (named.month if named else None),
        started_by=started_by,
    )


def import_file(
    file_name: str,
    data: bytes,
    *,
    force: str = "",
    month: dt.date | None = None,
    kind: str = "",
    started_by: Any = None,
) -> ImportBatch:
    batch = new_batch(
        file_name=file_name, data=data, force=force, month=month, kind=kind, started_by=started_by
    )
    return run_import(batch, data)


# Uploads waiting for the worker --------------------------------------------------------------


def upload_dir() -> Path:
    return Path(getattr(settings, "PONTIO_IMPORT_DIR", settings.VAR_DIR / "imports"))


def upload_path(batch: ImportBatch) -> Path:
    return upload_dir() / f"{batch.pk}-{batch.sha256}.csv"


def save_upload(batch: ImportBatch, data: bytes) -> Path:
    path = upload_path(batch)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# Export -------------------------------------------------------------------------------------

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


@task()
def import_upload(batch_id: int) -> str:
    """Import an uploaded file saved by the upload page, then remove the saved copy."""
    batch = ImportBatch.objects.get(pk=batch_id)
    path = upload_path(batch)
    try:
        data = path.read_bytes()
    except OSError:
        _finish(
            batch,
            ImportBatch.State.FAILED,
            errors=[
                {"row": None, "message": _("The uploaded file was not found. Upload it again.")}
            ],
        )
        return batch.state
    try:
        run_import(batch, data)
    finally:
        path.unlink(missing_ok=True)
    return batch.state
