"""The stop and search templates fit a 375 px phone screen: every table of records stacks
into one block per row (``pontio-table--stack``, each cell labelled with its column heading)
and every wide table of figures scrolls inside its own box (``pontio-table-scroll``). The
browser tests measure the pages (tests/e2e/test_stopsearch.py); this finds a new table that
forgot, without a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "stopsearch"
TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
# Two or three narrow columns (a label and one or two counts) fit a phone as they are.
NARROW = 3


def _tables() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(TEMPLATES.glob("*.html")):
        source = path.read_text()
        for match in TABLE.finditer(source):
            before = source[: match.start()]
            found.append((path.name, match.group(0), before))
    return found


def test_there_are_tables_to_check() -> None:
    assert len(_tables()) >= 10


@pytest.mark.parametrize(("name", "table", "before"), _tables(), ids=lambda v: str(v)[:40])
def test_every_table_stacks_scrolls_or_is_narrow(name: str, table: str, before: str) -> None:
    columns = len(re.findall(r'<th scope="col"', table))
    stacks = "pontio-table--stack" in table.split(">", 1)[0]
    scrolls = before.rstrip().endswith('tabindex="0">') and "pontio-table-scroll" in before[-200:]
    assert stacks or scrolls or columns <= NARROW, name


@pytest.mark.parametrize(("name", "table", "before"), _tables(), ids=lambda v: str(v)[:40])
def test_every_cell_of_a_stacked_table_says_its_column(name: str, table: str, before: str) -> None:
    if "pontio-table--stack" not in table.split(">", 1)[0]:
        return
    body = table.split("<tbody", 1)[1]
    cells = re.findall(r"<td\b[^>]*>", body)
    assert cells, name
    for cell in cells:
        assert "data-label=" in cell or "colspan=" in cell, (name, cell)
