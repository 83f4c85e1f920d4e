"""Pages of the disposal decision: the list, the decision page (facts, victim's views, the
gravity score and recommendation, the decision), the disposal page with what may be done
next, conditions, the agreement to print, and compliance.

The decision page has two buttons: "check" shows the score, the matrix's recommendation
with its reasons and the person's previous disposals without saving anything; "record"
records the decision (the services check the same rules again). Every action on the
disposal page is a POST: success redirects with a banner, a refusal re-renders the page
with the error summary, and a stale version is refused, never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.forms import GovukForm
from pontio.disposals import printing
from pontio.disposals.actions import actions_for
from pontio.disposals.forms.decisions import (
    CHECK,
    RECORD,
    BreachForm,
    ComplianceForm,
    ConditionForm,
    DecisionForm,
    VersionOnlyForm,
)
from pontio.disposals.models import Disposal, DisposalCondition, DisposalState, Outcome
from pontio.disposals.selectors import lists
from pontio.disposals.services import decisions as services
from pontio.people.models import Person
from pontio.referrals.forms.police import ReferralForm

PAGE_SIZE = 25
# States in which the agreement exists to print (authorised and after).
AGREEMENT_STATES = (
    DisposalState.AUTHORISED,
    DisposalState.ACTIVE,
    DisposalState.COMPLETED,
    DisposalState.BREACHED,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Disposals"), reverse("disposals:list") if extra else None), *extra]


def _disposal_crumbs(disposal: Disposal, page: str | None = None) -> list[tuple[str, str | None]]:
    if page is None:
        return _crumbs((disposal.reference, None))
    return _crumbs(
        (disposal.reference, reverse("disposals:detail", args=[disposal.pk])), (page, None)
    )


@permission_required("disposals.view")
def disposal_list(request: HttpRequest) -> HttpResponse:
    filters, rows = lists.disposals_for(_user(request), request.GET, request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "disposals/decisions/list.html",
        {"filters": filters, "page": page, "crumbs": _crumbs()},
        status=200 if filters.is_valid() else 400,
    )


def _person(request: HttpRequest, person_pk: int) -> Person:
    return scoped_get(
        request, Person.objects.filter(is_active=True), person_pk, "view", person_id=str(person_pk)
    )


@permission_required("disposals.decide")
@require_http_methods(["GET", "POST"])
def disposal_new(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Record a decision for the person: check the recommendation, then record."""
    person = _person(request, person_pk)
    user = _user(request)
    preview = None
    if request.method == "POST":
        form = DecisionForm(request.POST)
        action = request.POST.get("action", CHECK)
        if form.is_valid():
            data = form.to_data()
            preview = services.disposal_preview(actor=user, person_id=person.pk, data=data)
            if action == RECORD:
                try:
                    disposal = services.disposal_record(
                        context=AuditContext.from_request(request),
                        actor=user,
                        person_id=person.pk,
                        data=data,
                    )
                except ValidationError as error:
                    form.add_validation_error(error)
                else:
                    messages.success(
                        request,
                        _("The decision is recorded as %(reference)s.")
                        % {"reference": disposal.reference},
                    )
                    return HttpResponseRedirect(reverse("disposals:detail", args=[disposal.pk]))
            else:
                for name, errors in preview.errors.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
    else:
        county = services.person_county(person)
        form = DecisionForm(initial={"county": county.pk if county else None})
    return render(
        request,
        "disposals/decisions/new.html",
        {
            "person": person,
            "form": form,
            "preview": preview,
            "recommended_label": (
                dict(Outcome.choices).get(preview.recommendation.outcome, "") if preview else ""
            ),
            "crumbs": [
                (_("People"), reverse("people:list")),
                (str(person), reverse("people:detail", args=[person.pk])),
                (_("Out-of-court disposal"), None),
            ],
        },
        status=400 if form.errors else 200,
    )


def _get(request: HttpRequest, pk: int, action: str = "view") -> Disposal:
    return scoped_get(
        request,
        Disposal.objects.select_related(
            "person",
            "offence",
            "county",
            "disposal_type",
            "recommended_type",
            "decided_by",
            "authorised_by",
        ),
        pk,
        action,
    )


def _detail(
    request: HttpRequest, disposal: Disposal, bound: dict[str, GovukForm] | None = None
) -> HttpResponse:
    user = _user(request)
    allowed = actions_for(disposal, user)
    initial = {"version": disposal.version}
    forms: dict[str, GovukForm] = {}
    for name in ("authorise", "sign", "complete"):
        if name in allowed:
            forms[name] = VersionOnlyForm(initial=initial, prefix=name)
    if "breach" in allowed:
        forms["breach"] = BreachForm(initial=initial, prefix="breach")
    forms.update(bound or {})
    errors = next((f for f in (bound or {}).values() if f.errors), None)
    conditions = list(disposal.conditions.select_related("referral", "status_recorded_by"))
    events = list(disposal.events.select_related("actor"))
    labels = dict(DisposalState.choices)
    for event in events:
        event.label = labels.get(event.to_state, event.to_state)  # type: ignore[attr-defined]
    return render(
        request,
        "disposals/decisions/detail.html",
        {
            "disposal": disposal,
            "factors": list(disposal.factors.all()),
            "conditions": conditions,
            "contracts": list(disposal.contracts.all()),
            "events": events,
            "actions": allowed,
            "forms": forms,
            "form": errors,
            "may_print": disposal.state in AGREEMENT_STATES,
            "is_disposal": disposal.outcome == Outcome.DISPOSAL,
            "crumbs": _disposal_crumbs(disposal),
        },
        status=400 if errors else 200,
    )


@permission_required("disposals.view")
def disposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


def _act(
    request: HttpRequest,
    pk: int,
    name: str,
    form_class: type[GovukForm],
    call: Callable[[AuditContext, User, Disposal, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    disposal = _get(request, pk, "change")
    form = form_class(request.POST, prefix=name)
    if form.is_valid():
        try:
            call(AuditContext.from_request(request), _user(request), disposal, form.cleaned_data)
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, success)
            return HttpResponseRedirect(reverse("disposals:detail", args=[disposal.pk]))
    disposal.refresh_from_db()
    return _detail(request, disposal, {name: form})


@permission_required("disposals.authorise")
@require_POST
def authorise(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "authorise",
        VersionOnlyForm,
        lambda ctx, actor, d, data: services.disposal_authorise(
            context=ctx, actor=actor, disposal_id=d.pk, expected_version=data["version"]
        ),
        _("The disposal is authorised. Print the agreement for the person to sign."),
    )


@permission_required("disposals.decide")
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "sign",
        VersionOnlyForm,
        lambda ctx, actor, d, data: services.agreement_sign(
            context=ctx, actor=actor, disposal_id=d.pk, expected_version=data["version"]
        ),
        _("The signed agreement is recorded: the conditions are running."),
    )


@permission_required("disposals.decide")
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "complete",
        VersionOnlyForm,
        lambda ctx, actor, d, data: services.disposal_complete(
            context=ctx, actor=actor, disposal_id=d.pk, expected_version=data["version"]
        ),
        _("The disposal is completed: every condition was complied with."),
    )


@permission_required("disposals.breach")
@require_POST
def breach(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "breach",
        BreachForm,
        lambda ctx, actor, d, data: services.breach_follow(
            context=ctx,
            actor=actor,
            disposal_id=d.pk,
            expected_version=data["version"],
            reason=data.get("reason") or "",
        ),
        _("The breach route is recorded."),
    )


@permission_required("disposals.decide")
@require_http_methods(["GET", "POST"])
def condition_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A condition; one that refers the person makes the referral with the same form."""
    disposal = _get(request, pk, "change")
    if request.method == "POST":
        form = ConditionForm(request.POST)
        if form.is_valid():
            try:
                services.condition_add(
                    context=AuditContext.from_request(request),
                    actor=_user(request),
                    disposal_id=disposal.pk,
                    expected_version=form.cleaned_data["version"],
                    condition=form.to_data(),
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                messages.success(request, _("The condition is added."))
                return HttpResponseRedirect(reverse("disposals:detail", args=[disposal.pk]))
    else:
        initial = ReferralForm.initial_for(disposal.person)
        initial.pop("county", None)
        initial["version"] = disposal.version
        if disposal.compliance_due:
            initial["due_date"] = disposal.compliance_due
        form = ConditionForm(initial=initial)
    return render(
        request,
        "disposals/decisions/condition_add.html",
        {
            "disposal": disposal,
            "form": form,
            "may_add": "add_condition" in actions_for(disposal, _user(request)),
            "crumbs": _disposal_crumbs(disposal, _("Add a condition")),
        },
        status=400 if form.errors else 200,
    )


@permission_required("disposals.record_compliance")
@require_http_methods(["GET", "POST"])
def condition_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Compliance with one condition, by the police or the provider its referral went to."""
    condition = scoped_get(
        request,
        DisposalCondition.objects.select_related("disposal", "disposal__disposal_type", "referral"),
        pk,
        "change",
    )
    if request.method == "POST":
        form = ComplianceForm(request.POST)
        if form.is_valid():
            try:
                services.condition_status_set(
                    context=AuditContext.from_request(request),
                    actor=_user(request),
                    condition_id=condition.pk,
                    status=form.cleaned_data["status"],
                    evidence=form.cleaned_data.get("evidence") or "",
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                messages.success(request, _("The compliance is recorded."))
                return HttpResponseRedirect(reverse("disposals:condition-status", args=[pk]))
    else:
        form = ComplianceForm(
            initial={
                "version": condition.version,
                "status": condition.status,
                "evidence": condition.evidence,
            }
        )
    disposal = condition.disposal
    may_open = (
        lists.disposal_rows(_user(request)).filter(pk=disposal.pk).exists()
        if _user(request).organisation_kind != "provider"
        else False
    )
    return render(
        request,
        "disposals/decisions/condition_status.html",
        {
            "condition": condition,
            "disposal": disposal,
            "form": form,
            "may_open": may_open,
            "running": disposal.state == DisposalState.ACTIVE,
            "crumbs": [(_("Disposal condition"), None)],
        },
        status=400 if form.errors else 200,
    )


@permission_required("disposals.view")
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement to print, sign and give to the person (a read: audited, nothing kept)."""
    disposal = _get(request, pk)
    if disposal.state not in AGREEMENT_STATES or disposal.disposal_type is None:
        messages.error(request, _("The agreement is printed once the disposal is authorised."))
        return HttpResponseRedirect(reverse("disposals:detail", args=[disposal.pk]))
    pdf = printing.render_agreement(printing.agreement_data(disposal))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{disposal.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("", disposal_list, name="list"),
    path("new/<int:person_pk>/", disposal_new, name="new"),
    path("<int:pk>/", disposal_detail, name="detail"),
    path("<int:pk>/conditions/new/", condition_add, name="condition-add"),
    path("<int:pk>/authorise/", authorise, name="authorise"),
    path("<int:pk>/agreement.pdf", agreement, name="agreement"),
    path("<int:pk>/sign/", sign, name="sign"),
    path("<int:pk>/complete/", complete, name="complete"),
    path("<int:pk>/breach/", breach, name="breach"),
    path("conditions/<int:pk>/", condition_status, name="condition-status"),
]
