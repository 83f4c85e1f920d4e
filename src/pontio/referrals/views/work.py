"""The provider's work pages: contact attempts, appointments and attendance, clinical
records, Treatment Outcomes Profiles, and allocating a caseworker.

Each page records one piece of work through its service and returns to the referral; a
refusal is shown on the form and audited as a denial.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.referrals import selectors, services
from pontio.referrals.forms.provider import (
    AllocateForm,
    AppointmentForm,
    AttendanceForm,
    ClinicalRecordForm,
    ContactAttemptForm,
    TopForm,
)
from pontio.referrals.models import Appointment, Referral
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.views.common import context_of, detail_url, referral_crumbs, user_of
from pontio.referrals.views.provider import changeable


def _work_page(
    request: HttpRequest,
    referral: Referral,
    form: Any,
    *,
    title: str,
    save: Callable[[Any, AuditContext, User], object],
    done: str,
    button: str | None = None,
    hint: str = "",
    template: str = "referrals/provider_form.html",
) -> HttpResponse:
    """A form that records one piece of work on the referral, then returns to it."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form, context_of(request), user_of(request))
        except ValidationError as error:
            audit_refusal(request, error, referral=referral)
            form.add_validation_error(error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(detail_url(referral))
    return render(
        request,
        template,
        {
            "form": form,
            "referral": referral,
            "title": title,
            "hint": hint,
            "button": button or _("Save"),
            "crumbs": referral_crumbs(referral, title),
        },
    )


def _now_initial() -> dict[str, Any]:
    now = timezone.localtime()
    return {"on": now.date(), "time": now.strftime("%H:%M")}


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def contact_attempt_add(request: HttpRequest, pk: int) -> HttpResponse:
    referral = changeable(request, pk)
    form = ContactAttemptForm(request.POST or None, initial=_now_initial())
    return _work_page(
        request,
        referral,
        form,
        title=_("Record a contact attempt"),
        save=lambda f, c, u: services.contact_attempt_add(
            context=c,
            actor=u,
            referral_id=referral.pk,
            at=f.at(),
            channel=f.cleaned_data["channel"],
            outcome=f.cleaned_data["outcome"],
            notes=f.cleaned_data["notes"],
        ),
        done=_("The contact attempt has been recorded."),
        hint=_(
            "Record every attempt, answered or not: the first one stops the first-contact timer."
        ),
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def appointment_add(request: HttpRequest, pk: int) -> HttpResponse:
    referral = changeable(request, pk)
    form = AppointmentForm(request.POST or None)
    return _work_page(
        request,
        referral,
        form,
        title=_("Book an appointment"),
        save=lambda f, c, u: services.appointment_book(
            context=c,
            actor=u,
            referral_id=referral.pk,
            kind=f.cleaned_data["kind"],
            starts_at=f.starts_at(),
            place=f.cleaned_data["place"],
            mode=f.cleaned_data["mode"],
        ),
        done=_("The appointment has been booked."),
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def appointment_attendance(request: HttpRequest, pk: int, appointment_pk: int) -> HttpResponse:
    referral = changeable(request, pk)
    appointment = scoped_get(
        request,
        Appointment.objects.filter(referral_id=referral.pk),
        appointment_pk,
        "change",
        audit_read=False,
    )
    form = AttendanceForm(request.POST or None, initial={"version": appointment.version})
    when = timezone.localtime(appointment.starts_at)
    return _work_page(
        request,
        referral,
        form,
        title=_("Record attendance"),
        hint=_("%(kind)s on %(date)s at %(time)s")
        % {
            "kind": appointment.get_kind_display(),
            "date": date_format(when, "j F Y"),
            "time": when.strftime("%H:%M"),
        },
        save=lambda f, c, u: services.appointment_record_attendance(
            context=c,
            actor=u,
            appointment_id=appointment.pk,
            expected_version=f.cleaned_data["version"],
            attendance=f.cleaned_data["attendance"],
        ),
        done=_("The attendance has been recorded."),
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def clinical_record_add(request: HttpRequest, pk: int) -> HttpResponse:
    referral = changeable(request, pk)
    form = ClinicalRecordForm(request.POST or None, initial={"on": timezone.localdate()})
    return _work_page(
        request,
        referral,
        form,
        title=_("Record an assessment or treatment start"),
        save=lambda f, c, u: services.clinical_record_add(
            context=c,
            actor=u,
            referral_id=referral.pk,
            kind=f.cleaned_data["kind"],
            on=f.cleaned_data["on"],
            intervention=f.cleaned_data["intervention"],
            notes=f.cleaned_data["notes"],
        ),
        done=_("The clinical record has been saved."),
        hint=_("Clinical records are your organisation's: the police never see them."),
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def top_add(request: HttpRequest, pk: int) -> HttpResponse:
    referral = changeable(request, pk)
    form = TopForm(request.POST or None, initial={"interview_date": timezone.localdate()})
    return _work_page(
        request,
        referral,
        form,
        title=_("Record a Treatment Outcomes Profile"),
        save=lambda f, c, u: services.top_record(
            context=c,
            actor=u,
            referral_id=referral.pk,
            stage=f.cleaned_data["stage"],
            interview_date=f.cleaned_data["interview_date"],
            main_substance=f.cleaned_data["main_substance"],
            values=f.values(),
        ),
        done=_("The Treatment Outcomes Profile has been saved."),
        hint=_(
            "Days are counted over the past 28 days. Leave a box empty if the person did not say."
        ),
    )


@permission_required("referrals.allocate")
@require_http_methods(["GET", "POST"])
def referral_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    referral = changeable(request, pk)
    initial = {
        "version": referral.version,
        "caseworker": str(referral.allocated_to_id) if referral.allocated_to_id else "",
    }
    form = AllocateForm(
        request.POST or None, caseworkers=selectors.caseworkers_of(referral), initial=initial
    )
    return _work_page(
        request,
        referral,
        form,
        title=_("Allocate a caseworker"),
        save=lambda f, c, u: services.referral_allocate(
            context=c,
            actor=u,
            referral_id=referral.pk,
            expected_version=f.cleaned_data["version"],
            caseworker_id=f.caseworker_id(),
        ),
        done=_("The caseworker has been allocated."),
    )
