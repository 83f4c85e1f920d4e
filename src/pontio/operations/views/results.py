"""The results' pages: record arrests, charges and convictions; record a seizure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.audit.services import AuditContext
from pontio.core.access import permission_required
from pontio.operations import services
from pontio.operations.forms import ResultForm, SeizureForm
from pontio.operations.views.common import (
    crumbs,
    form_page,
    operation_of,
    require_action,
    user_of,
)


@permission_required("operations.manage")
@require_http_methods(["GET", "POST"])
def result_new(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_of(request, pk, "change" if request.method == "POST" else "view")
    require_action(operation, request, "results")
    form = ResultForm(request.POST or None, counties=operation.counties.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.result_record(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                operation_id=operation.pk,
                county_id=data["county"],
                recorded_on=data["recorded_on"],
                arrests=data["arrests"],
                charges=data["charges"],
                convictions=data["convictions"],
                note=data.get("note") or "",
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The results are recorded."))
            return HttpResponseRedirect(
                reverse("operations:detail", args=[operation.pk]) + "#results"
            )
    title = _("Record arrests, charges and convictions")
    return form_page(
        request,
        "operations/record.html",
        {
            "form": form,
            "title": title,
            "operation": operation,
            "action": reverse("operations:result", args=[operation.pk]),
            "button": _("Record the results"),
            "crumbs": crumbs(operation, (title, None)),
        },
    )


@permission_required("operations.manage")
@require_http_methods(["GET", "POST"])
def seizure_new(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_of(request, pk, "change" if request.method == "POST" else "view")
    require_action(operation, request, "results")
    form = SeizureForm(request.POST or None, counties=operation.counties.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.seizure_record(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                operation_id=operation.pk,
                county_id=data["county"],
                seized_on=data["seized_on"],
                drug=data["drug"],
                quantity=data["quantity"],
                unit=data["unit"],
                street_value_pence=data["street_value"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "street_value_pence" in error.error_dict:
                error.error_dict["street_value"] = error.error_dict.pop("street_value_pence")
            form.add_validation_error(error)
        else:
            messages.success(request, _("The seizure is recorded."))
            return HttpResponseRedirect(
                reverse("operations:detail", args=[operation.pk]) + "#results"
            )
    title = _("Record a seizure")
    return form_page(
        request,
        "operations/record.html",
        {
            "form": form,
            "title": title,
            "operation": operation,
            "action": reverse("operations:seizure", args=[operation.pk]),
            "button": _("Record the seizure"),
            "crumbs": crumbs(operation, (title, None)),
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/results/new/", result_new, name="result"),
    path("<int:pk>/seizures/new/", seizure_new, name="seizure"),
]
