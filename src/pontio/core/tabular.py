"""Tables leaving Pontio as CSV or XLSX, with cells a spreadsheet cannot run as formulas.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (the OWASP "CSV injection" risk). Every exported cell goes through
``safe_cell``, which puts an apostrophe in front of such text so it shows as typed
(decision D16).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value a spreadsheet shows as text: ``'`` before text that would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_rows(rows: Iterable[Iterable[Any]]) -> Iterable[list[Any]]:
    for row in rows:
        yield [safe_cell(value) for value in row]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_csv(rows: Iterable[Iterable[Any]]) -> str:
    """The rows as CSV text, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in safe_rows(rows):
        writer.writerow([_text(v) for v in row])
    return buffer.getvalue()


def to_xlsx(rows: Iterable[Iterable[Any]], title: str) -> bytes:
    """The rows as one XLSX sheet (openpyxl, write-only), every cell made safe."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in safe_rows(rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
