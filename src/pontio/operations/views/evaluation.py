"""The partner evaluation: a briefed organisation's staff answer it once, after the
operation closes. The page names no operation: only its counties and when it closed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.operations import selectors, services
from pontio.operations.forms import EvaluationForm
from pontio.operations.models import Evaluation
from pontio.operations.views.common import form_page, user_of


@permission_required("operations.evaluate")
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    action = "change" if request.method == "POST" else "view"
    item = scoped_get(
        request,
        Evaluation.objects.select_related("operation").filter(
            organisation_id=user.organisation_id or 0
        ),
        pk,
        action,
        audit_read=False,
    )
    form = None if item.answered_at else EvaluationForm(request.POST or None)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_answer(
                context=AuditContext.from_request(request),
                actor=user,
                evaluation_id=item.pk,
                briefed_in_time=data["briefed_in_time"],
                enough_detail=data["enough_detail"],
                demand=data["demand"],
                comment=data.get("comment") or "",
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("Thank you: your organisation's answers are recorded."))
            return HttpResponseRedirect(reverse("core:home"))
    title = _("Evaluate a police operation")
    return form_page(
        request,
        "operations/evaluation.html",
        {
            "form": form,
            "item": item,
            "title": title,
            "counties": selectors.evaluation_counties(item),
            "closed_on": item.operation.closed_at,
            "crumbs": [(title, None)],
        },
    )


urlpatterns: list[URLPattern] = [
    path("evaluations/<int:pk>/", evaluation, name="evaluation"),
]
