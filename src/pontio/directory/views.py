"""Directory pages: officers search; provider managers keep their own services up to date.

Views parse input and render; rules live in ``services`` (writes) and ``selectors`` (reads).
The search, detail and export are open to every role (``directory.search`` is every role);
the check is made in the view body rather than with ``@permission_required`` because the
access-matrix test expects every-role routes to declare no permission, and it still narrows
the pages if the permission is ever narrowed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import permission_required, require_permission, scoped_get
from pontio.core.concurrency import StaleVersionError
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.directory import selectors, services
from pontio.directory.actions import (
    CHANGE_STATUS,
    EDIT,
    actions_for,
    organisations_for_new_services,
)
from pontio.directory.filters import ServiceFilter
from pontio.directory.forms import ServiceForm, StatusForm
from pontio.directory.models import DirectoryOrganisation, Service

SEARCH_PERMISSION = "directory.search"
MANAGE_PERMISSION = "directory.manage"


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Home"), reverse("core:home")), *extra]


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    require_permission(request, SEARCH_PERMISSION)
    submitted = bool(request.GET)
    search = ServiceFilter(
        request.GET if submitted else None,
        queryset=selectors.searchable_services(request.user),
        request=request,
    )
    page = None
    if submitted and search.is_valid():
        page = Paginator(search.qs.order_by("name", "pk"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/search.html",
        {
            "form": search.form,
            "page": page,
            "may_manage": has_permission(request.user, MANAGE_PERMISSION),
            "crumbs": _crumbs((_("Service directory"), None)),
        },
    )


@require_GET
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request, SEARCH_PERMISSION)
    service = scoped_get(request, selectors.service_detail_queryset(request.user), pk, "view")
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            # What the user may do with it (``directory.actions``): the page shows only those.
            "service_actions": actions_for(service, request.user),
            "crumbs": _crumbs(
                (_("Service directory"), reverse("directory:search")),
                (service.display_name, None),
            ),
        },
    )


@require_GET
def export(request: HttpRequest) -> JsonResponse:
    """The whole directory as Open Referral UK (HSDS 3) service objects."""
    require_permission(request, SEARCH_PERMISSION)
    data = selectors.hsds_export(request.user)
    audit_request(request, AuditAction.EXPORT, object_type="directory.service")
    response = JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="pontio-directory-hsds3.json"'
    return response


# --- providers: their own services ------------------------------------------------------


@permission_required(MANAGE_PERMISSION)
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.managed_services(request.user), 50).get_page(request.GET.get("page"))
    may_create = organisations_for_new_services(request.user).exists()
    return render(
        request,
        "directory/manage.html",
        {
            "page": page,
            "may_create": may_create,
            "crumbs": _crumbs(
                (_("Service directory"), reverse("directory:search")),
                (_("Your services"), None),
            ),
        },
    )


def _changeable(request: HttpRequest, pk: int, action: str) -> Service:
    """A service on which ``action`` is open to the user (``directory.actions``); the
    audited 404 when it is outside their change scope."""
    service = scoped_get(
        request, Service.objects.select_related("organisation"), pk, "change", audit_read=False
    )
    if action not in actions_for(service, request.user):
        raise PermissionDenied
    return service


def _form_page(
    request: HttpRequest, form: ServiceForm, service: Service | None, status: int = 200
) -> HttpResponse:
    title = _("Change service") if service else _("Add a service")
    return render(
        request,
        "directory/service_form.html",
        {
            "form": form,
            "service": service,
            "title": title,
            "crumbs": _crumbs(
                (_("Service directory"), reverse("directory:search")),
                (_("Your services"), reverse("directory:manage")),
                (title, None),
            ),
        },
        status=status,
    )


def _refused(request: HttpRequest, form: ServiceForm, error: PermissionDenied) -> None:
    form.add_error(None, str(error) or services.not_yours_message())


@permission_required(MANAGE_PERMISSION)
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    organisations = organisations_for_new_services(request.user)
    initial = {}
    if organisations.count() == 1:
        initial["organisation"] = organisations.first()
    form = ServiceForm(
        request.POST or None, organisations=organisations, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                organisation_id=form.cleaned_data["organisation"].pk,
                data=form.to_data(),
            )
        except PermissionDenied as error:
            _refused(request, form, error)
            return _form_page(request, form, None, status=403)
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The service has been added."))
            return HttpResponseRedirect(reverse("directory:service-detail", args=[service.pk]))
    return _form_page(request, form, None)


@permission_required(MANAGE_PERMISSION)
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = _changeable(request, pk, EDIT)
    organisations = restrict(
        DirectoryOrganisation.objects.filter(pk=service.organisation_id), request.user, "view"
    )
    form = ServiceForm(
        request.POST or None,
        organisations=organisations,
        user=request.user,
        editing=True,
        initial=ServiceForm.initial_for(service),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                service_id=service.pk,
                expected_version=form.cleaned_data["version"],
                data=form.to_data(),
            )
        except PermissionDenied as error:
            _refused(request, form, error)
            return _form_page(request, form, service, status=403)
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The service has been updated."))
            return HttpResponseRedirect(reverse("directory:service-detail", args=[service.pk]))
    return _form_page(request, form, service)


@permission_required(MANAGE_PERMISSION)
@require_POST
def service_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate or reactivate a service (a button on the service page)."""
    service = _changeable(request, pk, CHANGE_STATUS)
    form = StatusForm(request.POST)
    target = reverse("directory:service-detail", args=[service.pk])
    if not form.is_valid():
        messages.error(
            request, _("The status could not be changed. Reload the page and try again.")
        )
        return HttpResponseRedirect(target)
    try:
        services.service_set_status(
            context=AuditContext.from_request(request),
            actor=request.user,  # type: ignore[arg-type]
            service_id=service.pk,
            expected_version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    except StaleVersionError as error:
        messages.error(request, error.messages[0])
    else:
        if form.cleaned_data["status"] == Service.Status.INACTIVE:
            messages.success(request, _("The service has been deactivated."))
        else:
            messages.success(request, _("The service has been reactivated."))
    return HttpResponseRedirect(target)
