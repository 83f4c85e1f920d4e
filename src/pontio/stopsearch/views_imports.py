"""police.uk pages: upload a monthly CSV, follow its import, list imports, export our records.

The upload is saved and imported by a background task (``policeuk.import_upload``); the
batch page refreshes itself every two seconds (a meta refresh: the CSP forbids inline
scripts) while the import runs and shows a progress bar from ``ImportBatch.rows_read``,
which the importer saves in short updates while it checks the rows (see ``policeuk``).

The export is the police.uk stop-and-search CSV of the searches the user may export, with
the current vocabulary. It holds only what police.uk publishes (no names, no grounds, no
officer); our own coordinates are coarsened. Police exporters get their scope
(``stopsearch.policies``); oversight exporters (OPCC analyst, administrator), who have no
record scope, get every search, as this is the open-data publication of them.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_OPERATIONAL_ROLES
from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.stopsearch import policeuk
from pontio.stopsearch.forms_imports import ExportForm, ImportForm
from pontio.stopsearch.models import ImportBatch, StopSearch

PAGE_SIZE = 25
REFRESH_SECONDS = 2


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


@permission_required("stopsearch.import")
def import_list(request: HttpRequest) -> HttpResponse:
    batches = restrict(ImportBatch.objects.all(), request.user, "view").select_related("started_by")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stopsearch/import_list.html",
        {"page": page, "crumbs": [(_("police.uk imports"), None)]},
    )


@permission_required("stopsearch.import")
def import_create(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        batch = policeuk.new_batch(
            file_name=upload.name,
            data=data,
            force=form.cleaned_data["force"],
            month=form.cleaned_data["month"],
            kind=form.cleaned_data["kind"],
            started_by=_user(request),
        )
        policeuk.save_upload(batch, data)
        policeuk.import_upload.enqueue(batch_id=batch.pk)
        return HttpResponseRedirect(reverse("stopsearch:import-detail", args=[batch.pk]))
    return render(
        request,
        "stopsearch/import_create.html",
        {
            "form": form,
            "crumbs": [
                (_("police.uk imports"), reverse("stopsearch:import-list")),
                (_("Import a file"), None),
            ],
        },
    )


@permission_required("stopsearch.import")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = scoped_get(request, ImportBatch.objects.select_related("started_by"), pk, "view")
    running = batch.state == ImportBatch.State.RUNNING
    response = render(
        request,
        "stopsearch/import_detail.html",
        {
            "batch": batch,
            "running": running,
            "refresh_seconds": REFRESH_SECONDS,
            "percent": (batch.rows_read * 100 // batch.total_rows) if batch.total_rows else 0,
            "crumbs": [
                (_("police.uk imports"), reverse("stopsearch:import-list")),
                (batch.file_name, None),
            ],
        },
    )
    if running:
        response["Cache-Control"] = "no-store"
    return response


def exportable(user: User) -> QuerySet[StopSearch]:
    searches = StopSearch.objects.all()
    if user.has_role(*POLICE_OPERATIONAL_ROLES):
        return restrict(searches, user, "export")
    return searches


def _export_crumbs() -> list[tuple[str, str | None]]:
    return [(_("Download in police.uk format"), None)]


@permission_required("stopsearch.export")
def export_form(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "stopsearch/import_export.html",
        {"form": ExportForm(), "crumbs": _export_crumbs()},
    )


@permission_required("stopsearch.export")
def export_policeuk(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "stopsearch/import_export.html",
            {"form": form, "crumbs": _export_crumbs()},
            status=400,
        )
    month = form.cleaned_data["month"]
    county = form.cleaned_data["county"]
    searches = exportable(_user(request)).order_by("searched_at", "pk")
    if month is not None:
        searches = searches.filter(month=month)
    if county is not None:
        searches = searches.filter(county=county)
    rows = list(searches)
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type="stopsearch.stopsearch",
        reason=(
            f"police.uk CSV; month: {month:%Y-%m}; " if month else "police.uk CSV; month: all; "
        )
        + f"county: {county.code if county else 'all'}; rows: {len(rows)}",
    )
    if month is not None:
        forces = {search.force for search in rows}
        force = forces.pop() if len(forces) == 1 else "pontio"
        name = f"{month:%Y-%m}-{force}-stop-and-search.csv"
    else:
        name = f"pontio-stop-and-search-{timezone.localtime():%Y%m%d-%H%M}.csv"
    response = HttpResponse(policeuk.export_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns: list[URLPattern] = [
    path("imports/", import_list, name="import-list"),
    path("imports/new/", import_create, name="import-create"),
    path("imports/<int:pk>/", import_detail, name="import-detail"),
    path("export/", export_form, name="export-policeuk-form"),
    path("export.csv", export_policeuk, name="export-policeuk"),
]
