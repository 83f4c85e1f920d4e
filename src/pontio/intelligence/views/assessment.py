"""The assessment screen and its steps: grade, sanitise, priority, actions, links, sharing.

Views parse, call a service, render; the rules are the services'. A GET writes nothing
but the audit of the read (``scoped_get``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.intelligence import actionable, panels, selectors, services
from pontio.intelligence.forms import (
    ActionForm,
    GradeForm,
    LinkPersonForm,
    LinkReportForm,
    PriorityForm,
    SanitiseForm,
    ShareForm,
)
from pontio.intelligence.grading import label_of
from pontio.intelligence.models import (
    IntelligenceReport,
    ReportOriginal,
    ReportShare,
)
from pontio.intelligence.views.staff import _context, _queue_crumb, _user


def _report(request: HttpRequest, pk: int, action: str = "view") -> IntelligenceReport:
    return scoped_get(
        request,
        IntelligenceReport.objects.select_related("county", "graded_by", "sanitised_by"),
        pk,
        action,
    )


@permission_required("intelligence.assess")
@require_GET
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = _report(request, pk)
    original = None
    if has_permission(user, "intelligence.view_original"):
        original = (
            restrict(ReportOriginal.objects.all(), user, "view").filter(report_id=report.pk).first()
        )
    grading = [
        (_("Source evaluation"), label_of(report.scheme, "source", report.source_code)),
        (
            _("Information assessment"),
            label_of(report.scheme, "information", report.information_code),
        ),
        (_("Handling code"), label_of(report.scheme, "handling", report.handling_code)),
    ]
    return render(
        request,
        "intelligence/assess.html",
        {
            "report": report,
            "original": original,
            "grading": grading,
            "checks": actionable.checks(report),
            "actionable": actionable.is_actionable(report),
            "actions": list(report.actions.select_related("recorded_by")),
            "shares": list(
                restrict(ReportShare.objects.filter(report=report), user, "view").select_related(
                    "recipient"
                )
            ),
            "people": list(report.person_links.select_related("person")),
            "linked": list(
                selectors.reports(user).filter(pk__in=report.linked_reports.values("pk"))
            ),
            "sections": panels.sections_for(user, report),
            "crumbs": [_queue_crumb(), (report.reference, None)],
        },
    )


def _audit_refusal(
    request: HttpRequest, report: IntelligenceReport, error: ValidationError
) -> None:
    """A refused share is audited as a denial, naming the rule (its code), never the text."""
    codes = (
        sorted({e.code or "invalid" for errors in error.error_dict.values() for e in errors})
        if hasattr(error, "error_dict")
        else [error.code or "invalid"]
    )
    audit_request(
        request, AuditAction.DENIED, obj=report, reason=("share refused: " + ", ".join(codes))[:200]
    )


Step = Callable[[User, AuditContext, IntelligenceReport, dict[str, Any]], Any]


def _step(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[forms.Form],
    title: str,
    button: str,
    done: str,
    call: Step,
    initial: Callable[[IntelligenceReport], dict[str, Any]] | None = None,
    form_kwargs: dict[str, Any] | None = None,
    audit_refusals: bool = False,
) -> HttpResponse:
    action = "change" if request.method == "POST" else "view"
    report = _report(request, pk, action)
    kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                call(_user(request), _context(request), report, form.cleaned_data)
            except ValidationError as error:
                form.add_validation_error(error)  # type: ignore[attr-defined]
                if audit_refusals:
                    _audit_refusal(request, report, error)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("intelligence:assess", args=[report.pk]))
    else:
        form = form_class(
            initial=initial(report) if initial else {"version": report.version}, **kwargs
        )
    return render(
        request,
        "intelligence/step.html",
        {
            "report": report,
            "form": form,
            "title": title,
            "button": button,
            "crumbs": [
                _queue_crumb(),
                (report.reference, reverse("intelligence:assess", args=[report.pk])),
                (title, None),
            ],
        },
        status=400 if form.errors else 200,
    )


@permission_required("intelligence.assess")
@require_http_methods(["GET", "POST"])
def grade(request: HttpRequest, pk: int) -> HttpResponse:
    def call(
        user: User, context: AuditContext, report: IntelligenceReport, data: dict[str, Any]
    ) -> Any:
        return services.report_grade(
            actor=user,
            context=context,
            report_id=report.pk,
            version=data["version"],
            scheme=data["scheme"],
            source_code=data["source_code"],
            information_code=data["information_code"],
            handling_code=data["handling_code"],
        )

    def initial(report: IntelligenceReport) -> dict[str, Any]:
        return {
            "version": report.version,
            "scheme": report.scheme or "3x5x2",
            "source_code": report.source_code,
            "information_code": report.information_code,
            "handling_code": report.handling_code,
        }

    return _step(
        request,
        pk,
        form_class=GradeForm,
        title=_("Grade the report"),
        button=_("Save the grade"),
        done=_("Grade saved."),
        call=call,
        initial=initial,
    )


@permission_required("intelligence.assess")
@require_http_methods(["GET", "POST"])
def sanitise(request: HttpRequest, pk: int) -> HttpResponse:
    def call(
        user: User, context: AuditContext, report: IntelligenceReport, data: dict[str, Any]
    ) -> Any:
        return services.report_sanitise(
            actor=user,
            context=context,
            report_id=report.pk,
            version=data["version"],
            text=data["text"],
            county=data["county"],
            area=data["area"],
        )

    def initial(report: IntelligenceReport) -> dict[str, Any]:
        return {
            "version": report.version,
            "text": report.sanitised_text,
            "county": report.county_id,
            "area": report.area,
        }

    return _step(
        request,
        pk,
        form_class=SanitiseForm,
        title=_("Write the sanitised text"),
        button=_("Save the sanitised text"),
        done=_("Sanitised text saved."),
        call=call,
        initial=initial,
    )


@permission_required("intelligence.assess")
@require_http_methods(["GET", "POST"])
def prioritise(request: HttpRequest, pk: int) -> HttpResponse:
    def call(
        user: User, context: AuditContext, report: IntelligenceReport, data: dict[str, Any]
    ) -> Any:
        return services.report_prioritise(
            actor=user,
            context=context,
            report_id=report.pk,
            version=data["version"],
            priority=data["priority"],
            reason=data["reason"],
        )

    def initial(report: IntelligenceReport) -> dict[str, Any]:
        return {
            "version": report.version,
            "priority": report.priority,
            "reason": report.priority_reason,
        }

    return _step(
        request,
        pk,
        form_class=PriorityForm,
        title=_("Set the priority"),
        button=_("Save the priority"),
        done=_("Priority saved."),
        call=call,
        initial=initial,
    )


@permission_required("intelligence.assess")
@require_http_methods(["GET", "POST"])
def record_action(request: HttpRequest, pk: int) -> HttpResponse:
    def call(
        user: User, context: AuditContext, report: IntelligenceReport, data: dict[str, Any]
    ) -> Any:
        return services.action_record(
            actor=user,
            context=context,
            report_id=report.pk,
            action=data["action"],
            result=data["result"],
        )

    return _step(
        request,
        pk,
        form_class=ActionForm,
        title=_("Record an action"),
        button=_("Record the action"),
        done=_("Action recorded."),
        call=call,
        initial=lambda r: {},
    )


@permission_required("intelligence.assess")
@require_http_methods(["GET", "POST"])
def link_person(request: HttpRequest, pk: int) -> HttpResponse:
    def call(
        user: User, context: AuditContext, report: IntelligenceReport, data: dict[str, Any]
    ) -> Any:
        return services.report_link_person(
            actor=user, context=context, report_id=report.pk, person_id=data["person"]
        )

    return _step(
        request,
        pk,
        form_class=LinkPersonForm,
        title=_("Link a person"),
        button=_("Link the person"),
        done=_("Person linked."),
        call=call,
        initial=lambda r: {},
    )


@permission_required("intelligence.assess")
@require_http_methods(["GET", "POST"])
def link_report(request: HttpRequest, pk: int) -> HttpResponse:
    def call(
        user: User, context: AuditContext, report: IntelligenceReport, data: dict[str, Any]
    ) -> Any:
        return services.report_link_report(
            actor=user, context=context, report_id=report.pk, other_reference=data["reference"]
        )

    return _step(
        request,
        pk,
        form_class=LinkReportForm,
        title=_("Link another report"),
        button=_("Link the report"),
        done=_("Report linked."),
        call=call,
        initial=lambda r: {},
    )


@permission_required("intelligence.assess")
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, pk: int) -> HttpResponse:
    def call(
        user: User, context: AuditContext, report: IntelligenceReport, data: dict[str, Any]
    ) -> Any:
        return services.share_create(
            actor=user,
            context=context,
            report_id=report.pk,
            recipient_id=data["recipient"].pk,
            condition=data["condition"],
        )

    return _step(
        request,
        pk,
        form_class=ShareForm,
        title=_("Share the sanitised report"),
        button=_("Share"),
        done=_("Shared: pending the recipient's acceptance."),
        call=call,
        initial=lambda r: {},
        form_kwargs={"exclude_organisation": _user(request).organisation_id},
        audit_refusals=True,
    )
