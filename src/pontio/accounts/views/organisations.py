"""Organisation administration."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts import services
from pontio.accounts.forms import (
    OrganisationForm,
)
from pontio.accounts.models import Organisation
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.scopes import restrict


@permission_required("accounts.manage_organisations")
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = (
        restrict(Organisation.objects.all(), request.user, "view")
        .annotate(user_count=Count("users"))
        .prefetch_related("counties")
    )
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "organisations": organisations,
            "may_create": restrict(Organisation.objects.all(), request.user, "change").exists(),
            "crumbs": [(_("Organisations"), None)],
        },
    )


def _organisation_form_page(
    request: HttpRequest, form: OrganisationForm, org: Organisation | None
) -> HttpResponse:
    crumbs = [
        (_("Organisations"), reverse("accounts:organisation-list")),
        (org.display_name if org else _("Add an organisation"), None),
    ]
    return render(
        request, "accounts/organisation_form.html", {"form": form, "org": org, "crumbs": crumbs}
    )


@permission_required("accounts.manage_organisations")
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_create(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                data=form.to_data(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The organisation has been added."))
            return HttpResponseRedirect(reverse("accounts:organisation-list"))
    return _organisation_form_page(request, form, None)


@permission_required("accounts.manage_organisations")
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = scoped_get(request, Organisation.objects.all(), pk, "change", audit_read=False)
    form = OrganisationForm(
        request.POST or None, editing=True, initial=OrganisationForm.initial_for(org)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                context=AuditContext.from_request(request),
                actor=request.user,  # type: ignore[arg-type]
                organisation_id=org.pk,
                expected_version=form.cleaned_data["version"],
                data=form.to_data(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The organisation has been updated."))
            return HttpResponseRedirect(reverse("accounts:organisation-list"))
    return _organisation_form_page(request, form, org)
