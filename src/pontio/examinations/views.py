"""Pages of device examinations: the queue, a new request, a request and its moves, the result
and the capacity page. Views parse, call and render; the rules are the services' and
``actions``'. No personal data in a URL: requests by id."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.api import refusal_codes
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.examinations import capacity as capacity_figures
from pontio.examinations import rules, selectors, services
from pontio.examinations.actions import actions_for
from pontio.examinations.forms import (
    AssignForm,
    CapacityForm,
    ProfileForm,
    RequestForm,
    ResultForm,
    VersionForm,
    WithdrawForm,
)
from pontio.examinations.models import ExaminationRequest, ExaminerProfile
from pontio.examinations.timers import timer_of
from pontio.examinations.vocab import OPEN_STATUSES, Status

PAGE_SIZE = 25
OBJECT_TYPE = "examinations.examinationrequest"
SHOWS = ("queue", "mine", "open", "closed")


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def context_of(request: HttpRequest) -> AuditContext:
    return AuditContext.from_request(request)


def audit_refusal(request: HttpRequest, error: ValidationError, what: str, obj: Any = None) -> None:
    """A refused write is logged like any denial: which rules refused it, never the text."""
    audit_request(
        request,
        AuditAction.DENIED,
        obj=obj,
        object_type="" if obj is not None else OBJECT_TYPE,
        reason=f"{what} refused: {refusal_codes(error)}"[:200],
    )


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Device examinations"), reverse("examinations:list")), *extra]


def _decorate(rows: Any, today: Any) -> None:
    for row in rows:
        row.timer = timer_of(row, today)


def _rows(user: User, show: str) -> QuerySet[ExaminationRequest]:
    if show == "queue":
        return selectors.queue(user)
    if show == "mine":
        return selectors.held_by(user)
    if show == "closed":
        return (
            selectors.requests(user)
            .exclude(status__in=OPEN_STATUSES)
            .order_by("-requested_at", "-pk")
        )
    return selectors.open_requests(user).order_by("priority_rank", "due_on", "pk")


@permission_required("examinations.view")
def request_list(request: HttpRequest) -> HttpResponse:
    """Examiners: the queue by priority, their own work, every open or closed request in
    their scope. Requesters: the open and closed requests they may see."""
    user = user_of(request)
    examiner = has_permission(user, "examinations.examine")
    default = "queue" if examiner else "open"
    show = request.GET.get("show", default)
    if show not in SHOWS or (show in ("queue", "mine") and not examiner):
        show = default
    rows = list(_rows(user, show)[:200])
    today = timezone.localdate()
    _decorate(rows, today)
    tabs = [("open", _("Open")), ("closed", _("Closed"))]
    if examiner:
        tabs = [("queue", _("Queue")), ("mine", _("Assigned to you")), *tabs]
    return render(
        request,
        "examinations/list.html",
        {
            "rows": rows,
            "show": show,
            "tabs": tabs,
            "examiner": examiner,
            "may_request": has_permission(user, "examinations.request"),
            "overdue": sum(1 for r in rows if getattr(r, "timer").overdue),  # noqa: B009
            "crumbs": [(_("Device examinations"), None)],
        },
    )


def _apply_errors(form: Any, error: ValidationError, device_field: str) -> None:
    if hasattr(error, "error_dict") and "devices" in error.error_dict:
        devices = error.error_dict.pop("devices")
        form.add_error(device_field, devices)
    form.add_validation_error(error)


@permission_required("examinations.request")
def request_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = RequestForm(request.POST or None, initial={"source_kind": "operation"})
    if request.method == "POST" and form.is_valid():
        try:
            row = services.examination_request_create(
                context=context_of(request), actor=user, data=form.data_for_service()
            )
        except ValidationError as error:
            audit_refusal(request, error, "examination request")
            _apply_errors(form, error, "device_exhibit_1")
        else:
            return HttpResponseRedirect(reverse("examinations:detail", args=[row.pk]) + "?made=1")
    return render(
        request,
        "examinations/new.html",
        {"form": form, "crumbs": _crumbs((_("Request an examination"), None))},
    )


def _fetch(request: HttpRequest, pk: int, action: str = "view") -> ExaminationRequest:
    return scoped_get(
        request,
        ExaminationRequest.objects.select_related(
            "county",
            "custody_record",
            "operation",
            "intelligence_report",
            "assigned_to__user",
            "requested_by",
        ).defer("county__boundary"),
        pk,
        action,
    )


@permission_required("examinations.view")
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    row = _fetch(request, pk)
    profile = services.profile_of(user)
    actions = actions_for(row, user, profile)
    today = timezone.localdate()
    assign_form = None
    if "assign" in actions:
        assign_form = AssignForm(initial={"version": row.version}, profiles=_trained(row))
    take_refusals = []
    if row.status == Status.REQUESTED and has_permission(user, "examinations.examine"):
        take_refusals = rules.examiner_refusals(profile, row, today)
    return render(
        request,
        "examinations/detail.html",
        {
            "row": row,
            "timer": timer_of(row, today),
            "devices": list(selectors.devices_of(user, row)),
            "changes": list(selectors.changes_of(user, row)),
            "actions": actions,
            "assign_form": assign_form,
            "take_refusals": take_refusals,
            "made": request.GET.get("made") == "1",
            "crumbs": _crumbs((row.reference, None)),
        },
    )


def _trained(row: ExaminationRequest) -> Any:
    """The examiners a supervisor may assign this request to (trained, active, in area)."""
    today = timezone.localdate()
    candidates = ExaminerProfile.objects.select_related("user", "county").defer("county__boundary")
    allowed = [p.pk for p in candidates if not rules.examiner_refusals(p, row, today)]
    return candidates.filter(pk__in=allowed).order_by("user__last_name", "user__first_name")


def _back(row: ExaminationRequest, note: str = "") -> HttpResponseRedirect:
    suffix = f"?done={note}" if note else ""
    return HttpResponseRedirect(reverse("examinations:detail", args=[row.pk]) + suffix)


def _render_detail_error(
    request: HttpRequest, row: ExaminationRequest, error: ValidationError
) -> HttpResponse:
    """A refused move: the request page again, with the error summary."""
    user = user_of(request)
    # Bound (to the version now held) so that the refusal can be added as a form error.
    form = VersionForm({"version": row.version})
    form.is_valid()
    for message in error.messages:
        form.add_error(None, message)
    profile = services.profile_of(user)
    actions = actions_for(row, user, profile)
    today = timezone.localdate()
    return render(
        request,
        "examinations/detail.html",
        {
            "row": row,
            "timer": timer_of(row, today),
            "devices": list(selectors.devices_of(user, row)),
            "changes": list(selectors.changes_of(user, row)),
            "actions": actions,
            "assign_form": AssignForm(initial={"version": row.version}, profiles=_trained(row))
            if "assign" in actions
            else None,
            "take_refusals": [],
            "form": form,
            "crumbs": _crumbs((row.reference, None)),
        },
        status=400,
    )


@permission_required("examinations.examine")
@require_POST
def request_take(request: HttpRequest, pk: int) -> HttpResponse:
    row = _fetch(request, pk, "change")
    form = VersionForm(request.POST)
    if not form.is_valid():  # no version (a hand-made request): nothing changes
        messages.error(request, _("Reload the page and try again."))
        return _back(row)
    try:
        services.examination_take(
            context=context_of(request),
            actor=user_of(request),
            request_id=row.pk,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        audit_refusal(request, error, "take", row)
        return _render_detail_error(request, _fetch(request, pk), error)
    except PermissionDenied:
        raise Http404 from None
    return _back(row, "taken")


@permission_required("examinations.examine")
@require_POST
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    row = _fetch(request, pk, "change")
    form = AssignForm(request.POST, profiles=_trained(row))
    examiner = None
    version = None
    if not form.is_valid() and "version" in form.errors:
        messages.error(request, _("Reload the page and try again."))
        return _back(row)
    if form.is_valid():
        version = form.cleaned_data["version"]
        examiner = form.cleaned_data.get("examiner")
    try:
        services.examination_assign(
            context=context_of(request),
            actor=user_of(request),
            request_id=row.pk,
            expected_version=version,
            examiner_id=examiner.pk if examiner else None,
        )
    except ValidationError as error:
        audit_refusal(request, error, "assign", row)
        return _render_detail_error(request, _fetch(request, pk), error)
    return _back(row, "assigned")


@permission_required("examinations.examine")
def request_result(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    row = _fetch(request, pk, "change")
    if "result" not in actions_for(row, user, services.profile_of(user)):
        return _back(row)
    devices = list(selectors.devices_of(user, row))
    form = ResultForm(request.POST or None, devices=devices, initial={"version": row.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.examination_result(
                context=context_of(request),
                actor=user,
                request_id=row.pk,
                expected_version=form.cleaned_data["version"],
                devices=form.results(),
                summary=form.cleaned_data.get("summary") or "",
                report_reference=form.cleaned_data.get("report_reference") or "",
            )
        except ValidationError as error:
            audit_refusal(request, error, "result", row)
            first = f"outcome_{devices[0].pk}" if devices else None
            _apply_errors(form, error, first or "summary")
        else:
            return _back(row, "result")
    return render(
        request,
        "examinations/result.html",
        {
            "row": row,
            "form": form,
            "timer": timer_of(row, timezone.localdate()),
            "crumbs": _crumbs(
                (row.reference, reverse("examinations:detail", args=[row.pk])),
                (_("Record the result"), None),
            ),
        },
    )


@permission_required("examinations.view")
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    row = _fetch(request, pk, "change")
    # Those who may see the request but not withdraw it get the page with the reason, so
    # the answer does not depend on who made the request.
    allowed = "withdraw" in actions_for(row, user, services.profile_of(user))
    form = WithdrawForm(request.POST or None, initial={"version": row.version})
    if request.method == "POST" and not allowed:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            services.examination_withdraw(
                context=context_of(request),
                actor=user,
                request_id=row.pk,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as error:
            audit_refusal(request, error, "withdraw", row)
            form.add_validation_error(error)
        else:
            return _back(row, "withdrawn")
    return render(
        request,
        "examinations/withdraw.html",
        {
            "row": row,
            "form": form,
            "allowed": allowed,
            "crumbs": _crumbs(
                (row.reference, reverse("examinations:detail", args=[row.pk])),
                (_("Withdraw the request"), None),
            ),
        },
    )


@permission_required("examinations.capacity")
def capacity(request: HttpRequest) -> HttpResponse:
    """Counts only (nothing of a request is opened); reading it writes nothing."""
    form = CapacityForm(request.GET or None)
    months = 6
    if form.is_bound and form.is_valid() and form.cleaned_data.get("months"):
        months = form.cleaned_data["months"]
    if not form.is_bound:
        form = CapacityForm(initial={"months": 6})
    figures = capacity_figures.build(user_of(request), today=timezone.localdate(), months=months)
    return render(
        request,
        "examinations/capacity.html",
        {
            "form": form,
            "figures": figures,
            "months": months,
            "crumbs": [(_("Device examination capacity"), None)],
        },
    )


# --- examiner profiles (administrators) -------------------------------------------------------


@permission_required("examinations.manage_examiners")
def examiner_list(request: HttpRequest) -> HttpResponse:
    """Every user with the examiner role, with their profile (or none yet)."""
    from pontio.accounts.models import User as Account
    from pontio.accounts.roles import Role

    people = list(
        Account.objects.filter(role_grants__role=Role.DIGITAL_MEDIA_EXAMINER)
        .select_related("examiner_profile__county")
        .defer("examiner_profile__county__boundary")
        .order_by("last_name", "first_name", "pk")
        .distinct()
    )
    return render(
        request,
        "examinations/examiner_list.html",
        {"people": people, "crumbs": [(_("Examiner profiles"), None)]},
    )


@permission_required("examinations.manage_examiners")
def examiner_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    from pontio.accounts.models import User as Account
    from pontio.accounts.roles import Role

    person = (
        Account.objects.filter(pk=user_id, role_grants__role=Role.DIGITAL_MEDIA_EXAMINER)
        .distinct()
        .first()
    )
    if person is None:
        raise Http404
    profile = ExaminerProfile.objects.filter(user=person).first()
    initial: dict[str, Any] = {"unit": "central", "levels": ["triage"]}
    if profile is not None:
        initial = {
            "version": profile.version,
            "unit": profile.unit,
            "county": profile.county_id,
            "levels": [lv for lv in ("triage", "logical", "full") if profile.trained_for(lv)],
            "supervisor": profile.supervisor,
            "active_from": profile.active_from,
        }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.examiner_profile_save(
                context=context_of(request),
                actor=user_of(request),
                user_id=person.pk,
                unit=c.get("unit") or "",
                county=c.get("county"),
                levels=list(c.get("levels") or []),
                supervisor=bool(c.get("supervisor")),
                active_from=c.get("active_from"),
                expected_version=c.get("version") if profile is not None else None,
            )
        except ValidationError as error:
            audit_refusal(request, error, "examiner profile")
            form.add_validation_error(error)
        else:
            return HttpResponseRedirect(reverse("examinations:examiners") + "?saved=1")
    return render(
        request,
        "examinations/examiner_form.html",
        {
            "person": person,
            "form": form,
            "crumbs": [
                (_("Examiner profiles"), reverse("examinations:examiners")),
                (str(person), None),
            ],
        },
    )
