"""The engagement plan's pages: record a partnership meeting, record a briefing."""

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
from pontio.operations.forms import BriefingForm, MeetingForm
from pontio.operations.views.common import (
    crumbs,
    form_page,
    operation_of,
    require_action,
    user_of,
)


@permission_required("operations.manage")
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_of(request, pk, "change" if request.method == "POST" else "view")
    require_action(operation, request, "engage")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_record(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                operation_id=operation.pk,
                held_on=data["held_on"],
                level=data["level"],
                organisation_ids=data.get("organisations") or [],
                other_attendees=data.get("other_attendees") or "",
                summary=data["summary"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The partnership meeting is recorded."))
            return HttpResponseRedirect(
                reverse("operations:detail", args=[operation.pk]) + "#engagement"
            )
    title = _("Record a partnership meeting")
    return form_page(
        request,
        "operations/record.html",
        {
            "form": form,
            "title": title,
            "operation": operation,
            "action": reverse("operations:meeting", args=[operation.pk]),
            "button": _("Record the meeting"),
            "crumbs": crumbs(operation, (title, None)),
        },
    )


@permission_required("operations.manage")
@require_http_methods(["GET", "POST"])
def briefing_new(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_of(request, pk, "change" if request.method == "POST" else "view")
    require_action(operation, request, "engage")
    form = BriefingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.briefing_record(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                operation_id=operation.pk,
                organisation_id=data["organisation"],
                recipient=data["recipient"],
                briefed_at=form.briefed_at(),
                level=data["level"],
                shared=data["shared"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "briefed_at" in error.error_dict:
                error.error_dict["briefed_on"] = error.error_dict.pop("briefed_at")
            form.add_validation_error(error)
        else:
            messages.success(request, _("The briefing is recorded."))
            return HttpResponseRedirect(
                reverse("operations:detail", args=[operation.pk]) + "#engagement"
            )
    title = _("Record a briefing")
    return form_page(
        request,
        "operations/record.html",
        {
            "form": form,
            "title": title,
            "operation": operation,
            "action": reverse("operations:briefing", args=[operation.pk]),
            "button": _("Record the briefing"),
            "hint": _(
                "Record who was told, when, at what level and what they were told. A briefing "
                "cannot be changed once recorded: record a further one to correct it."
            ),
            "crumbs": crumbs(operation, (title, None)),
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/meetings/new/", meeting_new, name="meeting"),
    path("<int:pk>/briefings/new/", briefing_new, name="briefing"),
]
