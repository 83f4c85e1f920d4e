"""Amending a referral (police), asking the police for information (provider) and
answering (police), with the two sections both referral pages show: the changelog of
amendments and the questions with their answers (``referrals.sections``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.core.access import permission_required, scoped_get
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.referrals.forms.amend import (
    AmendForm,
    InformationAnswerForm,
    InformationRequestForm,
    initial_of,
)
from pontio.referrals.models import (
    ContactChannel,
    InformationRequest,
    Party,
    Referral,
    ReferralAmendment,
)
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.sections import ReferralSection, register_section
from pontio.referrals.services.amend import (
    AMENDABLE,
    field_label,
    information_answer,
    information_codes,
    information_request,
    referral_amend,
)
from pontio.referrals.views.common import context_of, detail_url, referral_crumbs, user_of

# --- the sections ------------------------------------------------------------------------


def _shown(name: str, value: Any) -> str:
    if name == "contact_channels":
        labels = []
        for code in value or []:
            try:
                labels.append(str(ContactChannel(code).label))
            except ValueError:
                labels.append(str(code))
        return ", ".join(labels)
    return str(value or "")


def amendments_section(user: User, referral: Referral, party: str) -> dict[str, Any] | None:
    """The changelog: who (organisation and name), when, each field before and after."""
    amendments = list(
        restrict(ReferralAmendment.objects.filter(referral=referral), user, "view")
        .select_related("actor", "actor_organisation")
        .order_by("-at", "-pk")
    )
    may_amend = (
        party == Party.POLICE and referral.is_open and has_permission(user, "referrals.withdraw")
    )
    if not amendments and not may_amend:
        return None
    rows = [
        {
            "at": a.at,
            "who": str(a.actor),
            "organisation": a.actor_organisation.display_name,
            "reason": a.reason,
            "changes": [
                {
                    "label": field_label(c.get("field", ""))
                    if c.get("field") in AMENDABLE
                    else str(c.get("field", "")),
                    "before": _shown(c.get("field", ""), c.get("before")),
                    "after": _shown(c.get("field", ""), c.get("after")),
                }
                for c in a.changes
            ],
        }
        for a in amendments
    ]
    return {"amendments": rows, "may_amend": may_amend, "referral": referral}


def _organisation(user: User) -> str:
    return user.organisation.display_name if user.organisation is not None else ""


def information_section(user: User, referral: Referral, party: str) -> dict[str, Any] | None:
    """The provider's questions to the police, open and answered."""
    asked = list(
        restrict(InformationRequest.objects.filter(referral=referral), user, "view")
        .select_related("code", "asked_by__organisation", "answered_by__organisation")
        .order_by("-asked_at", "-pk")
    )
    is_open = any(r.answered_at is None for r in asked)
    may_ask = (
        party == Party.PROVIDER
        and referral.is_open
        and not is_open
        and has_permission(user, "referrals.work")
    )
    may_answer = party == Party.POLICE and has_permission(user, "referrals.withdraw")
    if not asked and not may_ask:
        return None
    rows = [
        {
            "pk": r.pk,
            "code": r.code.label,
            "stops_timer": r.code.stops_timer,
            "question": r.question,
            "asked_at": r.asked_at,
            "asked_by": _organisation(r.asked_by),
            "answer": r.answer,
            "answered_at": r.answered_at,
            "answered_by": (
                f"{r.answered_by}, {_organisation(r.answered_by)}" if r.answered_by else ""
            ),
            "may_answer": may_answer and r.answered_at is None,
        }
        for r in asked
    ]
    return {"requests": rows, "may_ask": may_ask, "referral": referral}


register_section(
    ReferralSection("amendments", "referrals/_amendments.html", amendments_section, order=30)
)
register_section(
    ReferralSection("information", "referrals/_information.html", information_section, order=20)
)

# --- the pages ---------------------------------------------------------------------------


def _changeable(request: HttpRequest, pk: int) -> Referral:
    return scoped_get(
        request,
        Referral.objects.select_related("person", "provider"),
        pk,
        "change",
        audit_read=False,
    )


@permission_required("referrals.withdraw")
@require_http_methods(["GET", "POST"])
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    form = AmendForm(request.POST or None, referral=referral, initial=initial_of(referral))
    if request.method == "POST" and form.is_valid():
        try:
            referral_amend(
                context=context_of(request),
                actor=user_of(request),
                referral_id=referral.pk,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            form.add_validation_error(error)
            audit_refusal(request, error, referral=referral, what="amendment")
        else:
            messages.success(
                request,
                _("Referral %(reference)s has been amended. The provider has been told.")
                % {"reference": referral.reference},
            )
            return HttpResponseRedirect(detail_url(referral))
    return render(
        request,
        "referrals/amend.html",
        {
            "form": form,
            "referral": referral,
            "closed": not referral.is_open,
            "title": _("Amend the referral"),
            "crumbs": referral_crumbs(referral, _("Amend the referral")),
        },
    )


@permission_required("referrals.work")
@require_http_methods(["GET", "POST"])
def information_new(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    form = InformationRequestForm(
        request.POST or None, codes=information_codes(), initial={"version": referral.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            information_request(
                context=context_of(request),
                actor=user_of(request),
                referral_id=referral.pk,
                expected_version=form.cleaned_data["version"],
                code=form.cleaned_data["code"],
                question=form.cleaned_data.get("question", ""),
            )
        except ValidationError as error:
            form.add_validation_error(error)
            audit_refusal(request, error, referral=referral, what="information request")
        else:
            messages.success(request, _("Your question has been sent to the police."))
            return HttpResponseRedirect(detail_url(referral))
    title = _("Ask the police for information")
    return render(
        request,
        "referrals/provider_form.html",
        {
            "form": form,
            "referral": referral,
            "title": title,
            "hint": _(
                "The referring officer is alerted. If the contact details are missing or "
                "wrong, the first-contact target waits until they answer."
            ),
            "button": _("Send the question"),
            "crumbs": referral_crumbs(referral, title),
        },
    )


@permission_required("referrals.withdraw")
@require_http_methods(["GET", "POST"])
def information_answer_page(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    referral = _changeable(request, pk)
    asked = scoped_get(
        request,
        InformationRequest.objects.filter(referral=referral).select_related("code"),
        request_pk,
        "change",
        audit_read=False,
    )
    initial = {**initial_of(referral), "version": asked.version}
    form = InformationAnswerForm(request.POST or None, referral=referral, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            information_answer(
                context=context_of(request),
                actor=user_of(request),
                request_id=asked.pk,
                expected_version=form.cleaned_data["version"],
                answer=form.cleaned_data.get("answer", ""),
                amend_changes=form.changes() or None,
            )
        except ValidationError as error:
            form.add_validation_error(error)
            audit_refusal(request, error, referral=referral, what="answer")
        else:
            messages.success(request, _("Your answer has been sent to the provider."))
            return HttpResponseRedirect(detail_url(referral))
    title = _("Answer the provider's question")
    return render(
        request,
        "referrals/information_answer.html",
        {
            "form": form,
            "referral": referral,
            "asked": asked,
            "title": title,
            "crumbs": referral_crumbs(referral, title),
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/amend/", amend, name="amend"),
    path("<int:pk>/information/new/", information_new, name="information-request"),
    path(
        "<int:pk>/information/<int:request_pk>/answer/",
        information_answer_page,
        name="information-answer",
    ),
]
