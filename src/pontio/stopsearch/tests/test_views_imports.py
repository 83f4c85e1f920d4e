"""The police.uk pages: upload and follow an import, list imports, download our searches."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in
from tests.factories import county

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.stopsearch import policeuk
from pontio.stopsearch.models import ImportBatch, StopSearch
from pontio.stopsearch.tests.helpers import record

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "data"
# The header as police.uk writes it (read from a real file, not from the exporter's constant).
REAL_FILE = FIXTURES / "policeuk" / "2019-08-city-of-london-stop-and-search.csv"
HEADER = REAL_FILE.read_text("utf-8-sig").splitlines()[0]
ROW = (
    "Person search,2016-11-01T00:00:00+00:00,,,,,Male,over 34,White - White British (W1),"
    "White,Police and Criminal Evidence Act 1984 (section 1),Stolen goods,"
    "Nothing found - no further action,,"
)


@pytest.fixture(autouse=True)
def upload_dir(settings: Any, tmp_path: Path) -> Path:
    settings.PONTIO_IMPORT_DIR = tmp_path / "imports"
    return tmp_path / "imports"


@pytest.fixture
def admin(world: dict[str, Any]) -> Client:
    return demo_sign_in("admin")


def upload(name: str, content: bytes, **fields: str) -> dict[str, Any]:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **fields}


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


# Upload and follow --------------------------------------------------------------------------


def test_an_importer_uploads_a_file_and_lands_on_its_summary(admin: Client) -> None:
    response = admin.post(
        reverse("stopsearch:import-create"),
        upload("2016-11-dyfed-powys-stop-and-search.csv", csv_bytes(ROW, ROW)),
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("stopsearch:import-detail", args=[batch.pk])
    assert (batch.state, batch.imported, batch.started_by.username) == ("done", 2, "admin")
    page = admin.get(response["Location"]).content.decode()
    assert "Import finished" in page
    assert 'http-equiv="refresh"' not in page


def test_the_saved_upload_is_removed_once_imported(admin: Client, upload_dir: Path) -> None:
    admin.post(
        reverse("stopsearch:import-create"),
        upload("2016-11-dyfed-powys-stop-and-search.csv", csv_bytes(ROW)),
    )
    assert upload_dir.is_dir()
    assert list(upload_dir.iterdir()) == []


def test_the_opcc_analyst_may_import(world: dict[str, Any]) -> None:
    client = demo_sign_in("analyst")
    response = client.post(
        reverse("stopsearch:import-create"),
        upload("2016-11-dyfed-powys-stop-and-search.csv", csv_bytes(ROW)),
    )
    assert response.status_code == 302
    assert StopSearch.objects.count() == 1


def test_the_summary_lists_rejected_rows_with_row_column_and_value(admin: Client) -> None:
    response = admin.post(
        reverse("stopsearch:import-create"),
        upload("bad.csv", (FIXTURES / "bad-vocabulary.csv").read_bytes(), force="dyfed-powys")
        | {"month": "2016-11", "kind": "stop_search"},
        follow=True,
    )
    page = response.content.decode()
    assert "Rejected rows (not imported)" in page
    assert "Given a stern look" in page
    assert "Self-defined ethnicity" in page
    assert StopSearch.objects.count() == 2


def test_a_refused_file_says_why_and_imports_nothing(admin: Client) -> None:
    response = admin.post(
        reverse("stopsearch:import-create"),
        upload("2016-11-dyfed-powys-stop-and-search.csv", (FIXTURES / "latin1.csv").read_bytes()),
        follow=True,
    )
    page = response.content.decode()
    assert "The file was not imported" in page
    assert "The file is not UTF-8" in page
    assert not StopSearch.objects.exists()


def test_a_file_name_without_force_and_month_asks_for_them(admin: Client) -> None:
    response = admin.post(
        reverse("stopsearch:import-create"), upload("searches.csv", csv_bytes(ROW))
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "force", "month"}
    assert not ImportBatch.objects.exists()


def test_a_badly_typed_month_is_explained(admin: Client) -> None:
    response = admin.post(
        reverse("stopsearch:import-create"),
        upload("searches.csv", csv_bytes(ROW), kind="stop_search", force="dyfed-powys")
        | {"month": "Nov 2016"},
    )
    assert response.context["form"].errors["month"] == [
        "Enter the month as year and month, like 2016-11"
    ]


def test_a_running_import_shows_a_progress_bar_and_refreshes(admin: Client) -> None:
    batch = ImportBatch.objects.create(
        kind="stop_search",
        file_name="2019-08-city-of-london-stop-and-search.csv",
        sha256="0" * 64,
        force="city-of-london",
        month=dt.date(2019, 8, 1),
        total_rows=1000,
        rows_read=400,
    )
    response = admin.get(reverse("stopsearch:import-detail", args=[batch.pk]))
    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="import-progress" class="app-progress" max="1000" value="400">' in page
    assert "400 of 1000 rows checked (40%)" in page
    assert "<script>" not in page  # no inline script: the CSP allows the meta refresh
    assert response["Cache-Control"] == "no-store"


def test_the_import_list_shows_each_batch_in_few_queries(
    admin: Client, django_assert_max_num_queries: Any
) -> None:
    for month in range(1, 6):
        policeuk.import_file(
            f"2016-{month:02d}-dyfed-powys-stop-and-search.csv",
            csv_bytes(ROW.replace("2016-11", f"2016-{month:02d}")),
        )
    with django_assert_max_num_queries(12):
        response = admin.get(reverse("stopsearch:import-list"))
    page = response.content.decode()
    assert page.count("dyfed-powys-stop-and-search.csv") == 5


# Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["officer", "inspector", "panel", "auditor", "caseworker"])
def test_non_importers_are_refused_every_import_page_and_it_is_audited(
    world: dict[str, Any], username: str
) -> None:
    batch = policeuk.import_file("2016-11-dyfed-powys-stop-and-search.csv", csv_bytes(ROW))
    client = demo_sign_in(username)
    for url in (
        reverse("stopsearch:import-list"),
        reverse("stopsearch:import-create"),
        reverse("stopsearch:import-detail", args=[batch.pk]),
    ):
        before = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
        assert client.get(url).status_code == 403, url
        assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() == before + 1


def test_a_non_importer_cannot_post_a_file(world: dict[str, Any]) -> None:
    response = demo_sign_in("officer").post(
        reverse("stopsearch:import-create"),
        upload("2016-11-dyfed-powys-stop-and-search.csv", csv_bytes(ROW)),
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


# Export -------------------------------------------------------------------------------------


def _searches(world: dict[str, Any]) -> tuple[StopSearch, StopSearch]:
    when = timezone.now() - dt.timedelta(hours=3)
    carms = record(world["officer"], searched_at=when)
    cered = record(
        world["officer"], searched_at=when, county=county("W06000008"), place="Aberystwyth"
    )
    return carms, cered


def _rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_administrator_downloads_the_forces_publication(world: dict[str, Any]) -> None:
    _searches(world)
    # Another force's imported file is not part of this force's publication.
    policeuk.import_file("2016-11-city-of-london-stop-and-search.csv", csv_bytes(ROW))
    response = demo_sign_in("admin").get(reverse("stopsearch:export-policeuk"))
    rows = _rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == HEADER.split(",")
    assert len(rows) == 3
    assert rows[1][10] == "Misuse of Drugs Act 1971 (section 23)"
    assert rows[1][12] == "A no further action disposal"


def test_the_inspector_downloads_only_the_searches_of_their_area(world: dict[str, Any]) -> None:
    _carms, cered = _searches(world)
    rows = _rows(demo_sign_in("inspector").get(reverse("stopsearch:export-policeuk")))
    assert len(rows) == 2
    assert rows[1][1] == cered.searched_at.astimezone(dt.UTC).isoformat()


def test_the_export_filters_by_county_and_month_and_names_the_file(world: dict[str, Any]) -> None:
    carms, _cered = _searches(world)
    url = reverse("stopsearch:export-policeuk")
    response = demo_sign_in("admin").get(
        url, {"month": f"{carms.month:%Y-%m}", "county": county("W06000010").pk}
    )
    assert len(_rows(response)) == 2
    assert response["Content-Disposition"] == (
        f'attachment; filename="{carms.month:%Y-%m}-dyfed-powys-stop-and-search.csv"'
    )


def test_the_export_is_audited_with_its_filters_and_row_count(world: dict[str, Any]) -> None:
    _searches(world)
    demo_sign_in("admin").get(reverse("stopsearch:export-policeuk"), {"month": "2016-11"})
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("sequence")
    assert event.object_type == "stopsearch.stopsearch"
    assert event.reason == "police.uk CSV; month: 2016-11; county: all; rows: 0"


def test_a_downloaded_month_imports_back_without_rejections(world: dict[str, Any]) -> None:
    carms, _cered = _searches(world)
    response = demo_sign_in("admin").get(
        reverse("stopsearch:export-policeuk"), {"month": f"{carms.month:%Y-%m}"}
    )
    name = response["Content-Disposition"].split('"')[1]
    batch = policeuk.import_file(name, response.content)
    assert (batch.state, batch.imported, batch.rejected) == ("done", 2, 0)


def test_a_wrong_export_filter_shows_the_form_with_the_error(world: dict[str, Any]) -> None:
    response = demo_sign_in("admin").get(
        reverse("stopsearch:export-policeuk"), {"month": "last month"}
    )
    assert response.status_code == 400
    assert "month" in response.context["form"].errors
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    "username", ["officer", "custody.sergeant", "panel", "caseworker", "analyst", "operations"]
)
def test_roles_without_the_export_permission_are_refused(
    world: dict[str, Any], username: str
) -> None:
    client = demo_sign_in(username)
    assert client.get(reverse("stopsearch:export-policeuk")).status_code == 403
    assert client.get(reverse("stopsearch:export-policeuk-form")).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_opcc_analyst_gets_aggregates_not_one_row_per_search(world: dict[str, Any]) -> None:
    """Decision: the police.uk export is built from Pontio's own records, so only those who
    may read the rows download it; the analyst downloads the figures (counts) instead."""
    carms, cered = _searches(world)
    client = demo_sign_in("analyst")
    before = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
    assert client.get(reverse("stopsearch:export-policeuk")).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() == before + 1
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    figures = client.get(reverse("stopsearch:analysis-export"))
    assert figures.status_code == 200
    text = figures.content.decode()
    assert "All searches,fewer than 5" in text  # 2 searches: counted, suppressed
    assert carms.reference not in text and cered.reference not in text


def test_the_export_scope_gives_no_row_to_aggregate_viewers(world: dict[str, Any]) -> None:
    from pontio.stopsearch import selectors

    _searches(world)
    for username in ("analyst", "operations", "panel"):
        assert not selectors.publication(world[username]).exists(), username
    assert selectors.publication(world["admin"]).count() == 2


# Uploads that are not imported leave nothing on disk ----------------------------------------


@pytest.fixture
def temp_uploads(settings: Any, tmp_path: Path) -> Path:
    """Uploads larger than 100 bytes go to temporary files in a directory we can watch."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    (tmp_path / "tmp").mkdir()
    return tmp_path / "tmp"


def _left_on_disk(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.iterdir()]


def test_a_file_over_the_limit_is_refused_and_removed(
    admin: Client, settings: Any, upload_dir: Path, temp_uploads: Path
) -> None:
    settings.PONTIO_IMPORT_MAX_BYTES = 1000
    big = csv_bytes(*[ROW] * 20)
    assert len(big) > 1000
    response = admin.post(
        reverse("stopsearch:import-create"),
        upload("2016-11-dyfed-powys-stop-and-search.csv", big),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file must be smaller than 1000\N{NO-BREAK SPACE}bytes"
    ]
    assert not ImportBatch.objects.exists()
    assert _left_on_disk(upload_dir, temp_uploads) == []


def test_a_file_the_form_refuses_leaves_nothing_on_disk(
    admin: Client, upload_dir: Path, temp_uploads: Path
) -> None:
    response = admin.post(
        reverse("stopsearch:import-create"), upload("searches.txt", csv_bytes(ROW, ROW, ROW))
    )
    assert response.context["form"].errors["file"] == ["The file must be a CSV file"]
    assert _left_on_disk(upload_dir, temp_uploads) == []


def test_a_file_the_import_refuses_is_removed(
    admin: Client, upload_dir: Path, temp_uploads: Path
) -> None:
    response = admin.post(
        reverse("stopsearch:import-create"),
        upload(
            "2016-11-dyfed-powys-stop-and-search.csv", (FIXTURES / "bad-header.csv").read_bytes()
        ),
        follow=True,
    )
    assert "The file was not imported" in response.content.decode()
    assert ImportBatch.objects.get().state == ImportBatch.State.FAILED
    assert _left_on_disk(upload_dir, temp_uploads) == []


def test_an_upload_that_cannot_be_queued_is_removed(
    admin: Client, upload_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("queue down")

    monkeypatch.setattr(policeuk, "import_upload", SimpleNamespace(enqueue=broken))
    with pytest.raises(RuntimeError):
        admin.post(
            reverse("stopsearch:import-create"),
            upload("2016-11-dyfed-powys-stop-and-search.csv", csv_bytes(ROW)),
        )
    assert _left_on_disk(upload_dir) == []


def test_the_task_of_a_batch_that_is_gone_removes_its_file(upload_dir: Path) -> None:
    batch = policeuk.new_batch(
        file_name="2016-11-dyfed-powys-stop-and-search.csv", data=csv_bytes(ROW)
    )
    policeuk.save_upload(batch, csv_bytes(ROW))
    pk = batch.pk
    batch.delete()
    assert policeuk.import_upload.call(batch_id=pk) == ImportBatch.State.FAILED
    assert _left_on_disk(upload_dir) == []
