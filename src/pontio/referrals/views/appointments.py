"""Rescheduling an appointment (``services.appointments``): a new date, time, way or place
with the reason, and the appointment's history of changes under the form.

The page needs ``referrals.work`` and reads the referral and the appointment for "change"
through ``scoped_get``: another provider's appointment (or the police) get "not found" and
the attempt is audited. A refusal (not booked, no reason, nothing changed, a stale version)
is shown on the form and audited as a denial.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.core.access import permission_required, scoped_get
from pontio.core.scopes import restrict
from pontio.referrals.forms.provider import RescheduleForm
from pontio.referrals.models import Appointment, AppointmentChange, Party, Referral
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.sections import ReferralSection, register_section
from pontio.referrals.services.appointments import appointment_reschedule
from pontio.referrals.views.common import context_of, detail_url, referral_crumbs, user_of
from pontio.referrals.views.provider import changeable


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, pk: int, appointment_pk: int) -> HttpResponse:
    referral = changeable(request, pk)
    user = user_of(request)
    appointment = scoped_get(
        request,
        Appointment.objects.filter(referral_id=referral.pk).prefetch_related(
            Prefetch(
                "changes",
                queryset=restrict(AppointmentChange.objects.all(), user, "view").select_related(
                    "actor"
                ),
            )
        ),
        appointment_pk,
        "change",
        audit_read=False,
    )
    when = timezone.localtime(appointment.starts_at)
    form = RescheduleForm(
        request.POST or None,
        initial={
            "version": appointment.version,
            "on": when.date(),
            "time": when.strftime("%H:%M"),
            "mode": appointment.mode,
            "place": appointment.place,
        },
    )
    title = _("Reschedule the appointment")
    if request.method == "POST" and form.is_valid():
        try:
            appointment_reschedule(
                context=context_of(request),
                actor=user,
                appointment_id=appointment.pk,
                expected_version=form.cleaned_data["version"],
                starts_at=form.starts_at(),
                mode=form.cleaned_data["mode"],
                place=form.cleaned_data["place"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            audit_refusal(request, error, referral=referral)
            form.add_validation_error(error)
        else:
            messages.success(request, _("The appointment has been rescheduled."))
            return HttpResponseRedirect(detail_url(referral))
    return render(
        request,
        "referrals/appointment_reschedule.html",
        {
            "form": form,
            "referral": referral,
            "appointment": appointment,
            "changes": list(appointment.changes.all()),
            "title": title,
            "crumbs": referral_crumbs(referral, title),
        },
    )


def summary_section(user: object, referral: Referral, party: str) -> dict[str, object] | None:
    """The end-of-service summary on the provider's page (the police page shows it in its
    Outcome section): what the referring officer reads."""
    if party != Party.PROVIDER or not (referral.outcome_against_reason or referral.outcome_summary):
        return None
    return {
        "outcome": referral.get_outcome_against_reason_display(),
        "summary": referral.outcome_summary,
    }


register_section(
    ReferralSection(
        "end_of_service_summary", "referrals/_summary_section.html", summary_section, order=5
    )
)

urlpatterns: list[URLPattern] = [
    path(
        "<int:pk>/appointments/<int:appointment_pk>/reschedule/",
        reschedule,
        name="appointment-reschedule",
    ),
]
