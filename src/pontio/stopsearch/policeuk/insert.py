"""Writing many checked rows at once: ``COPY`` on PostgreSQL, batched inserts elsewhere.

A police.uk month is thousands of rows. Building a model instance for each and letting the
ORM insert them costs several times what PostgreSQL needs to store them, so on PostgreSQL
the rows go to the table in one ``COPY ... FROM STDIN`` inside the caller's transaction.
Nothing is lost by skipping the ORM here: ``bulk_create`` sends no signals and calls no
``save()`` either, the values were checked row by row before (``rows``), and the table's
own constraints (unique keys, foreign keys) still apply to every copied row. SQLite, the
demo's database, keeps ``bulk_create``.

A field the row does not give gets what the ORM would have stored: ``auto_now`` and
``auto_now_add`` fields the time of the write, other fields their default.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

BATCH_SIZE = 500


def uses_copy() -> bool:
    """Whether rows are written with COPY (PostgreSQL) rather than ``bulk_create``."""
    return connection.vendor == "postgresql"


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]


def _filler(field: models.Field[Any, Any], now: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.default is not NOT_PROVIDED and not callable(field.default):
        return field.get_default()
    if field.null and field.default is NOT_PROVIDED:
        return None
    # A callable default (a new value for each row) would need calling per row; no police.uk
    # table has one, so say so rather than copy one value into every row.
    raise ValueError(f"{field.model.__name__}.{field.attname} needs a value")


def insert_rows(model: type[models.Model], names: list[str], rows: list[list[Any]]) -> int:
    """Insert ``rows`` (each the values of the fields ``names``, by attribute name:
    ``county_id``, not ``county``) into the model's table, within the current transaction;
    the number inserted."""
    by_name = {f.attname: f for f in _columns(model)}
    unknown = set(names) - set(by_name)
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    if not rows:
        return 0
    if not uses_copy():
        model._default_manager.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=BATCH_SIZE
        )
        return len(rows)
    now = timezone.now()
    filled = [f for name, f in by_name.items() if name not in names]
    tail = [_filler(f, now) for f in filled]
    fields = [*(by_name[n] for n in names), *filled]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    width = len(names)
    # Binary COPY with each column's type given: psycopg then encodes every value in C and
    # PostgreSQL parses no text, about twice as fast as text COPY. The types come from the
    # fields, so a value of the wrong type fails the write (and the file) instead of being
    # cast silently.
    sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
    # The psycopg cursor under Django's wrapper: only it speaks COPY.
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types([_type_name(f) for f in fields])
        for row in rows:
            if len(row) != width:
                raise ValueError(f"a row of {len(row)} values for {width} fields")
            copy.write_row([*row, *tail])
    return len(rows)


def _type_name(field: models.Field[Any, Any]) -> str:
    # "varchar(24)" -> "varchar", "numeric(9, 6)" -> "numeric": the names psycopg knows.
    return str(field.db_type(connection)).split("(", 1)[0].strip()
