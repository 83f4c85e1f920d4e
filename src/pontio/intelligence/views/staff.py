"""Signed-in pages: submitting, the assessment queue, shares received, and the "you said,
we did" lines awaiting approval (the assessment screen and its steps: ``assessment``).

Views parse, call a service, render; the rules are the services'. Reads go through
``restrict`` (selectors, ``scoped_get``); a GET writes nothing but the audit of a read.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.intelligence import selectors, services
from pontio.intelligence.forms import (
    ApproveForm,
    ShareDecisionForm,
    SubmissionForm,
    SummaryForm,
    month_label,
)
from pontio.intelligence.models import (
    CommunitySummary,
    ReportShare,
    ShareStatus,
    SummaryStatus,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def _context(request: HttpRequest) -> AuditContext:
    return AuditContext.from_request(request)


def _queue_crumb() -> tuple[str, str]:
    return (_("Intelligence"), reverse("intelligence:queue"))


@permission_required("intelligence.submit")
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_submit(
                actor=_user(request),
                context=_context(request),
                county=data["county"],
                area=data["area"],
                what=data["what"],
                when_seen=data["when_seen"],
                how_known=data["how_known"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request,
                _("Intelligence report %(reference)s sent to the intelligence unit.")
                % {"reference": report.reference},
            )
            return HttpResponseRedirect(reverse("intelligence:submit"))
    return render(
        request,
        "intelligence/submit.html",
        {"form": form, "crumbs": [(_("Submit intelligence"), None)]},
        status=400 if form.errors else 200,
    )


@permission_required("intelligence.assess")
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.assessment_queue(_user(request))[:200])
    return render(
        request,
        "intelligence/queue.html",
        {"rows": rows, "crumbs": [(_("Intelligence"), None)]},
    )


# --- shares received -------------------------------------------------------------------------


@permission_required("intelligence.receive_share")
@require_GET
def shares(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.shares_received(_user(request)))
    return render(
        request,
        "intelligence/shares.html",
        {"rows": rows, "crumbs": [(_("Intelligence shared with you"), None)]},
    )


@permission_required("intelligence.receive_share")
@require_http_methods(["GET", "POST"])
def share_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = scoped_get(
        request,
        ReportShare.objects.filter(recipient_id=user.organisation_id).select_related("report"),
        pk,
        "change" if request.method == "POST" else "view",
    )
    form = ShareDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.share_decide(
                actor=user,
                context=_context(request),
                share_id=item.pk,
                accept=form.cleaned_data["decision"] == "accept",
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("Your answer is recorded."))
            return HttpResponseRedirect(reverse("intelligence:share-decide", args=[item.pk]))
    return render(
        request,
        "intelligence/share_decide.html",
        {
            "share": item,
            "form": form if item.status == ShareStatus.PENDING else None,
            "accepted": item.status == ShareStatus.ACCEPTED,
            "crumbs": [
                (_("Intelligence shared with you"), reverse("intelligence:shares")),
                (item.report.reference, None),
            ],
        },
        status=400 if form.errors else 200,
    )


# --- "you said, we did" ----------------------------------------------------------------------


@permission_required("intelligence.approve_summary")
@require_http_methods(["GET", "POST"])
def summaries(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    report_id = request.GET.get("report") or request.POST.get("report") or ""
    report_id_int = int(report_id) if report_id.isdigit() else None
    form = SummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.summary_draft(
                actor=user,
                context=_context(request),
                county=data["county"],
                month=timezone.localdate(),
                you_said_en=data["you_said_en"],
                you_said_cy=data["you_said_cy"],
                we_did_en=data["we_did_en"],
                we_did_cy=data["we_did_cy"],
                report_id=report_id_int,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise
            form.add_validation_error(error)
        else:
            messages.success(request, _("Line saved: it awaits approval."))
            return HttpResponseRedirect(reverse("intelligence:summaries"))
    rows = list(selectors.summaries(user).order_by("status", "-month", "-pk")[:100])
    for row in rows:
        row.month_label = month_label(row.month)  # type: ignore[attr-defined]
    return render(
        request,
        "intelligence/summaries.html",
        {
            "form": form,
            "rows": rows,
            "report_id": report_id_int,
            "draft": SummaryStatus.DRAFT,
            "crumbs": [_queue_crumb(), (_("You said, we did"), None)],
        },
        status=400 if form.errors else 200,
    )


@permission_required("intelligence.approve_summary")
@require_http_methods(["GET", "POST"])
def summary_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = scoped_get(
        request,
        CommunitySummary.objects.select_related("county"),
        pk,
        "change" if request.method == "POST" else "view",
    )
    form = ApproveForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_approve(
                actor=user,
                context=_context(request),
                summary_id=item.pk,
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("Line approved: it is on the county's public page."))
            return HttpResponseRedirect(reverse("intelligence:summaries"))
    return render(
        request,
        "intelligence/summary_approve.html",
        {
            "item": item,
            "form": form,
            "month": month_label(item.month),
            "county_url": reverse(
                "intelligence:community-county", args=[selectors.county_slug(item.county)]
            ),
            "crumbs": [
                _queue_crumb(),
                (_("You said, we did"), reverse("intelligence:summaries")),
                (_("Approve a line"), None),
            ],
        },
        status=400 if form.errors else 200,
    )
