"""Panel reports: choose a review, a date and a language, preview, produce, download again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.oversight import report, selectors
from pontio.oversight.forms import ReportForm
from pontio.oversight.models import PanelReport, Review
from pontio.oversight.services.reports import check_report_date, report_produce
from pontio.oversight.views.tracker import tracker_crumbs

FILENAME = "panel-report-{review}-{date}-{language}"


def _crumbs(review: Review) -> list[tuple[str, str | None]]:
    return tracker_crumbs((review.title, reverse("oversight:review", args=[review.pk])))


@permission_required("oversight.produce_report")
@require_GET
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The form and, once a date and language are chosen, the report as a web page (what
    the PDF will print), with what is not yet translated listed above it."""
    review = scoped_get(request, Review.objects.all(), pk, "view", audit_read=False)
    preview = None
    form = ReportForm(request.GET if "language" in request.GET else None)
    if form.is_bound and form.is_valid():
        try:
            check_report_date(review, form.cleaned_data["as_of"], timezone.localdate())
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            language = form.cleaned_data["language"]
            data = report.build(request.user, review, form.cleaned_data["as_of"])
            preview = {
                "rows": report.rows(data, language),
                "side_by_side": language == "both",
                "untranslated": data.untranslated() if language != "en" else [],
                "as_of": form.cleaned_data["as_of"],
                "language": language,
            }
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "oversight/report_new.html",
        {"review": review, "form": form, "preview": preview, "crumbs": _crumbs(review)},
        status=status,
    )


@permission_required("oversight.produce_report")
@require_POST
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    review = scoped_get(request, Review.objects.all(), pk, "view", audit_read=False)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            produced = report_produce(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                review_id=review.pk,
                as_of=form.cleaned_data["as_of"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The report has been produced and stored"))
            return HttpResponseRedirect(reverse("oversight:report", args=[produced.pk]))
    return render(
        request,
        "oversight/report_new.html",
        {"review": review, "form": form, "preview": None, "crumbs": _crumbs(review)},
        status=400,
    )


@permission_required("oversight.produce_report")
def report_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "oversight/report_list.html",
        {"reports": selectors.reports(request.user)[:200], "crumbs": tracker_crumbs()},
    )


def _stored(request: HttpRequest, pk: int) -> PanelReport:
    return scoped_get(
        request, PanelReport.objects.select_related("review", "produced_by"), pk, audit_read=False
    )


@permission_required("oversight.produce_report")
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stored = _stored(request, pk)
    return render(
        request,
        "oversight/report_detail.html",
        {
            "report": stored,
            "untranslated": stored.inputs.get("untranslated", []),
            "crumbs": _crumbs(stored.review),
        },
    )


def _filename(stored: PanelReport, extension: str) -> str:
    name = FILENAME.format(
        review=stored.review_id, date=stored.as_of.isoformat(), language=stored.language
    )
    return f"{name}.{extension}"


@permission_required("oversight.produce_report")
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    stored = _stored(request, pk)
    response = HttpResponse(bytes(stored.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stored, "pdf")}"'
    return response


@permission_required("oversight.produce_report")
def report_html(request: HttpRequest, pk: int) -> HttpResponse:
    stored = _stored(request, pk)
    response = HttpResponse(stored.html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stored, "html")}"'
    return response
