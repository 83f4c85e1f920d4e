"""Failure to attend or remain (Drugs Act 2005 s12, s14): the police's tasks and decision.

The list shows open tasks first (then decided ones), with the decision due date and who
must act; a task shows the evidence (the prefilled evidential statement and the notice
that gave the appointment, both as stored PDFs) and takes the decision: prosecute or no
further action, with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.recording import AuditAction
from pontio.custody import rules, selectors, services
from pontio.custody.forms import BreachDecisionForm
from pontio.custody.models import BreachTask, NoticeKind
from pontio.custody.views.common import PAGE_SIZE, audit_refusal, context_of, show_error, user_of


def who_must_act(task: BreachTask) -> str:
    return _("The custody sergeants and inspectors of %(county)s, or the officer in the case") % {
        "county": task.county.label
    }


@permission_required("custody.decide_breach")
def breach_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    tasks = (
        selectors.breach_tasks(user, open_only=False)
        .select_related("county")
        .annotate(
            decided=Case(
                When(decision="", then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("decided", "due_on", "pk")
    )
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    for task in page:
        task.who = who_must_act(task)  # type: ignore[attr-defined]
    return render(
        request,
        "custody/breach_list.html",
        {"page": page, "today": timezone.localdate(), "crumbs": [(_("Failures to attend"), None)]},
    )


@permission_required("custody.decide_breach")
@require_http_methods(["GET", "POST"])
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = scoped_get(
        request,
        BreachTask.objects.select_related(
            "assessment__record__suite", "assessment__record__person", "county", "statement"
        ),
        pk,
        "view",
        audit_read=False,
    )
    record = task.assessment.record
    audit_request(request, AuditAction.READ, obj=task, person_id=record.person_id)
    form = BreachDecisionForm(request.POST or None, initial={"version": task.version})
    if request.method == "POST" and task.is_open and form.is_valid():
        try:
            services.breach_decide(
                context=context_of(request),
                actor=user_of(request),
                task_id=task.pk,
                expected_version=form.cleaned_data["version"],
                decision=form.cleaned_data.get("decision") or "",
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as error:
            show_error(form, error)
            audit_refusal(request, error, "breach decision", record.person_id, record.pk)
        else:
            messages.success(request, _("The decision is recorded."))
            return HttpResponseRedirect(reverse("custody:breach-detail", args=[task.pk]))
    notices = list(
        selectors.notices_of(user_of(request), task.assessment).filter(
            kind__in=(NoticeKind.RA1, NoticeKind.RA2, NoticeKind.RA4)
        )
    )
    return render(
        request,
        "custody/breach_detail.html",
        {
            "task": task,
            "record": record,
            "form": form,
            "who": who_must_act(task),
            "notices": notices,
            "bail": rules.bail_restriction(record).eligible,
            "today": timezone.localdate(),
            "crumbs": [
                (_("Failures to attend"), reverse("custody:breach-list")),
                (record.custody_number, None),
            ],
        },
    )
