"""PostgreSQL COPY in text format: rows as tab-separated lines, written in large chunks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg

NULL = "\\N"
CHUNK = 4000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text(value: str) -> str:
    """A free-text value made safe for the text format (tabs, newlines, backslashes)."""
    return value.translate(_ESCAPES)


def ts(moment: dt.datetime) -> str:
    return moment.isoformat()


def opt(value: Any) -> str:
    return NULL if value is None else str(value)


def boolean(value: bool | None) -> str:
    return NULL if value is None else ("t" if value else "f")


def jsonb(value: Any) -> str:
    return text(json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


class Table:
    """One COPY into one table; ``add`` takes the row's cells already as text."""

    def __init__(self, url: str, name: str, columns: Iterable[str]) -> None:
        self.name = name
        self.columns = tuple(columns)
        self.count = 0
        self._lines: list[str] = []
        # One connection per table: several COPYs stream at once (one per connection), and
        # the server parses them on the second core while Python draws rows on the first.
        self._connection = psycopg.connect(url)
        # Foreign keys are not checked row by row during the load (every id is drawn from
        # rows written in this run; the test checks there are no orphans).
        self._connection.execute("SET session_replication_role = replica")
        self._cursor = self._connection.cursor()
        self._context = self._cursor.copy(f"COPY {name} ({', '.join(self.columns)}) FROM STDIN")
        self._copy = self._context.__enter__()

    def add(self, cells: Iterable[str]) -> None:
        self._lines.append("\t".join(cells))
        self.count += 1
        if len(self._lines) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._lines:
            self._copy.write("\n".join(self._lines) + "\n")
            self._lines = []

    def close(self) -> int:
        self._flush()
        self._context.__exit__(None, None, None)
        self._cursor.close()
        self._connection.commit()
        self._connection.close()
        return self.count


def rows_of(
    cursor: psycopg.ServerCursor[Any], query: str, size: int = 20_000
) -> Iterator[tuple[Any, ...]]:
    """Stream a query's rows (a named, server-side cursor keeps memory flat)."""
    cursor.itersize = size
    cursor.execute(query)
    yield from cursor
