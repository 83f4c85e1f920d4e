"""Pages of the diversion scheme: the navigators' caseload and the contract page.

The caseload is the navigator's inbox (mine, unassigned, all of the organisation) with its
timers; the contract page shows the eligibility checks, needs at the start and end, the
conditions, reviews and events, and the forms for what may be done next. Every action is a
POST from that page: success redirects with a banner, a refusal re-renders the page with
the error summary. The police of the area read the page (no forms).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.forms import GovukForm
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.disposals.forms.diversion import (
    AgreeForm,
    AssignForm,
    CompleteForm,
    ConditionForm,
    DeclineForm,
    FailForm,
    NeedsForm,
    ReviewForm,
)
from pontio.disposals.models import (
    AssessmentStage,
    ContractCondition,
    ContractState,
    DiversionContract,
    Pathway,
)
from pontio.disposals.selectors import contracts as selectors
from pontio.disposals.services import contracts as services


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def _crumbs(contract: DiversionContract | None = None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (_("Diversion caseload"), reverse("disposals:caseload") if contract else None)
    ]
    if contract is not None:
        crumbs.append((contract.reference, None))
    return crumbs


@permission_required("disposals.diversion")
def caseload(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "mine")
    if tab not in selectors.TABS:
        tab = "mine"
    today = timezone.localdate()
    tabs = [
        ("mine", _("Mine")),
        ("unassigned", _("Unassigned")),
        ("all", _("All of the organisation")),
    ]
    return render(
        request,
        "disposals/diversion/caseload.html",
        {
            "rows": selectors.caseload_rows(_user(request), tab, today),
            "tab": tab,
            "tabs": tabs,
            "today": today,
            "target": selectors.START_TARGET_WORKING_DAYS,
            "crumbs": _crumbs(),
        },
    )


def _needs_rows(contract: DiversionContract) -> tuple[list[dict[str, Any]], bool, bool]:
    scores: dict[str, dict[str, int]] = {}
    for assessment in contract.assessments.prefetch_related("scores"):
        scores[assessment.stage] = {s.pathway: s.score for s in assessment.scores.all()}
    start, end = scores.get(AssessmentStage.START, {}), scores.get(AssessmentStage.END, {})
    rows = []
    for pathway in Pathway:
        a, b = start.get(pathway.value), end.get(pathway.value)
        rows.append(
            {
                "label": pathway.label,
                "start": a,
                "end": b,
                "change": b - a if a is not None and b is not None else None,
            }
        )
    return rows, bool(start), bool(end)


def _navigators(contract: DiversionContract) -> list[tuple[int, str]]:
    users = User.objects.filter(
        is_active=True, organisation_id=contract.organisation_id, role_grants__role=Role.NAVIGATOR
    ).order_by("last_name", "first_name")
    return [(u.pk, u.get_full_name() or u.username) for u in users]


def _detail(
    request: HttpRequest, contract: DiversionContract, bound: dict[str, GovukForm] | None = None
) -> HttpResponse:
    user = _user(request)
    may_act = (
        has_permission(user, "disposals.diversion")
        and restrict(DiversionContract.objects.all(), user, "change")
        .filter(pk=contract.pk)
        .exists()
    )
    needs, has_start, has_end = _needs_rows(contract)
    initial = {"version": contract.version}
    forms: dict[str, Any] = {}
    if may_act:
        if contract.state in (ContractState.REFERRED, ContractState.ACTIVE):
            forms["assign"] = AssignForm(initial=initial, navigators=_navigators(contract))
        if contract.state == ContractState.REFERRED:
            if not has_start:
                forms["needs"] = NeedsForm(initial={"stage": AssessmentStage.START})
            else:
                forms["agree"] = AgreeForm(initial=initial)
            forms["decline"] = DeclineForm(initial=initial)
        if contract.state == ContractState.ACTIVE:
            if not has_end:
                forms["needs"] = NeedsForm(initial={"stage": AssessmentStage.END})
            forms["review"] = ReviewForm()
            forms["complete"] = CompleteForm(initial=initial)
            forms["fail"] = FailForm(initial=initial)
    forms.update(bound or {})
    conditions = list(contract.conditions.all())
    for condition in conditions:
        condition.form = (  # type: ignore[attr-defined]
            (bound or {}).get(f"condition_{condition.pk}")
            or ConditionForm(
                initial={
                    "version": condition.version,
                    "status": condition.status,
                    "evidence": condition.evidence,
                },
                prefix=f"c{condition.pk}",
            )
            if may_act and contract.state == ContractState.ACTIVE
            else None
        )
    errors = next((f for f in (bound or {}).values() if f.errors), None)
    events = list(contract.events.select_related("actor"))
    labels = dict(ContractState.choices)
    for event in events:
        event.label = labels.get(event.to_state, event.to_state)  # type: ignore[attr-defined]
    return render(
        request,
        "disposals/diversion/contract.html",
        {
            "contract": contract,
            "needs": needs,
            "forms": forms,
            "form": errors,
            "conditions": conditions,
            "reviews": list(contract.reviews.select_related("reviewed_by")),
            "events": events,
            "may_act": may_act,
            "crumbs": _crumbs(contract),
        },
        status=400 if errors else 200,
    )


def _get(request: HttpRequest, pk: int, action: str = "view") -> DiversionContract:
    return scoped_get(
        request,
        DiversionContract.objects.select_related("person", "navigator", "scheme", "county"),
        pk,
        action,
    )


@permission_required("disposals.view_contracts")
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


def _act(
    request: HttpRequest,
    contract: DiversionContract,
    name: str,
    form: GovukForm,
    call: Callable[[AuditContext, User, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    if form.is_valid():
        try:
            call(AuditContext.from_request(request), _user(request), form.cleaned_data)
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, success)
            return HttpResponseRedirect(reverse("disposals:contract", args=[contract.pk]))
    contract.refresh_from_db()
    return _detail(request, contract, {name: form})


@permission_required("disposals.diversion")
@require_POST
def contract_assign(request: HttpRequest, pk: int) -> HttpResponse:
    c = _get(request, pk, "change")
    form = AssignForm(request.POST, navigators=_navigators(c))
    return _act(
        request,
        c,
        "assign",
        form,
        lambda ctx, actor, d: services.contract_assign(
            context=ctx,
            actor=actor,
            contract_id=c.pk,
            navigator_id=d["navigator"],
            expected_version=d["version"],
        ),
        _("The navigator is assigned."),
    )


@permission_required("disposals.diversion")
@require_POST
def contract_needs(request: HttpRequest, pk: int) -> HttpResponse:
    c = _get(request, pk, "change")
    form = NeedsForm(request.POST)
    return _act(
        request,
        c,
        "needs",
        form,
        lambda ctx, actor, d: services.needs_record(
            context=ctx,
            actor=actor,
            contract_id=c.pk,
            stage=d["stage"],
            scores={p.value: d[p.value] for p in Pathway},
            notes=d.get("notes") or "",
        ),
        _("The needs assessment is recorded."),
    )


@permission_required("disposals.diversion")
@require_POST
def contract_agree(request: HttpRequest, pk: int) -> HttpResponse:
    c = _get(request, pk, "change")
    form = AgreeForm(request.POST)
    return _act(
        request,
        c,
        "agree",
        form,
        lambda ctx, actor, d: services.contract_agree(
            context=ctx,
            actor=actor,
            contract_id=c.pk,
            expected_version=d["version"],
            conditions=form.conditions(),
        ),
        _("The contract is agreed."),
    )


@permission_required("disposals.diversion")
@require_POST
def contract_condition(request: HttpRequest, pk: int) -> HttpResponse:
    condition = scoped_get(request, ContractCondition.objects.all(), pk, "change")
    c = _get(request, condition.contract_id, "change")
    form = ConditionForm(request.POST, prefix=f"c{condition.pk}")
    return _act(
        request,
        c,
        f"condition_{condition.pk}",
        form,
        lambda ctx, actor, d: services.contract_condition_record(
            context=ctx,
            actor=actor,
            condition_id=condition.pk,
            status=d["status"],
            evidence=d.get("evidence") or "",
            expected_version=d["version"],
        ),
        _("The compliance is recorded."),
    )


@permission_required("disposals.diversion")
@require_POST
def contract_review(request: HttpRequest, pk: int) -> HttpResponse:
    c = _get(request, pk, "change")
    form = ReviewForm(request.POST)
    return _act(
        request,
        c,
        "review",
        form,
        lambda ctx, actor, d: services.review_record(
            context=ctx,
            actor=actor,
            contract_id=c.pk,
            on_track=d["on_track"],
            summary=d.get("summary") or "",
        ),
        _("The review is recorded."),
    )


@permission_required("disposals.diversion")
@require_POST
def contract_complete(request: HttpRequest, pk: int) -> HttpResponse:
    c = _get(request, pk, "change")
    form = CompleteForm(request.POST)
    return _act(
        request,
        c,
        "complete",
        form,
        lambda ctx, actor, d: services.contract_complete(
            context=ctx, actor=actor, contract_id=c.pk, expected_version=d["version"]
        ),
        _("The contract is completed: no further action."),
    )


@permission_required("disposals.diversion")
@require_POST
def contract_fail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _get(request, pk, "change")
    form = FailForm(request.POST)
    return _act(
        request,
        c,
        "fail",
        form,
        lambda ctx, actor, d: services.contract_fail(
            context=ctx,
            actor=actor,
            contract_id=c.pk,
            expected_version=d["version"],
            route=d["route"],
            reason=d.get("reason") or "",
        ),
        _("The contract is recorded as failed."),
    )


@permission_required("disposals.diversion")
@require_POST
def contract_decline(request: HttpRequest, pk: int) -> HttpResponse:
    c = _get(request, pk, "change")
    form = DeclineForm(request.POST)
    return _act(
        request,
        c,
        "decline",
        form,
        lambda ctx, actor, d: services.contract_decline(
            context=ctx,
            actor=actor,
            contract_id=c.pk,
            expected_version=d["version"],
            reason=d.get("reason") or "",
        ),
        _("The contract is declined."),
    )


urlpatterns: list[URLPattern] = [
    path("diversion/", caseload, name="caseload"),
    path("diversion/<int:pk>/", contract, name="contract"),
    path("diversion/<int:pk>/assign/", contract_assign, name="contract-assign"),
    path("diversion/<int:pk>/needs/", contract_needs, name="contract-needs"),
    path("diversion/<int:pk>/agree/", contract_agree, name="contract-agree"),
    path("diversion/conditions/<int:pk>/", contract_condition, name="contract-condition"),
    path("diversion/<int:pk>/review/", contract_review, name="contract-review"),
    path("diversion/<int:pk>/complete/", contract_complete, name="contract-complete"),
    path("diversion/<int:pk>/fail/", contract_fail, name="contract-fail"),
    path("diversion/<int:pk>/decline/", contract_decline, name="contract-decline"),
]
