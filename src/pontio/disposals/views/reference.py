"""Administrators keep the disposals' reference data (``disposals.manage_reference``): the
disposal types with their rules and in-force dates, and the diversion scheme; the gravity
factors and the matrix's outcomes are listed with them.

Rows are never deleted: ending a type is giving it an end date ("In use until"), so older
disposals are still judged by the rules of the type they were given. The pages call
``services.reference_data`` (audited, version-checked), as custody's reference pages do.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.scopes import restrict
from pontio.disposals.forms.reference import DisposalTypeForm, SchemeForm
from pontio.disposals.models import (
    DisposalType,
    DiversionScheme,
    GravityFactor,
    GravityOutcome,
)
from pontio.disposals.services import reference_data

PERMISSION = reference_data.PERMISSION


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _crumbs(title: Any) -> list[tuple[Any, str | None]]:
    return [(_("Disposals reference data"), reverse("disposals:reference")), (title, None)]


@permission_required(PERMISSION)
def reference_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    types = (
        restrict(DisposalType.objects.all(), user, "view")
        .prefetch_related("excluded_offences")
        .order_by("sort_order", "code")
    )
    factors = restrict(GravityFactor.objects.all(), user, "view").order_by("sort_order", "code")
    outcomes = (
        restrict(GravityOutcome.objects.all(), user, "view")
        .select_related("disposal_type")
        .order_by("score", "sort_order", "code")
    )
    schemes = restrict(DiversionScheme.objects.all(), user, "view").order_by("sort_order", "code")
    return render(
        request,
        "disposals/reference/list.html",
        {
            "types": types,
            "factors": factors,
            "outcomes": outcomes,
            "schemes": schemes,
            "crumbs": [(_("Disposals reference data"), None)],
        },
    )


def _form_page(
    request: HttpRequest, form: Any, title: str, subject: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "disposals/reference/form.html",
        {"form": form, "title": title, "subject": subject, "crumbs": _crumbs(title)},
        status=status,
    )


@permission_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def type_create(request: HttpRequest) -> HttpResponse:
    form = DisposalTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = reference_data.reference_create(
                context=AuditContext.from_request(request),
                actor=_user(request),
                model=DisposalType,
                values=form.values(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": obj})
            return HttpResponseRedirect(reverse("disposals:reference"))
    return _form_page(request, form, _("Add a disposal type"))


def _edit(request: HttpRequest, model: Any, form_class: Any, pk: int, title: str) -> HttpResponse:
    obj = scoped_get(request, model.objects.all(), pk, "change", audit_read=False)
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            reference_data.reference_update(
                context=AuditContext.from_request(request),
                actor=_user(request),
                model=model,
                pk=obj.pk,
                expected_version=form.cleaned_data.get("version"),
                values=form.values(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("%(name)s has been updated.") % {"name": obj.label})
            return HttpResponseRedirect(reverse("disposals:reference"))
    return _form_page(request, form, title, subject=str(obj.label))


@permission_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, DisposalType, DisposalTypeForm, pk, _("Change a disposal type"))


@permission_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, DiversionScheme, SchemeForm, pk, _("Change the diversion scheme"))


urlpatterns: list[URLPattern] = [
    path("reference/", reference_list, name="reference"),
    path("reference/types/new/", type_create, name="reference-type-new"),
    path("reference/types/<int:pk>/", type_edit, name="reference-type-edit"),
    path("reference/schemes/<int:pk>/", scheme_edit, name="reference-scheme-edit"),
]
