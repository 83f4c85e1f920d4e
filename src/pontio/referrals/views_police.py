"""Police pages of referrals: make one from a person record, follow it, withdraw or re-send it.

Making a referral takes two steps. Step 1 is one page of what the officer knows; what they
typed is kept in the session under the person's record number (never in a URL). Step 2
shows the service Pontio proposes and why, every other service that could take the
referral, and those that cannot with the reasons. Sending uses an idempotency key made when
step 2 is first shown, so a double submit returns the referral already made.

The police see status, timers and outcome; they never see clinical rows (assessment,
treatment start, Treatment Outcomes Profile) or the provider's notes of contact attempts.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.permissions import has_permission
from pontio.core.phones import national_format
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people.models import ConsentRecord, Language, Person
from pontio.referrals import lifecycle, routing, services, sla, sources
from pontio.referrals.forms_police import (
    ChooseServiceForm,
    ReferralForm,
    ResendForm,
    WithdrawForm,
    data_from_draft,
)
from pontio.referrals.models import (
    Alert,
    Appointment,
    ContactAttempt,
    ContactChannel,
    Party,
    Pathway,
    Referral,
    ReferralEvent,
    Status,
)
from pontio.referrals.selectors import status_tag

SESSION_DRAFTS = "pontio_referral_drafts"
NONE = "\N{EN DASH}"  # shown for an empty answer, as on the person pages


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _context(request: HttpRequest) -> AuditContext:
    return AuditContext.from_request(request)


def _refusal_codes(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        codes = [e.code or name for name, errors in error.error_dict.items() for e in errors]
    else:
        codes = [e.code or "invalid" for e in error.error_list]
    return ", ".join(sorted({str(c) for c in codes}))[:150]


def _audit_refusal(
    request: HttpRequest, error: ValidationError, what: str, person_id: int, object_id: Any = ""
) -> None:
    """A refused change is logged like any other denial (what was refused, never the text)."""
    audit_request(
        request,
        AuditAction.DENIED,
        object_type="referrals.referral",
        object_id=str(object_id),
        person_id=person_id,
        reason=f"{what} refused: {_refusal_codes(error)}",
    )


# --- create, step 1: the details --------------------------------------------------------------


def _referable_person(request: HttpRequest, person_pk: int) -> Person:
    return scoped_get(
        request, Person.objects.filter(is_active=True), person_pk, "view", person_id=str(person_pk)
    )


def _draft(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    draft = (request.session.get(SESSION_DRAFTS) or {}).get(str(person.pk))
    return dict(draft) if draft else None


def _save_draft(request: HttpRequest, person: Person, draft: dict[str, Any]) -> None:
    drafts = dict(request.session.get(SESSION_DRAFTS) or {})
    drafts[str(person.pk)] = draft
    request.session[SESSION_DRAFTS] = drafts


def _clear_draft(request: HttpRequest, person: Person) -> None:
    drafts = dict(request.session.get(SESSION_DRAFTS) or {})
    drafts.pop(str(person.pk), None)
    request.session[SESSION_DRAFTS] = drafts


def _create_crumbs(person: Person, *extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (_("People"), reverse("people:list")),
        (str(person), reverse("people:detail", args=[person.pk])),
        *extra,
    ]


def _unless_consent_unanswered(form: ReferralForm, error: ValidationError) -> ValidationError:
    """Without an answer about consent, asking for a basis "without consent" would mislead."""
    if "consent_given" not in form.errors or not hasattr(error, "error_dict"):
        return error
    skip = {"lawful_basis", "policy_reference"}
    return ValidationError({k: v for k, v in error.error_dict.items() if k not in skip})


@permission_required("referrals.create")
@require_http_methods(["GET", "POST"])
def create_details(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Step 1: one page of what the officer knows; checked by the same rules as sending."""
    person = _referable_person(request, person_pk)
    draft = _draft(request, person)
    initial = dict(draft["data"]) if draft else ReferralForm.initial_for(person)
    initial.update(sources.initial_from(request.GET, _user(request), person))
    form = ReferralForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        parsed = form.is_valid()
        try:
            # Checked even when the form is not, so that every problem shows at once.
            services.check_referral_data(form.to_data(), person)
        except ValidationError as error:
            form.add_validation_error(_unless_consent_unanswered(form, error))
        else:
            if parsed:
                key = draft.get("key", "") if draft else ""
                _save_draft(request, person, {"data": form.to_session(), "key": key})
                return HttpResponseRedirect(reverse("referrals:create-provider", args=[person.pk]))
    consent = form["consent_given"].value()
    return render(
        request,
        "referrals/create_referral.html",
        {
            "form": form,
            "person": person,
            "consent_no": consent == "no",
            "consent_yes": consent == "yes",
            "crumbs": _create_crumbs(person, (_("Refer to support"), None)),
        },
    )


# --- create, step 2: the service ----------------------------------------------------------------


def _summary(data: services.ReferralData) -> list[tuple[str, str]]:
    """What will be sent, as (label, value) rows in the user's language."""
    contact = data.contact
    if data.consent_given:
        consent = _("Yes")
    else:
        consent = _("No: %(basis)s (policy %(policy)s)") % {
            "basis": ConsentRecord.Basis(data.lawful_basis).label,
            "policy": data.policy_reference,
        }
    address = ", ".join(
        p
        for p in (
            contact.address_line_1,
            contact.address_line_2,
            contact.address_town,
            contact.address_postcode,
        )
        if p
    )
    rows = [
        (_("Police contact"), str(Pathway(data.pathway).label)),
        (_("Contact reference"), data.source_reference or NONE),
        (_("Reason"), data.reason),
        (_("Substances"), ", ".join(s.label for s in data.substances)),
        (_("Risks"), data.risk_notes or NONE),
        (_("Safeguarding"), data.safeguarding_notes or NONE),
        (_("Consent"), consent),
        (_("Preferred language"), str(Language(data.preferred_language).label)),
        (
            _("How to contact"),
            ", ".join(str(ContactChannel(c).label) for c in contact.channels),
        ),
        (_("When to contact"), data.contact_times or NONE),
        (_("Phone number"), national_format(contact.phone) if contact.phone else NONE),
        (_("Address"), address or NONE),
        (_("Custody release plan"), contact.release_plan or NONE),
        (_("County"), data.county.label if data.county else NONE),
    ]
    return [(str(label), str(value)) for label, value in rows]


def _option_rows(options: list[routing.Option]) -> list[dict[str, Any]]:
    return [
        {
            "pk": o.service.pk,
            "name": o.service.display_name,
            "organisation": o.service.organisation.display_name,
            "reasons": o.reasons,
            "problems": o.problems,
        }
        for o in options
    ]


@permission_required("referrals.create")
@require_http_methods(["GET", "POST"])
def create_provider(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Step 2: the proposed service and the other eligible ones; send."""
    person = _referable_person(request, person_pk)
    user = _user(request)
    draft = _draft(request, person)
    if draft is None:
        # A second click on "Send" after the referral went: show the one already made.
        key = (request.POST.get("key") or "").strip()
        if request.method == "POST" and key:
            sent = Referral.objects.filter(referred_by=user, idempotency_key=key[:80]).first()
            if sent is not None:
                messages.info(request, _("This referral has already been sent."))
                return HttpResponseRedirect(reverse("referrals:detail", args=[sent.pk]))
        return HttpResponseRedirect(reverse("referrals:create", args=[person.pk]))
    try:
        data = services.check_referral_data(data_from_draft(draft["data"]), person)
        options = routing.route(services.need_for(person, data))
    except ValidationError:
        messages.info(request, _("Check the details of the referral and continue."))
        return HttpResponseRedirect(reverse("referrals:create", args=[person.pk]))
    if not draft.get("key"):
        draft["key"] = uuid.uuid4().hex
        _save_draft(request, person, draft)
    proposed = routing.proposal(options)
    form = ChooseServiceForm(
        request.POST or None,
        initial={"service": proposed.service.pk if proposed else None, "key": draft["key"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral, created = services.referral_create(
                context=_context(request),
                actor=user,
                person_id=person.pk,
                data=data,
                service_id=form.cleaned_data["service"],
                idempotency_key=draft["key"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
            _audit_refusal(request, error, "referral", person.pk)
        else:
            _clear_draft(request, person)
            if created:
                messages.success(
                    request,
                    _("Referral %(reference)s has been sent to %(provider)s.")
                    % {"reference": referral.reference, "provider": referral.provider.name},
                )
            else:
                messages.info(request, _("This referral has already been sent."))
            return HttpResponseRedirect(reverse("referrals:detail", args=[referral.pk]))
    chosen = form["service"].value()
    return render(
        request,
        "referrals/create_provider.html",
        {
            "form": form,
            "person": person,
            "proposed": _option_rows([proposed])[0] if proposed else None,
            "eligible": _option_rows([o for o in options if o.eligible]),
            "ineligible": _option_rows([o for o in options if not o.eligible]),
            "chosen": str(chosen) if chosen else "",
            "summary": _summary(data),
            "key": draft["key"],
            "crumbs": _create_crumbs(
                person,
                (_("Refer to support"), reverse("referrals:create", args=[person.pk])),
                (_("Choose the service"), None),
            ),
        },
    )


# --- the referral as the police see it ----------------------------------------------------------


def _may_change(user: User, referral: Referral) -> bool:
    return (
        has_permission(user, "referrals.withdraw")
        and restrict(Referral.objects.filter(pk=referral.pk), user, "change").exists()
    )


def police_detail(request: HttpRequest, referral: Referral) -> HttpResponse:
    """Status, timers, contact and appointments, outcome and history: nothing clinical."""
    user = _user(request)
    today = timezone.localdate()
    events = restrict(ReferralEvent.objects.filter(referral=referral), user, "view").select_related(
        "code", "actor_organisation"
    )
    history = [
        {
            "at": e.at,
            "from": Status(e.from_status).label if e.from_status else "",
            "to": Status(e.to_status).label,
            "code": e.code.label if e.code else "",
            "reason": e.reason,
            "organisation": e.actor_organisation.name if e.actor_organisation else "",
        }
        for e in events
    ]
    # Only the columns the police may see: a contact attempt's notes are the provider's.
    attempts = [
        {
            "at": a["at"],
            "channel": ContactChannel(a["channel"]).label,
            "outcome": ContactAttempt.Outcome(a["outcome"]).label,
        }
        for a in restrict(ContactAttempt.objects.filter(referral=referral), user, "view").values(
            "at", "channel", "outcome"
        )
    ]
    appointments = [
        {
            "starts_at": a["starts_at"],
            "kind": Appointment.Kind(a["kind"]).label,
            "attendance": Appointment.Attendance(a["attendance"]).label,
            "dna": a["attendance"] == Appointment.Attendance.DID_NOT_ATTEND,
        }
        for a in restrict(Appointment.objects.filter(referral=referral), user, "view").values(
            "starts_at", "kind", "attendance"
        )
    ]
    resent_as = Referral.objects.filter(transferred_from=referral).only("pk", "reference").first()
    may_change = _may_change(user, referral)
    return render(
        request,
        "referrals/police_detail.html",
        {
            "referral": referral,
            "person": referral.person,
            "tag": status_tag(referral.status),
            "substances": [s.label for s in referral.substances.all()],
            "timers": sla.timer_states(referral, today),
            "history": history,
            "attempts": attempts,
            "appointments": appointments,
            "finished": not referral.is_open,
            "resent_from": referral.transferred_from,
            "resent_as": resent_as,
            "may_withdraw": may_change and referral.is_open,
            "may_resend": may_change
            and resent_as is None
            and (referral.is_open or referral.status == Status.REJECTED),
            "crumbs": [(_("Referrals"), _inbox_url()), (referral.reference, None)],
        },
    )


def _inbox_url() -> str | None:
    from django.urls import NoReverseMatch

    try:
        return reverse("referrals:inbox")
    except NoReverseMatch:
        return None


def _referral_crumbs(referral: Referral, title: str) -> list[tuple[str, str | None]]:
    return [
        (_("Referrals"), _inbox_url()),
        (referral.reference, reverse("referrals:detail", args=[referral.pk])),
        (title, None),
    ]


def _changeable(request: HttpRequest, pk: int) -> Referral:
    return scoped_get(
        request,
        Referral.objects.select_related("person", "service", "provider"),
        pk,
        "change",
        audit_read=False,
    )


# --- withdraw and re-send -----------------------------------------------------------------------


@permission_required("referrals.withdraw")
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    codes = [
        c
        for c in lifecycle.codes_for(Status.CANCELLED, Party.POLICE)
        if c.code != "CAN_TRANSFERRED"  # re-sending elsewhere has its own page
    ]
    form = WithdrawForm(request.POST or None, codes=codes, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_transition(
                context=_context(request),
                actor=_user(request),
                referral_id=referral.pk,
                expected_version=form.cleaned_data["version"],
                to_status=Status.CANCELLED,
                code=form.cleaned_data["code"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            form.add_validation_error(error)
            _audit_refusal(request, error, "withdrawal", referral.person_id, referral.pk)
        else:
            messages.success(
                request,
                _("Referral %(reference)s has been withdrawn.") % {"reference": referral.reference},
            )
            return HttpResponseRedirect(reverse("referrals:detail", args=[referral.pk]))
    return render(
        request,
        "referrals/police_withdraw.html",
        {
            "form": form,
            "referral": referral,
            "crumbs": _referral_crumbs(referral, _("Withdraw the referral")),
        },
    )


@permission_required("referrals.withdraw")
@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    try:
        options = routing.route(services.need_for(referral.person, services.data_of(referral)))
    except ValidationError:
        options = []
    form = ResendForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.referral_resend(
                context=_context(request),
                actor=_user(request),
                referral_id=referral.pk,
                expected_version=form.cleaned_data["version"],
                service_id=form.cleaned_data["service"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
            _audit_refusal(request, error, "re-send", referral.person_id, referral.pk)
        else:
            messages.success(
                request,
                _("The referral has been sent to %(provider)s as %(reference)s.")
                % {"provider": new.provider.name, "reference": new.reference},
            )
            return HttpResponseRedirect(reverse("referrals:detail", args=[new.pk]))
    chosen = form["service"].value()
    return render(
        request,
        "referrals/police_resend.html",
        {
            "form": form,
            "referral": referral,
            "eligible": _option_rows(
                [o for o in options if o.eligible and o.service.pk != referral.service_id]
            ),
            "ineligible": _option_rows([o for o in options if not o.eligible]),
            "chosen": str(chosen) if chosen else "",
            "crumbs": _referral_crumbs(referral, _("Send to another provider")),
        },
    )


# --- alerts -------------------------------------------------------------------------------------


@permission_required("referrals.create")
def alerts(request: HttpRequest) -> HttpResponse:
    """The user's alerts about referrals they made or supervise, unread first."""
    rows = (
        restrict(Alert.objects.all(), _user(request), "view")
        .select_related("referral")
        .annotate(
            read_order=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("read_order", "-created_at", "-pk")
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    for alert in page:
        alert.tag = status_tag(alert.referral.status)  # type: ignore[attr-defined]
    return render(
        request,
        "referrals/police_alerts.html",
        {
            "page": page,
            "unread": restrict(
                Alert.objects.filter(read_at__isnull=True), _user(request), "view"
            ).count(),
            "crumbs": [(_("Referrals"), _inbox_url()), (_("Alerts"), None)],
        },
    )


urlpatterns: list[URLPattern] = [
    path("new/<int:person_pk>/", create_details, name="create"),
    path("new/<int:person_pk>/provider/", create_provider, name="create-provider"),
    path("<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("<int:pk>/resend/", resend, name="resend"),
    path("alerts/", alerts, name="alerts"),
]
