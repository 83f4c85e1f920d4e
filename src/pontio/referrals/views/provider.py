"""The provider's side of a referral: the full record and the moves (accept, reject, hold,
resume, close).

Every page needs ``referrals.work`` and fetches the referral for "change" through
``scoped_get``, so another provider's referral (or one outside a caseworker's counties) is
"not found" and the attempt is audited. The services decide every rule; when one refuses
(a move not allowed, an unknown code, a stale version), the page says exactly why, nothing
changes, and the refusal is audited as a denial. Which buttons show is ``actions_for``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.core.access import permission_required, scoped_get
from pontio.core.phones import national_format
from pontio.referrals import lifecycle, selectors, services, sla
from pontio.referrals.actions import actions_for
from pontio.referrals.forms.provider import (
    ClosingForm,
    CodedMoveForm,
    ResumeForm,
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
from pontio.referrals.panels import panels_for
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.sections import sections_for
from pontio.referrals.views.common import context_of, detail_url, referral_crumbs, user_of


def changeable(request: HttpRequest, pk: int) -> Referral:
    return scoped_get(request, Referral.objects.all(), pk, "change", audit_read=False)


def provider_detail(request: HttpRequest, referral: Referral) -> HttpResponse:
    """The whole referral for its provider (already scoped and audited by the caller)."""
    user = user_of(request)
    today = timezone.localdate()
    person = referral.person
    context: dict[str, Any] = {
        "referral": referral,
        "person": person,
        "age": services.age_on(person.date_of_birth, today),
        "status_tag": selectors.STATUS_TAGS.get(referral.status, ""),
        "phone": national_format(referral.contact_phone) if referral.contact_phone else "",
        "channels": [str(ContactChannel(c).label) for c in referral.contact_channels],
        "substances": list(referral.substances.all()),
        "timers": sla.timer_states(referral, today),
        "events": selectors.history(referral, user),
        "attempts": selectors.contact_attempts(referral, user),
        "appointments": list(selectors.appointments_with_changes(referral, user)),
        "clinical": selectors.clinical_records(referral, user),
        "top_entries": selectors.top_entries(referral, user),
        "top_substances": TOP_SUBSTANCES,
        "actions": actions_for(referral, user),
        "attendance_choices": [
            (Appointment.Attendance.ATTENDED, _("Attended")),
            (Appointment.Attendance.DID_NOT_ATTEND, _("Did not attend")),
            (Appointment.Attendance.LEFT_EARLY, _("Attended but left early")),
            (Appointment.Attendance.CANCELLED, _("Cancelled")),
        ],
        "crumbs": referral_crumbs(referral),
        # Sections of the processes the referral came from (custody...), ``referrals.panels``.
        "panels": panels_for(user, referral),
        # Notes, amendments, questions and transfers (``referrals.sections``).
        "sections": sections_for(user, referral, Party.PROVIDER),
    }
    return render(request, "referrals/provider_detail.html", context)


def _move(
    request: HttpRequest, referral: Referral, version: int | None, to_status: str, **kw: Any
) -> Referral:
    return services.referral_transition(
        context=context_of(request),
        actor=user_of(request),
        referral_id=referral.pk,
        expected_version=version,
        to_status=to_status,
        **kw,
    )


@permission_required("referrals.work")
@require_POST
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = changeable(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return HttpResponseRedirect(detail_url(referral))
    try:
        _move(request, referral, form.cleaned_data["version"], Status.ACCEPTED)
    except ValidationError as error:
        audit_refusal(request, error, referral=referral)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The referral has been accepted."))
    return HttpResponseRedirect(detail_url(referral))


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
    reason_label: str = "",
    reason_hint: str = "",
    form_class: type[CodedMoveForm] = CodedMoveForm,
    extra: Callable[[Any], dict[str, Any]] = lambda form: {},
) -> HttpResponse:
    """A page where the provider chooses a coded reason and the move follows from it."""
    referral = changeable(request, pk)
    form = form_class(
        request.POST or None,
        codes=codes(referral),
        label=label,
        reason_label=reason_label,
        reason_hint=reason_hint,
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
                **extra(form),
            )
        except ValidationError as error:
            audit_refusal(request, error, referral=referral)
            form.add_validation_error(error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(detail_url(referral))
    return render(
        request,
        "referrals/provider_form.html",
        {
            "form": form,
            "referral": referral,
            "title": title,
            "hint": hint,
            "button": button,
            "crumbs": referral_crumbs(referral, title),
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
        reason_label=_("Message to the referring officer (optional)"),
        reason_hint=_(
            "The police will see this message with the reason you choose: do not write "
            "clinical details in it."
        ),
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
        reason_hint=_(
            "The police will see that the referral is on hold, the reason you choose and the "
            "date. They will not see this note."
        ),
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _coded_move(
        request,
        pk,
        codes=lambda r: lifecycle.closing_codes(r.status),
        to_status=lambda r, code: lifecycle.closing_status(r.status, code),
        title=_("Close the referral"),
        label=_("Reason for closure"),
        button=_("Close the referral"),
        done=_("The referral has been closed. The referring officer has been told the outcome."),
        hint=_(
            "Planned closures complete the referral and need a recorded treatment start "
            "(“referred to another service” needs a recorded assessment); the others record "
            "that it failed or could not go on."
        ),
        reason_hint=_(
            "The police will see that the referral is closed, the reason for closure you "
            "choose, whether it was planned, and the date. They will not see this note: "
            "clinical details stay with your organisation."
        ),
        # The end-of-service summary for the police (``services.summary``).
        form_class=ClosingForm,
        extra=lambda form: {
            "outcome_against_reason": form.cleaned_data["outcome_against_reason"],
            "outcome_summary": form.cleaned_data["outcome_summary"],
            "require_outcome": True,
        },
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def referral_resume(request: HttpRequest, pk: int) -> HttpResponse:
    referral = changeable(request, pk)
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
            audit_refusal(request, error, referral=referral)
            form.add_validation_error(error)
        else:
            messages.success(request, _("The hold is over and the timers run again."))
            return HttpResponseRedirect(detail_url(referral))
    return render(
        request,
        "referrals/provider_form.html",
        {
            "form": form,
            "referral": referral,
            "title": title,
            "button": _("Resume"),
            "crumbs": referral_crumbs(referral, title),
        },
    )
