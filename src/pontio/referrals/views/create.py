"""Making a referral from a person record, in two steps.

Step 1 is one page of what the officer knows; what they typed is kept on the server as a
draft of the officer for that person (``services.drafts``; never in a URL), saved at every
post of step 1, so it survives the idle timeout, signing out and another device. Step 2
shows the service Pontio proposes and why, every other service that could take the
referral, and those that cannot with the reasons. Sending uses an idempotency key made when
step 2 is first shown and kept in the draft, so a double submit (from two devices too)
returns the referral already made (``services.repeated_send``). Step 2 also warns of the
person's open referrals that the officer may see, with a link to add to one instead.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.core.access import permission_required, scoped_get
from pontio.core.phones import national_format
from pontio.people.models import ConsentRecord, Language, Person
from pontio.referrals import routing, services, sources
from pontio.referrals.forms.police import ChooseServiceForm, ReferralForm, data_from_draft
from pontio.referrals.models import ContactChannel, Pathway, Referral
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.services import drafts
from pontio.referrals.views.common import Crumbs, context_of, user_of

NONE = "\N{EN DASH}"  # shown for an empty answer, as on the person pages
# The step 1 button that saves the draft without checking that it is complete.
SAVE_DRAFT = "save_draft"


def _referable_person(request: HttpRequest, person_pk: int) -> Person:
    return scoped_get(
        request, Person.objects.filter(is_active=True), person_pk, "view", person_id=str(person_pk)
    )


def _posted_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("draft_version", ""))
    except ValueError:
        return None


def _typed(form: ReferralForm, request: HttpRequest) -> dict[str, Any]:
    """What was typed, as the draft keeps it: parsed values, and the raw text of a text
    field that did not parse (so nothing typed is lost; it is checked again on sending)."""
    values = form.to_session()
    values["consent_given"] = form.cleaned_data.get("consent_given") or ""
    for name in form.errors:
        field = form.fields.get(name)
        if name in drafts.DRAFT_KEYS and isinstance(field, forms.CharField):
            values[name] = request.POST.get(name, "")[: drafts.MAX_DRAFT_TEXT]
    return values


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
    user, context = user_of(request), context_of(request)
    draft = drafts.draft_load(context=context, actor=user, person_id=person.pk)
    initial = dict(draft.data) if draft else ReferralForm.initial_for(person)
    initial.update(sources.initial_from(request.GET, user, person))
    form = ReferralForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        parsed = form.is_valid()
        # Every post keeps what was typed on the server (the draft), complete or not.
        version = _posted_version(request)
        try:
            draft = drafts.draft_save(
                context=context,
                actor=user,
                person_id=person.pk,
                data=_typed(form, request),
                expected_version=version,
                check=version is not None,
            )
        except ValidationError as error:  # a stale version, or a draft too big to keep
            form.add_validation_error(error)
            audit_refusal(request, error, person_id=person.pk, what="draft")
            draft = drafts.draft_for(user, person.pk)
            parsed = False
        if SAVE_DRAFT in request.POST and draft is not None and not form.non_field_errors():
            messages.success(
                request,
                _("Your draft referral for %(person)s has been saved.") % {"person": person},
            )
            return HttpResponseRedirect(reverse("referrals:drafts"))
        try:
            # Checked even when the form is not, so that every problem shows at once.
            services.check_referral_data(form.to_data(), person)
        except ValidationError as error:
            form.add_validation_error(_unless_consent_unanswered(form, error))
        else:
            if parsed:
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
            "draft": draft,
            "save_draft": SAVE_DRAFT,
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
        (_("Email address"), contact.email or NONE),
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


def _add_url(referral: Referral) -> str | None:
    """Where to add to an open referral instead (the notes page, a change of details)."""
    try:
        return reverse("referrals:note-add", args=[referral.pk]) + "?category=change"
    except NoReverseMatch:
        return None


def open_referral_rows(user: User, person: Person) -> list[dict[str, Any]]:
    """The duplicate warning: the person's open referrals the officer may see, each with a
    link to add to it instead (referrals outside their scope are not mentioned)."""
    return [
        {
            "reference": r.reference,
            "service": r.service.display_name,
            "status": r.get_status_display(),
            "sent_on": r.sent_on,
            "add_url": _add_url(r),
            "url": reverse("referrals:detail", args=[r.pk]),
        }
        for r in drafts.open_referrals(user, person.pk)
    ]


@permission_required("referrals.create")
@require_http_methods(["GET", "POST"])
def create_provider(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Step 2: the proposed service and the other eligible ones; send."""
    person = _referable_person(request, person_pk)
    user, context = user_of(request), context_of(request)
    draft = drafts.draft_load(context=context, actor=user, person_id=person.pk)
    if draft is None:
        # A second click on "Send" after the referral went (on this device or another):
        # show the one already made.
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
        data = services.check_referral_data(data_from_draft(draft.data), person)
        options, proposed = services.service_options(person, data)
    except ValidationError:
        messages.info(request, _("Check the details of the referral and continue."))
        return HttpResponseRedirect(reverse("referrals:create", args=[person.pk]))
    if not draft.idempotency_key:
        # Kept in the draft, so a send from another device uses the same key.
        draft = drafts.draft_set_key(
            context=context, actor=user, draft_id=draft.pk, key=uuid.uuid4().hex
        )
    key = draft.idempotency_key
    form = ChooseServiceForm(
        request.POST or None,
        initial={"service": proposed.service.pk if proposed else None, "key": key},
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral, created = drafts.draft_send(
                context=context,
                actor=user,
                person_id=person.pk,
                data=data,
                service_id=form.cleaned_data["service"],
                idempotency_key=key,
            )
        except ValidationError as error:
            form.add_validation_error(error)
            audit_refusal(request, error, person_id=person.pk, what="referral")
        else:
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
            "key": key,
            "open_referrals": open_referral_rows(user, person),
            "crumbs": _create_crumbs(
                person,
                (_("Refer to support"), reverse("referrals:create", args=[person.pk])),
                (_("Choose the service"), None),
            ),
        },
    )
