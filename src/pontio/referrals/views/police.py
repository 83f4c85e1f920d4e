"""The referral as the police see it, withdrawing it, sending it elsewhere, and alerts.

The police see status, timers and outcome; they never see clinical rows (assessment,
treatment start, Treatment Outcomes Profile) or the provider's notes of contact attempts.
Which buttons show is ``actions_for``'s answer; the services refuse by the same rules.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.core.access import permission_required, scoped_get
from pontio.referrals import lifecycle, selectors, services, sla
from pontio.referrals.actions import actions_for
from pontio.referrals.forms.police import ResendForm, WithdrawForm
from pontio.referrals.models import (
    Appointment,
    ContactAttempt,
    ContactChannel,
    Party,
    Referral,
    Status,
)
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.sections import sections_for
from pontio.referrals.views.common import (
    context_of,
    detail_url,
    inbox_url,
    referral_crumbs,
    user_of,
)
from pontio.referrals.views.create import option_rows


def police_detail(request: HttpRequest, referral: Referral) -> HttpResponse:
    """Status, timers, contact and appointments, outcome and history: nothing clinical."""
    user = user_of(request)
    today = timezone.localdate()
    history = [
        {
            "at": e.at,
            "from": Status(e.from_status).label if e.from_status else "",
            "to": Status(e.to_status).label,
            "code": e.code.label if e.code else "",
            "reason": e.reason,
            "organisation": e.actor_organisation.display_name if e.actor_organisation else "",
        }
        for e in selectors.history(referral, user)
    ]
    # Only the columns the police may see: a contact attempt's notes are the provider's.
    attempts = [
        {
            "at": a["at"],
            "channel": ContactChannel(a["channel"]).label,
            "outcome": ContactAttempt.Outcome(a["outcome"]).label,
        }
        for a in selectors.contact_attempts(referral, user).values("at", "channel", "outcome")
    ]
    # How it happens, and that (and when) it was rescheduled: never where or why (the
    # provider's reason may be clinical).
    appointments = [
        {
            "starts_at": a.starts_at,
            "kind": a.get_kind_display(),
            "mode": a.get_mode_display(),
            "attendance": a.get_attendance_display(),
            "dna": a.attendance == Appointment.Attendance.DID_NOT_ATTEND,
            "rescheduled": [c.at for c in a.changes.all()],
        }
        for a in selectors.appointments_with_changes(referral, user)
    ]
    return render(
        request,
        "referrals/police_detail.html",
        {
            # Notes, amendments, questions and transfers (``referrals.sections``).
            "sections": sections_for(user, referral, Party.POLICE),
            "referral": referral,
            "person": referral.person,
            "tag": selectors.status_tag(referral.status),
            "substances": [s.label for s in referral.substances.all()],
            "consent": selectors.consent_of(referral, user),
            "timers": sla.timer_states(referral, today),
            "history": history,
            "attempts": attempts,
            "appointments": appointments,
            "finished": not referral.is_open,
            "resent_from": referral.transferred_from,
            "resent_as": selectors.resent_as(referral, user),
            "actions": actions_for(referral, user),
            "crumbs": referral_crumbs(referral),
        },
    )


def _changeable(request: HttpRequest, pk: int) -> Referral:
    return scoped_get(
        request,
        Referral.objects.select_related("person", "service", "provider"),
        pk,
        "change",
        audit_read=False,
    )


@permission_required("referrals.withdraw")
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    form = WithdrawForm(
        request.POST or None,
        codes=lifecycle.withdrawal_codes(),
        initial={"version": referral.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_transition(
                context=context_of(request),
                actor=user_of(request),
                referral_id=referral.pk,
                expected_version=form.cleaned_data["version"],
                to_status=Status.CANCELLED,
                code=form.cleaned_data["code"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            form.add_validation_error(error)
            audit_refusal(request, error, referral=referral, what="withdrawal")
        else:
            messages.success(
                request,
                _("Referral %(reference)s has been withdrawn.") % {"reference": referral.reference},
            )
            return HttpResponseRedirect(detail_url(referral))
    return render(
        request,
        "referrals/police_withdraw.html",
        {
            "form": form,
            "referral": referral,
            "crumbs": referral_crumbs(referral, _("Withdraw the referral")),
        },
    )


@permission_required("referrals.withdraw")
@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    try:
        options, _proposed = services.service_options(referral.person, services.data_of(referral))
    except ValidationError:
        options = []
    form = ResendForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.referral_resend(
                context=context_of(request),
                actor=user_of(request),
                referral_id=referral.pk,
                expected_version=form.cleaned_data["version"],
                service_id=form.cleaned_data["service"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
            audit_refusal(request, error, referral=referral, what="re-send")
        else:
            messages.success(
                request,
                _("The referral has been sent to %(provider)s as %(reference)s.")
                % {"provider": new.provider.display_name, "reference": new.reference},
            )
            return HttpResponseRedirect(detail_url(new))
    chosen = form["service"].value()
    return render(
        request,
        "referrals/police_resend.html",
        {
            "form": form,
            "referral": referral,
            "eligible": option_rows(
                [o for o in options if o.eligible and o.service.pk != referral.service_id]
            ),
            "ineligible": option_rows([o for o in options if not o.eligible]),
            "chosen": str(chosen) if chosen else "",
            "crumbs": referral_crumbs(referral, _("Send to another provider")),
        },
    )


@permission_required("referrals.create")
def alerts(request: HttpRequest) -> HttpResponse:
    """The user's alerts about referrals they made or supervise, unread first."""
    user = user_of(request)
    page = Paginator(selectors.alerts_of(user), 25).get_page(request.GET.get("page"))
    for alert in page:
        alert.tag = selectors.status_tag(alert.referral.status)  # type: ignore[attr-defined]
    return render(
        request,
        "referrals/police_alerts.html",
        {
            "page": page,
            "unread": selectors.unread_alerts(user),
            "crumbs": [(_("Referrals"), inbox_url()), (_("Alerts"), None)],
        },
    )
