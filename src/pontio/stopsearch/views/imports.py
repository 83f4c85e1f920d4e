"""police.uk imports: upload a monthly CSV, follow its import, list imports.

The upload is saved and imported by a background task (``policeuk.import_upload``); the
batch page refreshes itself every two seconds (a meta refresh: the CSP forbids inline
scripts) while the import runs and shows a progress bar from ``ImportBatch.rows_read``,
which the importer saves in short updates while it checks the rows (see ``policeuk``).

No refused or failed upload stays on disk: a file the form refuses is closed (which deletes
the temporary file Django wrote for a large upload), and a saved copy is removed once the
import has run, or at once if it could not be queued.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from pontio.core.access import permission_required, scoped_get
from pontio.core.scopes import restrict
from pontio.stopsearch import policeuk
from pontio.stopsearch.forms.imports import ImportForm
from pontio.stopsearch.models import ImportBatch
from pontio.stopsearch.views.common import PAGE_SIZE, user_of

REFRESH_SECONDS = 2


@permission_required("stopsearch.import")
def import_list(request: HttpRequest) -> HttpResponse:
    batches = restrict(ImportBatch.objects.all(), request.user, "view").select_related("started_by")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stopsearch/import_list.html",
        {"page": page, "crumbs": [(_("police.uk imports"), None)]},
    )


def _queue(batch: ImportBatch, data: bytes) -> None:
    """Save the upload for the worker and queue its import; nothing left behind on failure."""
    policeuk.save_upload(batch, data)
    try:
        policeuk.import_upload.enqueue(batch_id=batch.pk)
    except Exception:
        policeuk.remove_upload(batch)
        raise


@permission_required("stopsearch.import")
def import_create(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    try:
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            batch = policeuk.new_batch(
                file_name=upload.name,
                data=data,
                force=form.cleaned_data["force"],
                month=form.cleaned_data["month"],
                kind=form.cleaned_data["kind"],
                started_by=user_of(request),
            )
            _queue(batch, data)
            return HttpResponseRedirect(reverse("stopsearch:import-detail", args=[batch.pk]))
    finally:
        # The bytes are in the saved copy (or refused): the request's file is not needed.
        policeuk.discard(request.FILES)
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
