"""The operations lead's pages: the list, a new operation, its page, edit, next phase.

The operation page holds everything of one operation: the phases with their dates, the
checks before enforcement, the engagement plan, the forecast, the results, the referrals
linked and the demand against the forecast, and the partners' evaluation. GET writes
nothing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pontio.audit.services import AuditContext
from pontio.core.access import permission_required
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.operations import lifecycle, selectors, services
from pontio.operations.actions import actions_for
from pontio.operations.filters import OperationFilter
from pontio.operations.forms import MoveForm, OperationForm
from pontio.operations.models import (
    Briefing,
    ForecastShare,
    IntelligenceLink,
    Operation,
    OperationEvent,
    PartnerMeeting,
    Phase,
)
from pontio.operations.panels import sections_for
from pontio.operations.views.common import (
    crumbs,
    form_page,
    operation_of,
    require_action,
    user_of,
)

PHASE_TAGS = {
    Phase.PLANNING: "govuk-tag--grey",
    Phase.COVERT: "govuk-tag--purple",
    Phase.ENFORCEMENT: "govuk-tag--red",
    Phase.AFTERCARE: "govuk-tag--blue",
    Phase.CLOSED: "govuk-tag--green",
}


def _tag(operation: Operation) -> None:
    operation.tag = PHASE_TAGS.get(Phase(operation.phase), "")  # type: ignore[attr-defined]


@permission_required("operations.view")
@require_GET
def operation_list(request: HttpRequest) -> HttpResponse:
    filters = OperationFilter(
        request.GET or None,
        queryset=selectors.operations_for(user_of(request)),
        request=request,
    )
    operations = list(filters.qs)
    for operation in operations:
        _tag(operation)
    return render(
        request,
        "operations/list.html",
        {
            "operations": operations,
            "filters": filters,
            "crumbs": [(_("Operations"), None)],
        },
        status=400 if filters.form.errors else 200,
    )


def _area_counties(request: HttpRequest) -> object:
    user = user_of(request)
    counties = County.objects.all()
    return counties if user.force_wide else counties.filter(pk__in=user.county_ids)


@permission_required("operations.manage")
@require_http_methods(["GET", "POST"])
def operation_new(request: HttpRequest) -> HttpResponse:
    counties = _area_counties(request)
    form = OperationForm(request.POST or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            operation = services.operation_create(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                code_name=data["code_name"],
                objective=data.get("objective") or "",
                county_ids=data["counties"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request,
                _("Operation %(reference)s is in its planning phase.")
                % {"reference": operation.reference},
            )
            return HttpResponseRedirect(reverse("operations:detail", args=[operation.pk]))
    return form_page(
        request,
        "operations/form.html",
        {
            "form": form,
            "title": _("New operation"),
            "action": reverse("operations:new"),
            "crumbs": crumbs(None, (_("New operation"), None)),
        },
    )


def checks_before_enforcement(operation: Operation) -> list[tuple[str, bool]]:
    """The conditions of ``lifecycle`` for starting enforcement, as the page lists them."""
    return [
        (_("A partner briefing is recorded"), operation.briefings.exists()),
        (_("The expected referrals are forecast by county and week"), operation.forecast.exists()),
        (
            _("The forecast is shared with the providers"),
            operation.forecast_shared_at is not None,
        ),
    ]


@permission_required("operations.view")
@require_GET
def operation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    operation = operation_of(request, pk)
    _tag(operation)
    actions = actions_for(operation, user)
    events = restrict(OperationEvent.objects.all(), user, "view").filter(operation=operation)
    meetings = (
        restrict(PartnerMeeting.objects.all(), user, "view")
        .filter(operation=operation)
        .prefetch_related("organisations")
    )
    briefings = (
        restrict(Briefing.objects.all(), user, "view")
        .filter(operation=operation)
        .select_related("organisation")
    )
    shares = (
        restrict(ForecastShare.objects.all(), user, "view")
        .filter(operation=operation)
        .select_related("organisation")
    )
    next_phase = lifecycle.next_phase(operation.phase)
    return render(
        request,
        "operations/detail.html",
        {
            "operation": operation,
            "actions": actions,
            "events": events.select_related("actor"),
            "meetings": meetings,
            "briefings": briefings,
            "shares": shares,
            "demand": selectors.demand_comparison(user, operation),
            "totals": selectors.operation_totals(user, operation),
            "links": selectors.linked_referrals(user, operation),
            "suggested": selectors.suggested_referrals(user, operation).count()
            if "link" in actions
            else 0,
            "evaluation": selectors.evaluation_summary(user, operation),
            "next_phase": Phase(next_phase).label if next_phase else "",
            "checks": checks_before_enforcement(operation)
            if operation.phase in (Phase.PLANNING, Phase.COVERT)
            else [],
            "intelligence": restrict(IntelligenceLink.objects.all(), user, "view")
            .filter(operation=operation)
            .select_related("report__county"),
            "sections": _sections(request, operation),
            "crumbs": crumbs(operation),
        },
    )


def _sections(request: HttpRequest, operation: Operation) -> list[dict[str, object]]:
    """Sections other apps' features add to the operation page (``operations.panels``)."""
    return sections_for(user_of(request), operation)


@permission_required("operations.manage")
@require_http_methods(["GET", "POST"])
def operation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = "change" if request.method == "POST" else "view"
    operation = operation_of(request, pk, action)
    require_action(operation, request, "edit")
    counties = _area_counties(request)
    if request.method != "POST":
        form = OperationForm(
            initial={
                "version": operation.version,
                "code_name": operation.code_name,
                "objective": operation.objective,
                "counties": [c.pk for c in operation.counties.all()],
            },
            counties=counties,
        )
    else:
        form = OperationForm(request.POST, counties=counties)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.operation_update(
                    context=AuditContext.from_request(request),
                    actor=user_of(request),
                    operation_id=operation.pk,
                    expected_version=data.get("version"),
                    code_name=data["code_name"],
                    objective=data.get("objective") or "",
                    county_ids=data["counties"],
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                messages.success(request, _("The operation is updated."))
                return HttpResponseRedirect(reverse("operations:detail", args=[operation.pk]))
    title = _("Edit the operation")
    return form_page(
        request,
        "operations/form.html",
        {
            "form": form,
            "title": title,
            "operation": operation,
            "action": reverse("operations:edit", args=[operation.pk]),
            "crumbs": crumbs(operation, (title, None)),
        },
    )


@permission_required("operations.manage")
@require_http_methods(["GET", "POST"])
def operation_move(request: HttpRequest, pk: int) -> HttpResponse:
    action = "change" if request.method == "POST" else "view"
    operation = operation_of(request, pk, action)
    require_action(operation, request, "move")
    target = lifecycle.next_phase(operation.phase)
    assert target is not None  # noqa: S101 - "move" is offered only when there is a next phase
    now = timezone.localtime()
    if request.method != "POST":
        form = MoveForm(
            initial={
                "version": operation.version,
                "started_on": now.date(),
                "started_time": now.strftime("%H:%M"),
            }
        )
    else:
        form = MoveForm(request.POST)
        if form.is_valid():
            try:
                services.operation_move(
                    context=AuditContext.from_request(request),
                    actor=user_of(request),
                    operation_id=operation.pk,
                    expected_version=form.cleaned_data["version"],
                    target=target,
                    started_at=form.started_at(),
                    reason=form.cleaned_data.get("reason") or "",
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "started_at" in error.error_dict:
                    error.error_dict["started_on"] = error.error_dict.pop("started_at")
                form.add_validation_error(error)
            else:
                messages.success(
                    request,
                    _("The operation is now in its %(phase)s phase.")
                    % {"phase": Phase(target).label.lower()},
                )
                return HttpResponseRedirect(reverse("operations:detail", args=[operation.pk]))
    title = _("Move to the %(phase)s phase") % {"phase": Phase(target).label.lower()}
    return form_page(
        request,
        "operations/move.html",
        {
            "form": form,
            "title": title,
            "operation": operation,
            "target": target,
            "checks": checks_before_enforcement(operation) if target == Phase.ENFORCEMENT else [],
            "crumbs": crumbs(operation, (title, None)),
        },
    )


urlpatterns: list[URLPattern] = [
    path("", operation_list, name="list"),
    path("new/", operation_new, name="new"),
    path("<int:pk>/", operation_detail, name="detail"),
    path("<int:pk>/edit/", operation_edit, name="edit"),
    path("<int:pk>/phase/", operation_move, name="move"),
]
