"""Break-glass: the reason form that opens one record outside a user's scope, and the
list auditors review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts import services
from pontio.accounts.forms import (
    BreakGlassForm,
)
from pontio.accounts.models import BreakGlassGrant
from pontio.accounts.views.sign_in import safe_next
from pontio.audit.services import audit_request
from pontio.core.access import permission_required
from pontio.core.recording import AuditAction
from pontio.core.scopes import may_break_glass, registered_models, restrict


def _model_for(label: str) -> Any:
    for model in registered_models():
        if model._meta.label_lower == label:
            return model
    return None


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, model_label: str, pk: str) -> HttpResponse:
    """Ask for time-limited access to one record outside the user's scope, with a reason."""
    model = _model_for(model_label)
    if model is None or not may_break_glass(request.user, model):
        raise PermissionDenied(model_label)
    form = BreakGlassForm(request.POST or None)
    target = safe_next(request, request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_grant(
                request=request, model=model, object_id=pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request, _("Access granted for 8 hours. Your reason has been recorded.")
            )
            return HttpResponseRedirect(target)
    return render(request, "accounts/break_glass.html", {"form": form})


@permission_required("audit.view_log")
def break_glass_list(request: HttpRequest) -> HttpResponse:
    """For auditors: every break-glass grant, with the reason given."""
    grants = (
        restrict(BreakGlassGrant.objects.all(), request.user, "view")
        .select_related("content_type")
        .order_by("-granted_at")
    )
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    audit_request(request, AuditAction.READ, object_type="accounts.breakglassgrant")
    return render(
        request,
        "accounts/break_glass_list.html",
        {
            "page": page,
            "crumbs": [
                (_("Audit log"), reverse("audit:event-list")),
                (_("Break-glass access"), None),
            ],
        },
    )
