"""Link an intelligence report to an operation: the form is the section operations adds to
the report's assessment screen (``intelligence.panels``); this view takes its POST and
sends the officer back to the assessment screen with the outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.intelligence.models import IntelligenceReport
from pontio.operations import services
from pontio.operations.forms import IntelligenceLinkForm
from pontio.operations.selectors import operation_choices
from pontio.operations.views.common import user_of


@permission_required("operations.link_intelligence")
@require_POST
def intelligence_link(request: HttpRequest, report: int) -> HttpResponse:
    item = scoped_get(request, IntelligenceReport.objects.all(), report, "view", audit_read=False)
    back = reverse("intelligence:assess", args=[item.pk]) + "#operations"
    form = IntelligenceLinkForm(request.POST, choices=operation_choices(user_of(request)))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(back)
    try:
        link = services.intelligence_link(
            context=AuditContext.from_request(request),
            actor=user_of(request),
            operation_id=form.cleaned_data["operation"],
            report_id=item.pk,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The report is linked to operation %(reference)s.")
            % {"reference": link.operation.reference},
        )
    return HttpResponseRedirect(back)


urlpatterns: list[URLPattern] = [
    path("intelligence/<int:report>/link/", intelligence_link, name="intelligence-link"),
]
