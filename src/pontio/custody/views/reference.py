"""Administrators keep the custody reference data: suites (with their notifications, by
cohort and age group, dated) and offences (Act, section, trigger, class-A-only, dated).

Rows are never deleted: ending one is giving it an end date ("In use until"), so older
records are still judged by the rows in force at the time. Pontio has no Django admin:
these pages call ``services.reference_create`` / ``reference_update`` (audited,
version-checked), as the counties page calls ``core.reference.county_update``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pontio.core.access import permission_required, scoped_get
from pontio.core.scopes import restrict
from pontio.custody import services
from pontio.custody.forms import NotificationForm, OffenceForm, SuiteForm
from pontio.custody.models import CustodySuite, Offence, SuiteNotification
from pontio.custody.views.common import context_of, user_of

FORMS: dict[str, type[SuiteForm] | type[NotificationForm] | type[OffenceForm]] = {
    "suite": SuiteForm,
    "notification": NotificationForm,
    "offence": OffenceForm,
}
TITLES = {
    "suite": (gettext_lazy("Add a custody suite"), gettext_lazy("Change a custody suite")),
    "notification": (
        gettext_lazy("Add a notification of arrangements"),
        gettext_lazy("Change a notification of arrangements"),
    ),
    "offence": (gettext_lazy("Add an offence"), gettext_lazy("Change an offence")),
}


def _crumbs(title: Any) -> list[tuple[Any, str | None]]:
    return [(_("Custody reference data"), reverse("custody:reference")), (title, None)]


@permission_required("custody.manage_reference")
def reference_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    suites = list(
        restrict(CustodySuite.objects.all(), user, "view")
        .select_related("county")
        .prefetch_related("notifications")
        .order_by("sort_order", "code")
    )
    offences = restrict(Offence.objects.all(), user, "view").order_by("sort_order", "code")
    return render(
        request,
        "custody/reference_list.html",
        {"suites": suites, "offences": offences, "crumbs": [(_("Custody reference data"), None)]},
    )


def _label(obj: models.Model) -> str:
    if isinstance(obj, SuiteNotification):
        return str(obj.suite.label)
    return str(getattr(obj, "label", obj))


@permission_required("custody.manage_reference")
@require_http_methods(["GET", "POST"])
def reference_create(request: HttpRequest, kind: str) -> HttpResponse:
    form_class = FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.reference_create(
                context=context_of(request),
                actor=user_of(request),
                model=services.REFERENCE_MODELS[kind],
                values=form.values(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": _label(obj)})
            return HttpResponseRedirect(reverse("custody:reference"))
    title = TITLES[kind][0]
    return render(
        request,
        "custody/reference_form.html",
        {"form": form, "title": title, "crumbs": _crumbs(title)},
    )


@permission_required("custody.manage_reference")
@require_http_methods(["GET", "POST"])
def reference_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = services.REFERENCE_MODELS[kind]
    obj = scoped_get(request, model._default_manager.all(), pk, "change", audit_read=False)
    form_class = FORMS[kind]
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_update(
                context=context_of(request),
                actor=user_of(request),
                model=model,
                pk=obj.pk,
                expected_version=form.cleaned_data.get("version"),
                values=form.values(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("%(name)s has been updated.") % {"name": _label(obj)})
            return HttpResponseRedirect(reverse("custody:reference"))
    title = TITLES[kind][1]
    return render(
        request,
        "custody/reference_form.html",
        {"form": form, "title": title, "subject": _label(obj), "crumbs": _crumbs(title)},
    )
