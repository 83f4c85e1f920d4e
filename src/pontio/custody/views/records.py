"""Custody records: the list, the record page and the stored notices (PDF).

The record page is where a custody sergeant works a detention from booking to a booked
required assessment: the person, the offences and their charge state, the eligibility
decisions with every rule and its reason (``rules``: Pontio never hides a rule), the
inspector's authorisation, the test, the requirement and its notices, the breach tasks and
the restriction on bail where it may apply. Which buttons show comes from ``actions``; the
services refuse by the same rules. Reading a record is audited with the person's id.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.keyset import keyset_page
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.custody import actions as custody_actions
from pontio.custody import lifecycle, printing, rules, selectors
from pontio.custody.forms.common import RecordFilterForm
from pontio.custody.models import (
    POSITIVE_RESULTS,
    AssessmentState,
    CustodyRecord,
    CustodySuite,
    DrugResult,
    DrugTest,
    InspectorAuthorisation,
    Notice,
    Stage,
)
from pontio.custody.views.common import PAGE_SIZE, list_crumb, user_of
from pontio.people.models import Person

STATE_TAGS: dict[str, str] = {
    AssessmentState.INITIAL_REQUIRED: "govuk-tag--blue",
    AssessmentState.INITIAL_VARIED: "govuk-tag--blue",
    AssessmentState.FOLLOWUP_REQUIRED: "govuk-tag--blue",
    AssessmentState.FOLLOWUP_VARIED: "govuk-tag--blue",
    AssessmentState.INITIAL_ATTENDED: "govuk-tag--green",
    AssessmentState.FOLLOWUP_ATTENDED: "govuk-tag--green",
    AssessmentState.FOLLOWUP_NOT_REQUIRED: "govuk-tag--green",
}


def _filtered(rows: QuerySet[CustodyRecord], form: RecordFilterForm) -> QuerySet[CustodyRecord]:
    if not form.is_valid():
        return rows
    data = form.cleaned_data
    if data.get("suite"):
        rows = rows.filter(suite=data["suite"])
    if data.get("arrested_on"):
        rows = rows.filter(arrested_at__date=data["arrested_on"])
    state = data.get("state")
    positive = Q(test__confirmatory_result__in=POSITIVE_RESULTS) | Q(
        test__confirmatory_result="", test__result__in=POSITIVE_RESULTS
    )
    if state == "no_test":
        rows = rows.filter(test__isnull=True)
    elif state == "refused":
        rows = rows.filter(test__outcome=DrugTest.Outcome.REFUSED)
    elif state == "positive":
        rows = rows.filter(positive)
    elif state == "negative":
        rows = rows.filter(
            Q(test__confirmatory_result=DrugResult.NEGATIVE)
            | Q(test__confirmatory_result="", test__result=DrugResult.NEGATIVE)
        )
    elif state == "assessment":
        rows = rows.filter(assessment__isnull=False)
    elif state == "breach":
        rows = rows.filter(assessment__breach_tasks__decision="").distinct()
    return rows


@permission_required("custody.view")
def record_list(request: HttpRequest) -> HttpResponse:
    """The custody records in the user's scope, newest first, 25 a page."""
    user = user_of(request)
    form = RecordFilterForm(
        request.GET or None,
        suites=CustodySuite.objects.order_by("sort_order", "code"),
    )
    rows = _filtered(selectors.records(user), form).select_related("test", "assessment")
    page = keyset_page(rows, ("-arrested_at", "-pk"), request.GET.get("after"), PAGE_SIZE)
    for record in page:
        record.row_state = _row_state(record)  # type: ignore[attr-defined]
    return render(
        request,
        "custody/record_list.html",
        {
            "form": form,
            "page": page,
            "may_book": has_permission(user, "custody.book"),
            "crumbs": [(_("Custody"), None)],
        },
    )


def _row_state(record: CustodyRecord) -> str:
    assessment = getattr(record, "assessment", None) if _has(record, "assessment") else None
    if assessment is not None:
        return str(assessment.get_state_display())
    test = getattr(record, "test", None) if _has(record, "test") else None
    if test is None:
        return _("Not tested")
    if test.outcome == DrugTest.Outcome.REFUSED:
        return str(DrugTest.Outcome.REFUSED.label)
    if test.effective_result:
        return str(DrugResult(test.effective_result).label)
    return _("Test requested")


def _has(record: CustodyRecord, name: str) -> bool:
    try:
        getattr(record, name)
    except Exception:
        return False
    return True


# --- the record ---------------------------------------------------------------------------------


def _decision_view(decision: rules.Decision) -> dict[str, Any]:
    return {
        "eligible": decision.eligible,
        "reasons": [
            {"met": r.met, "message": r.message, "section": r.section} for r in decision.reasons
        ],
    }


def eligibility_of(record: CustodyRecord) -> list[dict[str, Any]]:
    """The test decisions the page explains: the arrest condition always, the charge
    condition once an offence is charged."""
    shown = []
    stages = [Stage.ARREST]
    if any(o.state == "charged" for o in record.record_offences.all()):
        stages.append(Stage.CHARGE)
    for stage in stages:
        decision = rules.test_eligibility(record, stage)
        shown.append({"stage": Stage(stage).label, **_decision_view(decision)})
    return shown


def record_context(request: HttpRequest, record: CustodyRecord) -> dict[str, Any]:
    """What the record page (and the charge screen) show."""
    user = user_of(request)
    actions = custody_actions.actions_for(record, user)
    test = DrugTest.objects.filter(record=record).first()
    assessment = selectors.assessment_of(user, record)
    bail = rules.bail_restriction(record)
    context: dict[str, Any] = {
        "record": record,
        "actions": actions,
        "person_visible": restrict(
            Person.objects.filter(pk=record.person_id), user, "view"
        ).exists(),
        "offences": list(selectors.offences_of(user, record)),
        "eligibility": eligibility_of(record),
        "authorisations": [
            _tagged(a)
            for a in selectors.authorisations_of(user, record).select_related(
                "requested_of", "authorised_by"
            )
        ],
        "test": test,
        "test_result": DrugResult(test.result).label if test and test.result else "",
        "confirmatory_result": (
            DrugResult(test.confirmatory_result).label if test and test.confirmatory_result else ""
        ),
        "earliest_appointment": rules.earliest_appointment(test) if test else None,
        "assessment": assessment,
        "bail": _decision_view(bail),
        "today": timezone.localdate(),
    }
    if test is not None and assessment is None:
        context["assessment_decision"] = _decision_view(rules.assessment_eligibility(record, test))
    if assessment is not None:
        context.update(
            assessment_tag=STATE_TAGS.get(assessment.state, "govuk-tag--red"),
            assessment_finished=assessment.state in lifecycle.FINISHED,
            events=list(selectors.events_of(user, assessment)),
            notices=list(selectors.notices_of(user, assessment)),
            breach_tasks=list(
                selectors.breach_tasks(user, open_only=False).filter(assessment=assessment)
            ),
            referral_url=(
                reverse("referrals:detail", args=[assessment.referral_id])
                if assessment.referral_id
                else ""
            ),
        )
    return context


@permission_required("custody.view")
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = scoped_get(
        request,
        CustodyRecord.objects.select_related("suite", "person", "created_by", "officer_in_case"),
        pk,
        "view",
        audit_read=False,
    )
    audit_request(request, AuditAction.READ, obj=record, person_id=record.person_id)
    context = record_context(request, record)
    context["crumbs"] = [list_crumb(), (record.custody_number, None)]
    return render(request, "custody/record_detail.html", context)


# --- notices ------------------------------------------------------------------------------------


def _download_name(notice: Notice) -> str:
    """No name in the file name: the custody number's safe characters and the kind."""
    number = "".join(c if c.isalnum() else "-" for c in notice.assessment.record.custody_number)
    return f"{notice.kind}-{number}-{notice.pk}.pdf"


@permission_required("custody.read_assessment")
def notice_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A stored notice or statement, as the PDF that was given (audited read). Provider
    staff download the notices of the requirement behind their referral, never the
    police's statement (the notice policy, ``custody.policies``)."""
    notice = scoped_get(
        request,
        Notice.objects.select_related("assessment__record"),
        pk,
        "view",
        audit_read=False,
    )
    audit_request(
        request,
        AuditAction.READ,
        obj=notice,
        person_id=notice.assessment.record.person_id,
        reason=f"{notice.kind} downloaded",
    )
    response = HttpResponse(printing.notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(notice)}"'
    response["Cache-Control"] = "no-store"
    return response


def _tagged(authorisation: InspectorAuthorisation) -> InspectorAuthorisation:
    authorisation.state_label = authorisation_state(authorisation)  # type: ignore[attr-defined]
    return authorisation


def authorisation_state(authorisation: InspectorAuthorisation) -> str:
    if authorisation.awaiting_written_confirmation:
        return _("Authorised orally: awaiting written confirmation")
    return str(authorisation.get_state_display())
