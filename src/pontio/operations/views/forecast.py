"""The forecast's pages: its rows (add or change one, remove one) and sharing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from pontio.audit.services import AuditContext
from pontio.core.access import permission_required
from pontio.core.scopes import restrict
from pontio.operations import selectors, services
from pontio.operations.forms import ForecastRowForm, VersionForm
from pontio.operations.models import ForecastRow, Operation
from pontio.operations.views.common import (
    crumbs,
    form_page,
    operation_of,
    require_action,
    user_of,
)


def _page(request: HttpRequest, operation: Operation, form: ForecastRowForm) -> HttpResponse:
    title = _("Expected referrals")
    return form_page(
        request,
        "operations/forecast.html",
        {
            "form": form,
            "title": title,
            "operation": operation,
            "rows": restrict(ForecastRow.objects.all(), user_of(request), "view")
            .filter(operation=operation)
            .select_related("county"),
            "crumbs": crumbs(operation, (title, None)),
        },
    )


@permission_required("operations.manage")
@require_http_methods(["GET", "POST"])
def forecast(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_of(request, pk, "change" if request.method == "POST" else "view")
    require_action(operation, request, "forecast")
    counties = operation.counties.all()
    if request.method != "POST":
        return _page(
            request,
            operation,
            ForecastRowForm(initial={"version": operation.version}, counties=counties),
        )
    form = ForecastRowForm(request.POST, counties=counties)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = services.forecast_row_set(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                operation_id=operation.pk,
                expected_version=data["version"],
                county_id=data["county"],
                week_starting=data["week_starting"],
                expected_referrals=data["expected_referrals"],
                expected_safeguarding=data["expected_safeguarding"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request,
                _("Forecast for %(county)s, week of %(week)s, saved.")
                % {"county": row.county.label, "week": f"{row.week_starting:%d/%m/%Y}"},
            )
            return HttpResponseRedirect(reverse("operations:forecast", args=[operation.pk]))
    operation.refresh_from_db()
    return _page(request, operation, form)


@permission_required("operations.manage")
@require_POST
def forecast_remove(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    operation = operation_of(request, pk, "change")
    require_action(operation, request, "forecast")
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date. Nothing was removed."))
    else:
        try:
            services.forecast_row_remove(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                operation_id=operation.pk,
                expected_version=form.cleaned_data["version"],
                row_id=row,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The forecast row is removed."))
    return HttpResponseRedirect(reverse("operations:forecast", args=[operation.pk]))


@permission_required("operations.manage")
@require_http_methods(["GET", "POST"])
def forecast_share(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_of(request, pk, "change" if request.method == "POST" else "view")
    require_action(operation, request, "forecast")
    form = VersionForm(request.POST or None, initial={"version": operation.version})
    if request.method == "POST" and form.is_valid():
        try:
            shared = services.forecast_share(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                operation_id=operation.pk,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request,
                ngettext(
                    "The forecast is shared with %(n)s provider.",
                    "The forecast is shared with %(n)s providers.",
                    len(shared),
                )
                % {"n": len(shared)},
            )
            return HttpResponseRedirect(reverse("operations:detail", args=[operation.pk]))
    title = _("Share the forecast with the providers")
    return form_page(
        request,
        "operations/share.html",
        {
            "form": form,
            "title": title,
            "operation": operation,
            "providers": services.providers_for(operation),
            "preview": selectors.demand_comparison(user_of(request), operation).rows,
            "crumbs": crumbs(operation, (title, None)),
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/forecast/", forecast, name="forecast"),
    path("<int:pk>/forecast/<int:row>/remove/", forecast_remove, name="forecast-remove"),
    path("<int:pk>/forecast/share/", forecast_share, name="forecast-share"),
]
