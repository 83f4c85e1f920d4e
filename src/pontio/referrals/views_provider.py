"""The provider's side of a referral: the full record, the moves and the work pages.

Every page needs ``referrals.work`` and fetches the referral for "change" through
``scoped_get``, so another provider's referral (or one outside a caseworker's counties) is
"not found" and the attempt is audited. The services decide every rule; when one refuses
(a move not allowed, an unknown code, a stale version), the page says exactly why, nothing
changes, and the refusal is audited as a denial.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.accounts.models import User
from pontio.accounts.roles import PROVIDER_ROLES
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.permissions import has_permission
from pontio.core.phones import national_format
from pontio.core.recording import AuditAction
from pontio.referrals import lifecycle, services, sla
from pontio.referrals.forms_provider import (
    AllocateForm,
    AppointmentForm,
    AttendanceForm,
    ClinicalRecordForm,
    CodedMoveForm,
    ContactAttemptForm,
    ResumeForm,
    TopForm,
    VersionForm,
)
from pontio.referrals.models import (
    TOP_SUBSTANCES,
    Appointment,
    ContactChannel,
    Party,
    Referral,
    ReferralCode,
    Status,
)
from pontio.referrals.selectors import STATUS_TAGS

CLOSING = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _changeable(request: HttpRequest, pk: int) -> Referral:
    return scoped_get(request, Referral.objects.all(), pk, "change", audit_read=False)


def _detail_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def _crumbs(referral: Referral, *extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (_("Referrals"), reverse("referrals:inbox")),
        (str(referral.reference), _detail_url(referral)),
        *extra,
    ]


def _refused(request: HttpRequest, referral: Referral, error: ValidationError) -> None:
    """A request the rules refused is a denial: audited with the rule's code, no values."""
    if hasattr(error, "error_dict"):
        codes = sorted({e.code or "invalid" for errs in error.error_dict.values() for e in errs})
    else:
        codes = sorted({e.code or "invalid" for e in error.error_list})
    audit_request(
        request,
        AuditAction.DENIED,
        obj=referral,
        person_id=referral.person_id,
        reason="refused: " + ", ".join(codes),
    )


# --- the referral as the provider sees it ------------------------------------------------


def _closing_codes(status: str) -> list[ReferralCode]:
    """Closure codes of the moves open from ``status`` (all of them if none is open, so
    the page still explains why the referral cannot be closed)."""
    moves = lifecycle.allowed_moves(status)
    allowed = [c for s in CLOSING if s in moves for c in lifecycle.codes_for(s, Party.PROVIDER)]
    if allowed:
        return allowed
    return [c for s in CLOSING for c in lifecycle.codes_for(s, Party.PROVIDER)]


def provider_detail(request: HttpRequest, referral: Referral) -> HttpResponse:
    """The whole referral for its provider (already scoped and audited by the caller)."""
    user = _user(request)
    today = timezone.localdate()
    person = referral.person
    moves = lifecycle.allowed_moves(referral.status)
    working = referral.status in services.WORKING
    appointments = list(referral.appointments.select_related("recorded_by"))
    context: dict[str, Any] = {
        "referral": referral,
        "person": person,
        "age": services.age_on(person.date_of_birth, today),
        "status_tag": STATUS_TAGS.get(referral.status, ""),
        "phone": national_format(referral.contact_phone) if referral.contact_phone else "",
        "channels": [str(ContactChannel(c).label) for c in referral.contact_channels],
        "substances": list(referral.substances.all()),
        "timers": sla.timer_states(referral, today),
        "events": referral.events.select_related("actor", "actor_organisation", "code"),
        "attempts": referral.contact_attempts.select_related("recorded_by"),
        "appointments": appointments,
        "clinical": referral.clinical.select_related("recorded_by"),
        "top_entries": referral.top_entries.all(),
        "top_substances": TOP_SUBSTANCES,
        "may_accept": Status.ACCEPTED in moves and referral.status != Status.ON_HOLD,
        "may_reject": Status.REJECTED in moves,
        "may_hold": Status.ON_HOLD in moves,
        "may_resume": referral.status == Status.ON_HOLD,
        "may_close": bool(moves & {Status.COMPLETED, Status.FAILED}),
        "may_record": working,
        "may_allocate": has_permission(user, "referrals.allocate"),
        "attendance_choices": [
            (Appointment.Attendance.ATTENDED, _("Attended")),
            (Appointment.Attendance.DID_NOT_ATTEND, _("Did not attend")),
            (Appointment.Attendance.CANCELLED, _("Cancelled")),
        ],
        "crumbs": [(_("Referrals"), reverse("referrals:inbox")), (str(referral.reference), None)],
    }
    return render(request, "referrals/provider_detail.html", context)


# --- moves -------------------------------------------------------------------------------


def _move(
    request: HttpRequest, referral: Referral, version: int | None, to_status: str, **kw: Any
) -> Referral:
    return services.referral_transition(
        context=AuditContext.from_request(request),
        actor=_user(request),
        referral_id=referral.pk,
        expected_version=version,
        to_status=to_status,
        **kw,
    )


@permission_required("referrals.work")
@require_POST
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return HttpResponseRedirect(_detail_url(referral))
    try:
        _move(request, referral, form.cleaned_data["version"], Status.ACCEPTED)
    except ValidationError as error:
        _refused(request, referral, error)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The referral has been accepted."))
    return HttpResponseRedirect(_detail_url(referral))


def _coded_move(
    request: HttpRequest,
    pk: int,
    *,
    codes: Callable[[Referral], list[ReferralCode]],
    to_status: Callable[[Referral, str], str],
    title: str,
    label: str,
    button: str,
    done: str,
    hint: str = "",
) -> HttpResponse:
    """A page where the provider chooses a coded reason and the move follows from it."""
    referral = _changeable(request, pk)
    form = CodedMoveForm(
        request.POST or None,
        codes=codes(referral),
        label=label,
        initial={"version": referral.version},
    )
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            _move(
                request,
                referral,
                form.cleaned_data["version"],
                to_status(referral, code),
                code=code,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _refused(request, referral, error)
            form.add_validation_error(error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(_detail_url(referral))
    return render(
        request,
        "referrals/provider_form.html",
        {
            "form": form,
            "referral": referral,
            "title": title,
            "hint": hint,
            "button": button,
            "crumbs": _crumbs(referral, (title, None)),
        },
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def referral_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _coded_move(
        request,
        pk,
        codes=lambda r: lifecycle.codes_for(Status.REJECTED, Party.PROVIDER),
        to_status=lambda r, code: Status.REJECTED,
        title=_("Reject the referral"),
        label=_("Why can you not take this referral?"),
        button=_("Reject the referral"),
        done=_("The referral has been rejected. The referring officer has been told."),
        hint=_("The referring officer and their supervisors are told, so they can refer again."),
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def referral_hold(request: HttpRequest, pk: int) -> HttpResponse:
    return _coded_move(
        request,
        pk,
        codes=lambda r: lifecycle.codes_for(Status.ON_HOLD, Party.PROVIDER),
        to_status=lambda r, code: Status.ON_HOLD,
        title=_("Put the referral on hold"),
        label=_("Why is the work paused?"),
        button=_("Put on hold"),
        done=_("The referral is on hold."),
        hint=_("Some reasons pause the service-level timers until you resume the work."),
    )


def _closing_status(referral: Referral, code: str) -> str:
    found = ReferralCode.objects.filter(code=code).only("leads_to").first()
    if found is not None and found.leads_to in CLOSING:
        return str(found.leads_to)
    # Unknown or not a closing code: aim at a closing move open now, so that the service
    # explains what is wrong with the code itself.
    moves = lifecycle.allowed_moves(referral.status)
    return next((s for s in (Status.FAILED, Status.COMPLETED) if s in moves), Status.COMPLETED)


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _coded_move(
        request,
        pk,
        codes=lambda r: _closing_codes(r.status),
        to_status=_closing_status,
        title=_("Close the referral"),
        label=_("Reason for closure"),
        button=_("Close the referral"),
        done=_("The referral has been closed. The referring officer has been told the outcome."),
        hint=_(
            "Planned closures complete the referral; the others record that it failed or "
            "could not go on. Planned closures can be chosen once the work is in progress."
        ),
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def referral_resume(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    initial = {"version": referral.version, "to_status": Status.IN_PROGRESS}
    form = ResumeForm(request.POST or None, initial=initial)
    title = _("Resume the work")
    if request.method == "POST" and form.is_valid():
        try:
            _move(
                request,
                referral,
                form.cleaned_data["version"],
                form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _refused(request, referral, error)
            form.add_validation_error(error)
        else:
            messages.success(request, _("The hold is over and the timers run again."))
            return HttpResponseRedirect(_detail_url(referral))
    return render(
        request,
        "referrals/provider_form.html",
        {
            "form": form,
            "referral": referral,
            "title": title,
            "button": _("Resume"),
            "crumbs": _crumbs(referral, (title, None)),
        },
    )


# --- work pages --------------------------------------------------------------------------


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
            save(form, AuditContext.from_request(request), _user(request))
        except ValidationError as error:
            _refused(request, referral, error)
            form.add_validation_error(error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(_detail_url(referral))
    return render(
        request,
        template,
        {
            "form": form,
            "referral": referral,
            "title": title,
            "hint": hint,
            "button": button or _("Save"),
            "crumbs": _crumbs(referral, (title, None)),
        },
    )


def _now_initial() -> dict[str, Any]:
    now = timezone.localtime()
    return {"on": now.date(), "time": now.strftime("%H:%M")}


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def contact_attempt_add(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
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
    referral = _changeable(request, pk)
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
        ),
        done=_("The appointment has been booked."),
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def appointment_attendance(request: HttpRequest, pk: int, appointment_pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
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
            "date": when.strftime("%d/%m/%Y"),
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
    referral = _changeable(request, pk)
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
    referral = _changeable(request, pk)
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


def _caseworkers(referral: Referral) -> list[User]:
    return list(
        User.objects.filter(
            organisation_id=referral.provider_id,
            is_active=True,
            role_grants__role__in=list(PROVIDER_ROLES),
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@permission_required("referrals.allocate")
@require_http_methods(["GET", "POST"])
def referral_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    initial = {
        "version": referral.version,
        "caseworker": str(referral.allocated_to_id) if referral.allocated_to_id else "",
    }
    form = AllocateForm(request.POST or None, caseworkers=_caseworkers(referral), initial=initial)
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


urlpatterns = [
    path("<int:pk>/accept/", referral_accept, name="accept"),
    path("<int:pk>/reject/", referral_reject, name="reject"),
    path("<int:pk>/hold/", referral_hold, name="hold"),
    path("<int:pk>/resume/", referral_resume, name="resume"),
    path("<int:pk>/close/", referral_close, name="close"),
    path("<int:pk>/contact-attempts/new/", contact_attempt_add, name="contact-attempt-add"),
    path("<int:pk>/appointments/new/", appointment_add, name="appointment-add"),
    path(
        "<int:pk>/appointments/<int:appointment_pk>/attendance/",
        appointment_attendance,
        name="appointment-attendance",
    ),
    path("<int:pk>/clinical/new/", clinical_record_add, name="clinical-add"),
    path("<int:pk>/top/new/", top_add, name="top-add"),
    path("<int:pk>/allocate/", referral_allocate, name="allocate"),
]
