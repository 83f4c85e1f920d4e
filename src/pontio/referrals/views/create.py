"""Making a referral from a person record, in two steps.

Step 1 is one page of what the officer knows; what they typed is kept in the session under
the person's record number (never in a URL). Step 2 shows the service Pontio proposes and
why, every other service that could take the referral, and those that cannot with the
reasons. Sending uses an idempotency key made when step 2 is first shown, so a double
submit returns the referral already made (``services.repeated_send``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.core.access import permission_required, scoped_get
from pontio.core.phones import national_format
from pontio.people.models import ConsentRecord, Language, Person
from pontio.referrals import routing, services, sources
from pontio.referrals.forms.police import ChooseServiceForm, ReferralForm, data_from_draft
from pontio.referrals.models import ContactChannel, Pathway
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.views.common import Crumbs, context_of, user_of

SESSION_DRAFTS = "pontio_referral_drafts"
NONE = "\N{EN DASH}"  # shown for an empty answer, as on the person pages


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


def _create_crumbs(person: Person, *extra: tuple[str, str | None]) -> Crumbs:
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


# --- step 1: the details ------------------------------------------------------------------


@permission_required("referrals.create")
@require_http_methods(["GET", "POST"])
def create_details(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Step 1: one page of what the officer knows; checked by the same rules as sending."""
    person = _referable_person(request, person_pk)
    draft = _draft(request, person)
    initial = dict(draft["data"]) if draft else ReferralForm.initial_for(person)
    initial.update(sources.initial_from(request.GET, user_of(request), person))
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


# --- step 2: the service ------------------------------------------------------------------


def summary_rows(data: services.ReferralData) -> list[tuple[str, str]]:
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


def option_rows(options: list[routing.Option]) -> list[dict[str, Any]]:
    return [
        {
            "pk": o.service.pk,
            "name": o.service.display_name,
            "organisation": o.service.organisation.display_name,
            "reasons": o.reasons,
            "ranking": o.ranking,
            "problems": o.problems,
        }
        for o in options
    ]


@permission_required("referrals.create")
@require_http_methods(["GET", "POST"])
def create_provider(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Step 2: the proposed service and the other eligible ones; send."""
    person = _referable_person(request, person_pk)
    user = user_of(request)
    draft = _draft(request, person)
    if draft is None:
        # A second click on "Send" after the referral went: show the one already made.
        if request.method == "POST":
            try:
                key = services.check_idempotency_key(request.POST.get("key"), required=False)
            except ValidationError:
                key = ""
            sent = services.repeated_send(actor=user, key=key)
            if sent is not None:
                messages.info(request, _("This referral has already been sent."))
                return HttpResponseRedirect(reverse("referrals:detail", args=[sent.pk]))
        return HttpResponseRedirect(reverse("referrals:create", args=[person.pk]))
    try:
        data = services.check_referral_data(data_from_draft(draft["data"]), person)
        options, proposed = services.service_options(person, data)
    except ValidationError:
        messages.info(request, _("Check the details of the referral and continue."))
        return HttpResponseRedirect(reverse("referrals:create", args=[person.pk]))
    if not draft.get("key"):
        draft["key"] = uuid.uuid4().hex
        _save_draft(request, person, draft)
    form = ChooseServiceForm(
        request.POST or None,
        initial={"service": proposed.service.pk if proposed else None, "key": draft["key"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral, created = services.referral_create(
                context=context_of(request),
                actor=user,
                person_id=person.pk,
                data=data,
                service_id=form.cleaned_data["service"],
                idempotency_key=draft["key"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
            audit_refusal(request, error, person_id=person.pk, what="referral")
        else:
            _clear_draft(request, person)
            if created:
                messages.success(
                    request,
                    _("Referral %(reference)s has been sent to %(provider)s.")
                    % {"reference": referral.reference, "provider": referral.provider.display_name},
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
            "proposed": option_rows([proposed])[0] if proposed else None,
            "eligible": option_rows([o for o in options if o.eligible]),
            "ineligible": option_rows([o for o in options if not o.eligible]),
            "chosen": str(chosen) if chosen else "",
            "summary": summary_rows(data),
            "key": draft["key"],
            "crumbs": _create_crumbs(
                person,
                (_("Refer to support"), reverse("referrals:create", args=[person.pk])),
                (_("Choose the service"), None),
            ),
        },
    )
