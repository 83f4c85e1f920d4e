"""Importing one police.uk file into a batch: check every row, then write in one go.

Checking the rows (the slow part of a big file) happens before the data transaction, and
``ImportBatch.rows_read`` is saved every ``PROGRESS_EVERY`` rows in its own short
autocommit update, so the batch page can show a progress bar from any process (web or
worker) without a shared cache. Writing the valid rows then happens in one transaction (one
query for the keys already present, one ``COPY`` of the new rows on PostgreSQL): if
anything unexpected fails, nothing of the file is saved and the batch says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from pontio.audit.services import AuditContext, audit_record
from pontio.core.recording import AuditAction
from pontio.stopsearch.models import ImportBatch, Source, StopSearch, StreetCrime
from pontio.stopsearch.policeuk.counties import CountyFinder
from pontio.stopsearch.policeuk.formats import (
    FORCE,
    HEADERS,
    FileRefused,
    check_header,
    decode,
    parse_file_name,
)
from pontio.stopsearch.policeuk.insert import insert_rows
from pontio.stopsearch.policeuk.rows import (
    Clock,
    Problem,
    RowRejected,
    Vocabularies,
    csv_rows,
    parse_stop_search,
    parse_street,
    row_hash,
)
from pontio.stopsearch.policeuk.uploads import remove_upload, remove_uploads_of, upload_path

logger = logging.getLogger(__name__)

# Each progress save is its own committed update (a flush to disk): every 2,000 rows is
# about ten a second at today's checking speed, enough for a bar, and cheap beside the rows.
PROGRESS_EVERY = 2000
WRITE_CHUNK = 500
MAX_LISTED_PROBLEMS = 500


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
    clock = Clock.current()
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
                    ngettext(
                        "The row has %(found)s column; police.uk rows have %(expected)s",
                        "The row has %(found)s columns; police.uk rows have %(expected)s",
                        len(cells),
                    )
                    % {"found": len(cells), "expected": len(header)},
                )
            if batch.kind == ImportBatch.Kind.STOP_SEARCH:
                values = parse_stop_search(cells, month, vocab, clock)
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
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands of placeholders: a month's keys in one
        # index scan.
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT source_key FROM {table} WHERE source_key = ANY(%s)",  # noqa: S608
                [keys],
            )
            found.update(key for (key,) in cursor.fetchall())
        return found
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
    if not new:
        return 0, len(existing)
    # Every row's values come from the same parse function, so in the same field order:
    # rows go to ``insert_rows`` as plain lists in that order, not as one dict each.
    names = list(new[0][2])
    rows: list[list[Any]]
    if model is StopSearch:
        county_of = _county_ids(CountyFinder())
        names += ["reference", "source", "force", "month", "county_id", "batch_id", "source_key"]
        rows = [
            [
                *values.values(),
                f"PUK-{batch.pk}-{number}",
                Source.POLICE_UK,
                batch.force,
                batch.month or values["searched_at"].date(),
                county_of(values["latitude"], values["longitude"]),
                batch.pk,
                key,
            ]
            for number, key, values in new
        ]
    else:
        names += ["batch_id", "source_key"]
        rows = [[*values.values(), batch.pk, key] for _n, key, values in new]
    insert_rows(model, names, rows)
    return len(new), len(existing)


def _county_ids(finder: CountyFinder) -> Callable[[Decimal | None, Decimal | None], int | None]:
    """The county id of a point, each point looked up once: police.uk snaps searches to a
    few thousand anonymised map points, so a month repeats the same points many times."""
    known: dict[tuple[Decimal | None, Decimal | None], int | None] = {}

    def county_of(latitude: Decimal | None, longitude: Decimal | None) -> int | None:
        point = (latitude, longitude)
        if point not in known:
            county = finder.find(latitude, longitude)
            known[point] = county.pk if county else None
        return known[point]

    return county_of


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


@task()
def import_upload(batch_id: int) -> str:
    """Import an uploaded file saved by the upload page, then remove the saved copy (whether
    the file was imported, refused or failed)."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:  # the batch is gone: nothing will ever import its file
        remove_uploads_of(batch_id)
        return ImportBatch.State.FAILED
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
        remove_upload(batch)
    return batch.state
