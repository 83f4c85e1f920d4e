"""Importing police.uk CSV files (stop and search, street crime) and exporting ours.

The real files are in tests/data/policeuk, copied from ../shared/data/policeuk (City of
London 2018-04..2019-12, both kinds, and Dyfed-Powys 2016-11 stop and search with the legacy
vocabulary). Row counts are taken
with Python's csv module here, independently of the importer's own line-by-line reader.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from tests.factories import county

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.stopsearch import policeuk
from pontio.stopsearch.models import ImportBatch, Source, StopSearch, StreetCrime
from pontio.stopsearch.policeuk import counties, importer
from pontio.stopsearch.tests.helpers import record

FIXTURES = Path(__file__).resolve().parent / "data"
# The real files, copied into the repository (see its README) so every clone has them.
DATA = FIXTURES / "policeuk"
STOP_SEARCH_FILES = sorted(DATA.glob("*-stop-and-search.csv"))
STREET_FILES = sorted(DATA.glob("*-street.csv"))
# The header as police.uk writes it (read from a real file, not from the importer's constant).
HEADER = (
    (DATA / "2019-08-city-of-london-stop-and-search.csv").read_text("utf-8-sig").splitlines()[0]
)


def independent_count(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row]
    return len(rows) - 1


def import_path(path: Path, **kwargs: Any) -> ImportBatch:
    return policeuk.import_file(path.name, path.read_bytes(), **kwargs)


def import_text(text: str, name: str = "2016-11-dyfed-powys-stop-and-search.csv") -> ImportBatch:
    return policeuk.import_file(name, text.encode())


def row(
    date: str = "2016-11-01T00:00:00+00:00",
    ethnicity: str = "White - White British (W1)",
    outcome: str = "Nothing found - no further action",
    linked: str = "",
    lat: str = "",
    lng: str = "",
) -> str:
    return (
        f"Person search,{date},,,{lat},{lng},Male,over 34,{ethnicity},White,"
        "Misuse of Drugs Act 1971 (section 23),Controlled drugs,"
        f"{outcome},{linked},False"
    )


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


# Every real file --------------------------------------------------------------------------


@pytest.mark.django_db
def test_importing_every_file_gives_the_independent_row_counts() -> None:
    assert len(STOP_SEARCH_FILES) + len(STREET_FILES) == 43
    for path in [*STOP_SEARCH_FILES, *STREET_FILES]:
        batch = import_path(path)
        expected = independent_count(path)
        assert (batch.state, batch.rows_read, batch.imported, batch.rejected) == (
            ImportBatch.State.DONE,
            expected,
            expected,
            0,
        ), (path.name, batch.errors[:3])
    assert StopSearch.objects.count() == sum(independent_count(p) for p in STOP_SEARCH_FILES)
    assert StreetCrime.objects.count() == sum(independent_count(p) for p in STREET_FILES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "2016-11-dyfed-powys-stop-and-search.csv",
        "2019-08-city-of-london-stop-and-search.csv",
        "2019-12-city-of-london-street.csv",
    ],
)
def test_reimporting_a_month_changes_nothing(name: str) -> None:
    path = DATA / name
    first = import_path(path)
    searches, crimes = StopSearch.objects.count(), StreetCrime.objects.count()
    again = import_path(path)
    assert (again.state, again.imported, again.already_present, again.rejected) == (
        ImportBatch.State.DONE,
        0,
        first.imported,
        0,
    )
    assert (StopSearch.objects.count(), StreetCrime.objects.count()) == (searches, crimes)


@pytest.mark.django_db
def test_identical_rows_in_a_real_file_stay_separate_searches() -> None:
    path = DATA / "2016-11-dyfed-powys-stop-and-search.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [tuple(r) for r in csv.reader(handle)][1:]
    assert len(set(rows)) < len(rows)  # the file does repeat rows
    import_path(path)
    assert StopSearch.objects.filter(force="dyfed-powys").count() == len(rows)


@pytest.mark.django_db
def test_two_identical_rows_are_two_searches_with_their_occurrence_in_the_key() -> None:
    batch = import_text(csv_text(row(), row()))
    keys = sorted(StopSearch.objects.values_list("source_key", flat=True))
    assert batch.imported == 2
    assert [key.rsplit(":", 1)[1] for key in keys] == ["1", "2"]
    assert keys[0].startswith("dyfed-powys:2016-11:")


@pytest.mark.django_db
def test_a_file_with_one_more_identical_row_imports_only_that_row() -> None:
    import_text(csv_text(row(), row()))
    batch = import_text(csv_text(row(), row(), row()))
    assert (batch.imported, batch.already_present) == (1, 2)


@pytest.mark.django_db
def test_dyfed_powys_2016_uses_the_legacy_vocabulary_and_has_no_location() -> None:
    import_path(DATA / "2016-11-dyfed-powys-stop-and-search.csv")
    searches = StopSearch.objects.filter(force="dyfed-powys")
    assert not searches.filter(latitude__isnull=False).exists()
    assert not searches.filter(county__isnull=False).exists()
    assert searches.filter(original_outcome="nfa").count() == 111
    assert searches.filter(original_outcome="article_found_unavailable").count() == 64
    assert searches.filter(self_defined_ethnicity="B2").count() == 2  # "Caribbean (B1)"
    assert searches.filter(self_defined_ethnicity="B1").count() == 1  # "African (B2)"


# Vocabularies and fields -------------------------------------------------------------------


@pytest.mark.django_db
def test_legacy_caribbean_b1_is_2011_code_b2_and_nothing_found_is_no_further_action() -> None:
    import_text(csv_text(row(ethnicity="Black or Black British - Caribbean (B1)")))
    search = StopSearch.objects.get()
    assert search.self_defined_ethnicity == "B2"
    import_text(csv_text(row(date="2016-11-02T00:00:00+00:00")))
    assert StopSearch.objects.get(searched_at__day=2).original_outcome == "nfa"


@pytest.mark.django_db
def test_an_imported_row_keeps_its_fields() -> None:
    batch = import_text(
        csv_text(
            "Person and Vehicle search,2018-04-01T00:08:42+00:00,True,Op Sceptre,51.512528,"
            "-0.081281,Female,over 34,Black/African/Caribbean/Black British - Caribbean,Black,"
            "Misuse of Drugs Act 1971 (section 23),Controlled drugs,Penalty Notice for Disorder,"
            "True,False"
        ),
        name="2018-04-city-of-london-stop-and-search.csv",
    )
    search = StopSearch.objects.get()
    assert search.reference == f"PUK-{batch.pk}-2"
    assert search.source == Source.POLICE_UK
    assert (search.force, search.month) == ("city-of-london", dt.date(2018, 4, 1))
    assert search.searched_at == dt.datetime(2018, 4, 1, 0, 8, 42, tzinfo=dt.UTC)
    assert (search.latitude, search.longitude) == (Decimal("51.512528"), Decimal("-0.081281"))
    assert (search.part_of_operation, search.operation_name) == (True, "Op Sceptre")
    assert search.search_type == "person_and_vehicle"
    assert (search.self_defined_ethnicity, search.officer_defined_ethnicity) == ("B2", "Black")
    assert (search.legislation, search.object_of_search) == ("mda_s23", "controlled_drugs")
    assert (search.original_outcome, search.current_outcome) == ("pnd", "pnd")
    assert (search.original_linked, search.current_linked) == (True, True)
    assert search.removal_of_more_than_outer_clothing is False
    assert search.county is None  # the City of London is not one of our counties


@pytest.mark.django_db
def test_an_empty_outcome_and_empty_booleans_stay_empty() -> None:
    import_text(csv_text(row(outcome="", linked="").replace(",False", ",")))
    search = StopSearch.objects.get()
    assert (search.original_outcome, search.current_outcome) == ("", "")
    assert search.current_linked is None
    assert search.removal_of_more_than_outer_clothing is None


@pytest.mark.django_db
def test_a_search_at_00_13_bst_on_1_september_written_in_utc_belongs_to_september() -> None:
    batch = import_text(
        csv_text(row(date="2018-08-31T23:13:35+00:00")),
        name="2018-09-city-of-london-stop-and-search.csv",
    )
    assert (batch.imported, batch.rejected) == (1, 0)
    assert StopSearch.objects.get().month == dt.date(2018, 9, 1)


@pytest.mark.django_db
def test_a_point_inside_a_county_boundary_gets_that_county() -> None:
    # Llanelli, Carmarthenshire.
    import_text(csv_text(row(lat="51.681000", lng="-4.161000")))
    assert StopSearch.objects.get().county == county("W06000010")


# Bad files ---------------------------------------------------------------------------------


def fixture(name: str, **kwargs: Any) -> ImportBatch:
    kwargs.setdefault("force", "dyfed-powys")
    kwargs.setdefault("month", dt.date(2016, 11, 1))
    return policeuk.import_file(name, (FIXTURES / name).read_bytes(), **kwargs)


@pytest.mark.django_db
def test_a_wrong_header_refuses_the_whole_file_naming_expected_and_found_columns() -> None:
    batch = fixture("bad-header.csv")
    assert batch.state == ImportBatch.State.FAILED
    message = batch.errors[0]["message"]
    assert "Expected columns: Type, Date," in message
    assert "Outcome, Outcome linked" in message
    assert "Object of search, Result, Outcome linked" in message
    assert "Nothing was imported" in message
    assert not StopSearch.objects.exists()


@pytest.mark.django_db
def test_a_file_not_in_utf8_is_refused_naming_the_row() -> None:
    batch = fixture("latin1.csv")
    assert batch.state == ImportBatch.State.FAILED
    assert batch.errors[0]["message"].startswith("The file is not UTF-8 (row 2 ")
    assert not StopSearch.objects.exists()


@pytest.mark.django_db
def test_a_utf8_byte_order_mark_is_accepted() -> None:
    data = b"\xef\xbb\xbf" + csv_text(row()).encode()
    batch = policeuk.import_file("2016-11-dyfed-powys-stop-and-search.csv", data)
    assert (batch.state, batch.imported) == (ImportBatch.State.DONE, 1)


@pytest.mark.django_db
def test_broken_quoting_and_a_short_row_are_rejected_and_the_other_rows_imported() -> None:
    batch = fixture("bad-quoting.csv")
    assert (batch.state, batch.rows_read, batch.imported, batch.rejected) == (
        ImportBatch.State.DONE,
        4,
        2,
        2,
    )
    quoting, short = batch.errors
    assert quoting["row"] == 3
    assert quoting["message"].startswith("Broken quoting")
    assert short["row"] == 4
    assert short["message"] == "The row has 12 columns; police.uk rows have 15"
    assert StopSearch.objects.count() == 2


@pytest.mark.django_db
def test_unknown_vocabulary_is_rejected_naming_row_column_and_value() -> None:
    batch = fixture("bad-vocabulary.csv")
    assert (batch.imported, batch.rejected) == (2, 3)
    assert [(p["row"], p["column"], p["value"]) for p in batch.errors] == [
        (3, "Outcome", "Given a stern look"),
        (4, "Self-defined ethnicity", "Martian"),
        (5, "Date", "2016-12-01T00:00:00+00:00"),
    ]
    assert batch.errors[0]["message"] == "“Given a stern look” is not a police.uk value for Outcome"
    assert batch.errors[2]["message"] == "The date is not in the file's month (2016-11)"


@pytest.mark.django_db
def test_the_valid_rows_of_a_file_with_rejected_rows_import_once() -> None:
    fixture("bad-vocabulary.csv")
    again = fixture("bad-vocabulary.csv")
    assert (again.imported, again.already_present, again.rejected) == (0, 2, 3)


@pytest.mark.django_db
def test_a_street_file_rejects_an_unknown_crime_type_and_keeps_both_asb_rows() -> None:
    batch = fixture("bad-street.csv", kind=ImportBatch.Kind.STREET, month=dt.date(2018, 4, 1))
    assert (batch.imported, batch.rejected) == (3, 1)
    assert (batch.errors[0]["row"], batch.errors[0]["column"]) == (3, "Crime type")
    assert StreetCrime.objects.filter(crime_type="Anti-social behaviour").count() == 2


@pytest.mark.django_db
def test_a_file_without_force_or_month_is_refused() -> None:
    batch = policeuk.import_file("searches.csv", csv_text(row()).encode())
    assert batch.state == ImportBatch.State.FAILED
    assert "Give the force" in batch.errors[0]["message"]


@pytest.mark.django_db
def test_an_unexpected_failure_while_saving_saves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(counties.CountyFinder, "find", explode)
    batch = import_text(csv_text(row(), row(date="2016-11-02T00:00:00+00:00")))
    assert batch.state == ImportBatch.State.FAILED
    assert batch.imported == 0
    assert "Nothing was imported" in batch.errors[0]["message"]
    assert not StopSearch.objects.exists()


@pytest.mark.django_db
def test_a_bug_while_checking_rows_fails_the_batch_instead_of_leaving_it_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(importer, "parse_stop_search", explode)
    batch = import_text(csv_text(row()))
    assert batch.state == ImportBatch.State.FAILED
    assert not StopSearch.objects.exists()


@pytest.mark.django_db
def test_the_task_refuses_a_batch_whose_upload_is_missing(settings: Any, tmp_path: Path) -> None:
    settings.PONTIO_IMPORT_DIR = tmp_path
    batch = policeuk.new_batch(
        file_name="2016-11-dyfed-powys-stop-and-search.csv", data=csv_text(row()).encode()
    )
    policeuk.import_upload.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED
    assert batch.errors[0]["message"] == "The uploaded file was not found. Upload it again."


@pytest.mark.django_db
def test_an_import_is_audited_with_its_summary() -> None:
    batch = import_text(csv_text(row()))
    event = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="stopsearch.importbatch", object_id=str(batch.pk)
    )
    assert "imported 1, already present 0, rejected 0" in event.reason


@pytest.mark.django_db
def test_progress_is_saved_on_the_batch_while_rows_are_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 2)
    original = importer._progress

    def spy(batch: ImportBatch, read: int) -> None:
        original(batch, read)
        seen.append(ImportBatch.objects.get(pk=batch.pk).rows_read)

    monkeypatch.setattr(importer, "_progress", spy)
    rows = [row(date=f"2016-11-0{day}T00:00:00+00:00") for day in range(1, 6)]
    batch = policeuk.new_batch(
        file_name="2016-11-dyfed-powys-stop-and-search.csv", data=csv_text(*rows).encode()
    )
    policeuk.run_import(batch, csv_text(*rows).encode())
    assert seen[:2] == [2, 4]
    assert seen[-1] == 5


# Export ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_our_records_export_in_police_uk_format_and_reimport_cleanly(
    world: dict[str, Any],
) -> None:
    when = timezone.now().replace(day=3, hour=14, minute=5, second=0, microsecond=0)
    if when > timezone.now():
        when -= dt.timedelta(days=40)
    made = [
        record(world["officer"], searched_at=when),
        record(
            world["officer"],
            searched_at=when + dt.timedelta(hours=1),
            search_type="person_and_vehicle",
            vehicle_registration="CA12 ABC",
            outcome="arrest",
            outcome_linked=True,
            self_defined_ethnicity="B2",
            legislation="pace_s1",
            object_of_search="stolen_goods",
        ),
    ]
    text = policeuk.export_csv(StopSearch.objects.order_by("searched_at"))
    assert text.splitlines()[0] == HEADER
    assert "Black/African/Caribbean/Black British - Caribbean" in text
    month = made[0].month
    batch = policeuk.import_file("ours.csv", text.encode(), force="dyfed-powys", month=month)
    assert (batch.state, batch.imported, batch.rejected) == (ImportBatch.State.DONE, 2, 0)
    fields = [
        "search_type",
        "searched_at",
        "gender",
        "age_range",
        "self_defined_ethnicity",
        "officer_defined_ethnicity",
        "legislation",
        "object_of_search",
        "current_outcome",
        "current_linked",
        "removal_of_more_than_outer_clothing",
    ]
    ours = list(StopSearch.objects.filter(source=Source.PONTIO).order_by("searched_at"))
    theirs = list(StopSearch.objects.filter(source=Source.POLICE_UK).order_by("searched_at"))
    for mine, imported in zip(ours, theirs, strict=True):
        assert [getattr(mine, f) for f in fields] == [getattr(imported, f) for f in fields]


@pytest.mark.django_db
def test_exporting_imported_rows_and_importing_them_again_finds_them_present() -> None:
    first = import_path(DATA / "2016-11-dyfed-powys-stop-and-search.csv")
    text = policeuk.export_csv(StopSearch.objects.order_by("searched_at", "pk"))
    again = import_text(text)
    assert (again.imported, again.already_present, again.rejected) == (0, first.imported, 0)


@pytest.mark.django_db
def test_the_export_uses_the_current_vocabulary_for_legacy_rows() -> None:
    import_text(csv_text(row(outcome="Suspect arrested", linked="True")))
    exported = policeuk.export_row(StopSearch.objects.get())
    assert exported[8] == "White - English/Welsh/Scottish/Northern Irish/British"
    assert exported[12] == "Arrest"


def test_an_operation_name_that_looks_like_a_formula_is_neutralised() -> None:
    search = StopSearch(
        search_type="person",
        searched_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
        operation_name="=HYPERLINK(1)",
        latitude=Decimal("51.681234"),
        longitude=Decimal("-4.161234"),
    )
    exported = policeuk.export_row(search)
    assert exported[3] == "'=HYPERLINK(1)"
    assert (exported[4], exported[5]) == ("51.681", "-4.161")  # ours are coarsened


# The command -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_prints_the_summary_of_each_file() -> None:
    out = StringIO()
    call_command(
        "import_policeuk",
        str(FIXTURES / "bad-vocabulary.csv"),
        "--force",
        "dyfed-powys",
        "--month",
        "2016-11",
        stdout=out,
    )
    text = out.getvalue()
    assert "bad-vocabulary.csv: Imported; read 5, imported 2, already present 0, rejected 3" in text
    assert "row 4, Self-defined ethnicity: “Martian” is not a police.uk value" in text


@pytest.mark.django_db
def test_the_command_fails_when_a_file_is_refused() -> None:
    with pytest.raises(CommandError, match=r"Not imported: bad-header\.csv"):
        call_command(
            "import_policeuk",
            str(FIXTURES / "bad-header.csv"),
            "--force=dyfed-powys",
            "--month=2016-11",
            stdout=StringIO(),
        )
