"""The fast path of the police.uk import (issue 15) changes nothing a user can see.

The line reader splits quote-free lines itself, row keys are built with the field names
sorted once, and on PostgreSQL the rows are written with COPY (``policeuk.insert``). These
tests pin what must not move: how a line is read, the key of a row (a month imported before
must still be found "already present"), and what a written row holds.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from tests.factories import county

from pontio.stopsearch.models import ImportBatch, StopSearch, StreetCrime
from pontio.stopsearch.policeuk import counties, importer, insert
from pontio.stopsearch.policeuk.insert import insert_rows
from pontio.stopsearch.policeuk.rows import RowRejected, Vocabularies, csv_rows, parse_stop_search
from pontio.stopsearch.policeuk.rows import row_hash as hash_of_row
from pontio.stopsearch.tests.test_policeuk import DATA, csv_text, import_path, import_text, row

LINES = [
    "a,b,c",
    "a,,c,",
    " spaced , out ,x",
    ",",
    "tab\there,x",
    "unicode ŵ ŷ,x",
    'quoted,"with, comma",x',
    'a,"broken',
    'a,b"c,d',
    "nul\0byte,x",
]


def reference_reading(line: str) -> list[str] | str:
    try:
        return next(csv.reader([line], strict=True))
    except csv.Error:
        return "rejected"


def test_each_line_reads_as_the_csv_module_reads_it() -> None:
    read = dict(csv_rows("\n".join(LINES) + "\n"))
    for number, line in enumerate(LINES, start=1):
        expected, got = reference_reading(line), read[number]
        if expected == "rejected":
            assert isinstance(got, RowRejected), line
        else:
            assert got == expected, line


def test_a_field_over_the_csv_size_limit_is_still_refused_as_before() -> None:
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(10)
        [(_number, cells)] = list(csv_rows("x" * 11 + ",y\n"))
    finally:
        csv.field_size_limit(limit)
    assert isinstance(cells, RowRejected)


# The keys of rows imported before the fast path: a re-import must find them present.
KNOWN_KEYS = [
    (
        "Person and Vehicle search,2018-04-01T00:08:42+00:00,True,Op Sceptre,51.512528,"
        "-0.081281,Female,over 34,Black/African/Caribbean/Black British - Caribbean,Black,"
        "Misuse of Drugs Act 1971 (section 23),Controlled drugs,Penalty Notice for Disorder,"
        "True,False",
        dt.date(2018, 4, 1),
        "e311b5cdc75b4d4f7ff1625da99a706fd9becb2b",
    ),
    (
        "Person search,2018-04-30T23:30:00+00:00,,,,,Male,over 34,White - White British (W1),"
        "White,Misuse of Drugs Act 1971 (section 23),Controlled drugs,"
        "Nothing found - no further action,,",
        dt.date(2018, 5, 1),
        "e77db759819bef8561d3ec0ca578c232e45f4776",
    ),
]


@pytest.mark.parametrize(("line", "month", "key"), KNOWN_KEYS)
def test_a_row_keeps_the_key_it_had_before_the_fast_path(
    line: str, month: dt.date, key: str
) -> None:
    values = parse_stop_search(line.split(","), month, Vocabularies.build())
    assert hash_of_row(values) == key


@pytest.mark.django_db
def test_a_written_search_gets_what_the_orm_would_have_stored() -> None:
    before = timezone.now()
    batch = import_text(csv_text(row(lat="51.681000", lng="-4.161000")))
    search = StopSearch.objects.get(batch=batch)
    assert search.version == 1
    assert before <= search.created_at
    assert before <= search.updated_at
    assert (search.place, search.grounds, search.vehicle_registration) == ("", "", "")
    assert (search.gowisely_given, search.idempotency_key, search.body_worn_video) == (
        False,
        "",
        "",
    )
    assert (search.person_id, search.officer_id, search.officer_organisation_id) == (
        None,
        None,
        None,
    )
    assert search.county == county("W06000010")
    assert (search.latitude, search.longitude) == (Decimal("51.681000"), Decimal("-4.161000"))


@pytest.mark.django_db
def test_searches_at_the_same_point_look_the_county_up_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[Any] = []
    original = counties.CountyFinder.find

    def counting(self: counties.CountyFinder, *point: Any) -> Any:
        calls.append(point)
        return original(self, *point)

    monkeypatch.setattr(counties.CountyFinder, "find", counting)
    rows = [
        row(date=f"2016-11-0{day}T00:00:00+00:00", lat="51.681000", lng="-4.161000")
        for day in (1, 2, 3)
    ]
    batch = import_text(csv_text(*rows))
    assert batch.imported == 3
    assert len(calls) == 1
    assert StopSearch.objects.filter(county=county("W06000010")).count() == 3


@pytest.mark.django_db
def test_inserting_no_rows_writes_nothing() -> None:
    assert insert_rows(StreetCrime, ["batch_id", "source_key"], []) == 0


@pytest.mark.django_db
def test_a_row_naming_a_field_the_table_lacks_is_refused() -> None:
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.STREET, force="x", file_name="x")
    bad = {
        "batch_id": batch.pk,
        "source_key": "x:1",
        "month": dt.date(2018, 4, 1),
        "reported_by": "x",
        "falls_within": "x",
        "crime_type": "Drugs",
        "colour": "blue",
    }
    with pytest.raises(ValueError, match="colour"):
        insert_rows(StreetCrime, list(bad), [list(bad.values())])
    assert not StreetCrime.objects.exists()


@pytest.mark.django_db
def test_the_postgresql_import_writes_with_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite keeps bulk_create")

    def no_orm(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("bulk_create used instead of COPY")

    monkeypatch.setattr(QuerySet, "bulk_create", no_orm)
    batch = import_text(csv_text(row(), row()))
    assert (batch.state, batch.imported) == (ImportBatch.State.DONE, 2)


@pytest.mark.django_db
def test_a_row_with_fewer_values_than_fields_is_refused() -> None:
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.STREET, force="x", file_name="x")
    with pytest.raises(ValueError):
        insert_rows(StreetCrime, ["batch_id", "source_key", "month"], [[batch.pk, "x:1"]])


@pytest.mark.django_db
def test_a_write_the_database_refuses_saves_nothing_of_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = import_text(csv_text(row()))
    # Blind the present-row check: the second import's row now breaks the unique key.
    monkeypatch.setattr(importer, "_existing", lambda model, keys: set())
    again = import_text(csv_text(row(), row(date="2016-11-02T00:00:00+00:00")))
    assert (again.state, again.imported) == (ImportBatch.State.FAILED, 0)
    assert "Nothing was imported" in again.errors[0]["message"]
    assert list(StopSearch.objects.values_list("batch", flat=True)) == [first.pk]


def _with(position: int, value: str) -> str:
    cells = row().split(",")
    cells[position] = value
    return ",".join(cells)


EVERY_KIND_OF_BAD_ROW = [
    ('Person search,"2016-11-01,broken', "", "Broken quoting: unexpected end of data"),
    (",".join(row().split(",")[:12]), "", "The row has 12 columns; police.uk rows have 15"),
    (_with(0, ""), "Type", "Type is empty"),
    (_with(0, "Car search"), "Type", "\u201cCar search\u201d is not a police.uk value for Type"),
    (_with(1, "yesterday"), "Date", "\u201cyesterday\u201d is not a date and time"),
    (
        _with(1, "2016-10-31T23:59:00+00:00"),
        "Date",
        "The date is not in the file's month (2016-11)",
    ),
    (
        _with(2, "Yes"),
        "Part of a policing operation",
        "\u201cYes\u201d is not True, False or empty (Part of a policing operation)",
    ),
    (_with(3, "x" * 121), "Policing operation", "Policing operation is longer than 120 characters"),
    (_with(4, "91.5"), "Latitude", "\u201c91.5\u201d is not a Latitude"),
    (_with(5, "east"), "Longitude", "\u201ceast\u201d is not a Longitude"),
    (_with(4, "51.6"), "Longitude", "Give both latitude and longitude, or neither"),
    (_with(6, "Robot"), "Gender", "\u201cRobot\u201d is not a police.uk value for Gender"),
    (_with(7, "45-54"), "Age range", "\u201c45-54\u201d is not a police.uk value for Age range"),
    (
        _with(8, "Martian"),
        "Self-defined ethnicity",
        "\u201cMartian\u201d is not a police.uk value for Self-defined ethnicity",
    ),
    (
        _with(9, "Green"),
        "Officer-defined ethnicity",
        "\u201cGreen\u201d is not a police.uk value for Officer-defined ethnicity",
    ),
    (
        _with(10, "Highway Code"),
        "Legislation",
        "\u201cHighway Code\u201d is not a police.uk value for Legislation",
    ),
    (
        _with(11, "Snacks"),
        "Object of search",
        "\u201cSnacks\u201d is not a police.uk value for Object of search",
    ),
    (
        _with(12, "Stern look"),
        "Outcome",
        "\u201cStern look\u201d is not a police.uk value for Outcome",
    ),
    (
        _with(13, "Maybe"),
        "Outcome linked to object of search",
        "\u201cMaybe\u201d is not True, False or empty (Outcome linked to object of search)",
    ),
    (
        _with(14, "0"),
        "Removal of more than just outer clothing",
        "\u201c0\u201d is not True, False or empty (Removal of more than just outer clothing)",
    ),
]


@pytest.mark.django_db
def test_every_kind_of_bad_row_is_listed_with_its_row_column_and_message() -> None:
    lines = [row(), *(line for line, _column, _message in EVERY_KIND_OF_BAD_ROW)]
    batch = import_text(csv_text(*lines))
    assert (batch.state, batch.imported, batch.rejected) == (
        ImportBatch.State.DONE,
        1,
        len(EVERY_KIND_OF_BAD_ROW),
    )
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (number, column, message)
        for number, (_line, column, message) in enumerate(EVERY_KIND_OF_BAD_ROW, start=3)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("month", "date", "message"),
    [
        ("2099-01", "2099-01-05T10:00:00+00:00", "The search cannot be in the future"),
        ("1999-12", "1999-12-05T10:00:00+00:00", "The date must be on or after"),
    ],
)
def test_a_search_in_the_future_or_before_2000_is_rejected(
    month: str, date: str, message: str
) -> None:
    batch = import_text(csv_text(row(date=date)), name=f"{month}-dyfed-powys-stop-and-search.csv")
    assert (batch.imported, batch.rejected) == (0, 1)
    assert (batch.errors[0]["row"], batch.errors[0]["column"]) == (2, "Date")
    assert batch.errors[0]["message"].startswith(message)


def _stored(batch: ImportBatch) -> list[tuple[Any, ...]]:
    # Every column but those that name the write itself (id, batch, reference, times).
    skip = {"id", "batch", "reference", "created_at", "updated_at"}
    names = [f.attname for f in StopSearch._meta.concrete_fields if f.name not in skip]
    return sorted(StopSearch.objects.filter(batch=batch).values_list(*names))


@pytest.mark.django_db
def test_copy_and_bulk_create_store_the_same_values(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL has both writers")
    path = DATA / "2019-08-city-of-london-stop-and-search.csv"
    copied = import_path(path)
    by_copy = _stored(copied)
    StopSearch.objects.filter(batch=copied).delete()
    monkeypatch.setattr(insert, "uses_copy", lambda: False)
    created = import_path(path)
    assert copied.imported == created.imported == len(by_copy) > 0
    assert _stored(created) == by_copy
