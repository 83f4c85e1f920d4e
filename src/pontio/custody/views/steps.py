"""The steps of a custody record, each its own small page: charge, ask an inspector, warn
and request the test, the sample or refusal, the result, a dispute and its confirmatory
result, and the required assessment (impose RA1, vary RA2, follow-up RA4 / RA5).

Each page is open when ``actions.actions_for`` names its step, posts the record's version
the page was shown with, and shows a refusal of the service (the rule, in the user's
language, with its section) as a GOV.UK error summary: nothing is saved. A stale version is
the conflict message of ``core.concurrency``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.forms import GovukForm
from pontio.core.phones import national_format
from pontio.core.recording import AuditAction
from pontio.custody import actions as A
from pontio.custody import rules, selectors, services
from pontio.custody.forms import (
    AuthorisationGiveForm,
    AuthorisationRequestForm,
    ChargeForm,
    ConfirmatoryForm,
    DisputeForm,
    FollowupForm,
    ImposeForm,
    OffenceAddForm,
    RecordChangeForm,
    TestOutcomeForm,
    TestRequestForm,
    TestResultForm,
    VaryForm,
)
from pontio.custody.models import CustodyRecord, DrugTest, Offence, RequiredAssessment
from pontio.custody.views.common import (
    audit_refusal,
    context_of,
    record_crumbs,
    show_error,
    user_of,
)
from pontio.custody.views.records import record_context

APPOINTMENT_RENAMES = {"appointment_at": "on"}
CONTACT_RENAMES = {**APPOINTMENT_RENAMES}


def _record(request: HttpRequest, pk: int) -> CustodyRecord:
    record = scoped_get(
        request,
        CustodyRecord.objects.select_related("suite", "person"),
        pk,
        "change",
        audit_read=False,
    )
    audit_request(request, AuditAction.READ, obj=record, person_id=record.person_id)
    return record


def _step(
    request: HttpRequest,
    record: CustodyRecord,
    *,
    action: str,
    form: GovukForm,
    save: Callable[[Any], Any],
    done: str,
    title: str,
    template: str = "custody/step_form.html",
    renames: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    open_now: bool | None = None,
) -> HttpResponse:
    """The shared shape of a step: open only if the action is, save, or show the refusal.

    ``open_now`` opens a step the actions would not offer, so that the service refuses it
    with the rule that applies (a result without a sample, an assessment after a negative
    test) rather than the page hiding the reason."""
    if open_now is None:
        open_now = action in A.actions_for(record, user_of(request))
    if not open_now:
        # Back to the record, which shows where it stands (a stale page, a step done).
        messages.info(request, _("This step is not open now: the record has changed."))
        return HttpResponseRedirect(reverse("custody:detail", args=[record.pk]))
    if request.method == "POST" and form.is_bound:
        parsed = form.is_valid()
        try:
            if parsed:
                save(form)
                messages.success(request, done)
                return HttpResponseRedirect(reverse("custody:detail", args=[record.pk]))
        except ValidationError as error:
            show_error(form, error, renames)
            audit_refusal(request, error, action, record.person_id, record.pk)
    context = {
        "record": record,
        "form": form,
        "title": title,
        "crumbs": record_crumbs(record, title),
        **(extra or {}),
    }
    return render(request, template, context)


def _version(record: CustodyRecord) -> dict[str, Any]:
    return {"version": record.version}


# --- charge -------------------------------------------------------------------------------------


@permission_required("custody.book")
@require_http_methods(["GET", "POST"])
def charge(request: HttpRequest, pk: int) -> HttpResponse:
    """The charge screen: each offence charged or NFA, with the restriction on bail and a
    refusal to give a sample (the s63C(1) offence) shown where they apply."""
    record = _record(request, pk)
    form = ChargeForm(request.POST or None, initial=_version(record))

    def save(form: ChargeForm) -> None:
        services.record_offence_set_state(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=form.cleaned_data["version"],
            offence_id=form.cleaned_data["offence"],
            state=form.cleaned_data["state"],
        )

    return _step(
        request,
        record,
        action=A.CHARGE,
        form=form,
        save=save,
        done=_("The charge decision is recorded."),
        title=_("Charge"),
        template="custody/charge.html",
        extra=record_context(request, record),
    )


# --- the record's offences and details --------------------------------------------------------


@permission_required("custody.book")
@require_http_methods(["GET", "POST"])
def record_offence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Another offence the person is arrested for, in use on the day of the arrest, with the
    Class A question for the Misuse of Drugs Act offences."""
    record = _record(request, pk)
    offences = (
        Offence.objects.effective(timezone.localtime(record.arrested_at).date())
        .exclude(pk__in=record.record_offences.values("offence_id"))
        .order_by("sort_order", "code")
    )
    form = OffenceAddForm(request.POST or None, initial=_version(record), offences=offences)

    def save(form: OffenceAddForm) -> None:
        services.record_offence_add(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=form.cleaned_data["version"],
            entry=form.entry(),
        )

    return _step(
        request,
        record,
        action=A.ADD_OFFENCE,
        form=form,
        save=save,
        done=_("The offence is added to the record."),
        title=_("Add an offence"),
        renames={"offences": "offence"},
        extra={
            "intro": [
                _(
                    "The offences of the Misuse of Drugs Act 1971 are trigger offences only "
                    "if a specified Class A drug is involved (Criminal Justice and Court "
                    "Services Act 2000, Schedule 6)."
                )
            ]
        },
    )


@permission_required("custody.book")
@require_http_methods(["GET", "POST"])
def record_change(request: HttpRequest, pk: int) -> HttpResponse:
    """The appropriate adult (PACE s63B(5A)) and the officer in the case."""
    record = _record(request, pk)
    officers = list(selectors.officers_for(record))
    form = RecordChangeForm(
        request.POST or None,
        initial={
            **_version(record),
            "appropriate_adult_name": record.appropriate_adult_name,
            "appropriate_adult_relationship": record.appropriate_adult_relationship,
            "officer_in_case": record.officer_in_case_id,
        },
        officers=officers,
    )

    def save(form: RecordChangeForm) -> None:
        data = form.cleaned_data
        chosen = data.get("officer_in_case")
        # Any user posted: someone who is not an officer is refused by the service's rule.
        officer = User.objects.filter(pk=chosen).first() if chosen else None
        if chosen and officer is None:
            raise ValidationError(
                {
                    "officer_in_case": [
                        _("Choose an active police officer as the officer in the case")
                    ]
                }
            )
        services.record_update(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=data["version"],
            appropriate_adult_name=data.get("appropriate_adult_name") or "",
            appropriate_adult_relationship=data.get("appropriate_adult_relationship") or "",
            officer_in_case=officer,
        )

    return _step(
        request,
        record,
        action=A.CHANGE_RECORD,
        form=form,
        save=save,
        done=_("The record is changed."),
        title=_("Appropriate adult and officer in the case"),
        extra={
            "intro": [
                _(
                    "Anyone under 17 is warned, asked for a sample and sampled only with an "
                    "appropriate adult present (PACE s63B(5A))."
                )
            ]
        },
    )


# --- the inspector's authorisation ------------------------------------------------------------


@permission_required("custody.authorise")
@require_http_methods(["GET", "POST"])
def authorisation_give(request: HttpRequest, pk: int) -> HttpResponse:
    """An inspector records an authorisation nobody asked for through Pontio: the grounds,
    oral or in writing, and when. The rank rule is the service's (PACE s63B(1A)(b))."""
    record = _record(request, pk)
    charged = record.record_offences.filter(state="charged").exists()
    form = AuthorisationGiveForm(
        request.POST or None,
        initial={**_version(record), "stage": "charge" if charged else "arrest"},
    )

    def save(form: AuthorisationGiveForm) -> None:
        data = form.cleaned_data
        services.authorisation_give(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=data["version"],
            stage=data["stage"],
            grounds=data.get("grounds") or "",
            oral=data.get("oral") == "oral",
            at=form.at(),
        )

    return _step(
        request,
        record,
        action=A.AUTHORISE,
        form=form,
        save=save,
        done=_("Your authorisation is recorded."),
        title=_("Record an authorisation you gave"),
        renames={"at": "on"},
        extra={
            "intro": [
                _(
                    "Only an officer of at least the rank of inspector may authorise a test "
                    "where the offence is not a trigger offence (PACE s63B(1A)(b), (2)(b))."
                ),
                _("Leave the date and time blank to record it as given now."),
                _(
                    "An authorisation given orally must be confirmed in writing as soon as "
                    "practicable (PACE s63C(3))."
                ),
            ],
            "eligibility": record_context(request, record)["eligibility"],
        },
    )


@permission_required("custody.request_authorisation")
@require_http_methods(["GET", "POST"])
def authorisation_request(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    inspectors = list(selectors.inspectors_to_ask(record))
    form = AuthorisationRequestForm(
        request.POST or None, initial=_version(record), inspectors=inspectors
    )

    def save(form: AuthorisationRequestForm) -> None:
        chosen = form.cleaned_data.get("inspector")
        # Any active user: someone below the rank of inspector is refused by the rule
        # (PACE s63B(1A)(b)), not silently dropped.
        inspector = User.objects.filter(pk=chosen, is_active=True).first() if chosen else None
        services.authorisation_request(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=form.cleaned_data["version"],
            stage=form.cleaned_data["stage"],
            inspector=inspector,
            note=form.cleaned_data.get("note") or "",
        )

    return _step(
        request,
        record,
        action=A.REQUEST_AUTHORISATION,
        form=form,
        save=save,
        done=_("The inspector has been asked. Their decision will show on this record."),
        title=_("Ask an inspector to authorise a test"),
        extra={
            "intro": [
                _(
                    "Only an officer of at least the rank of inspector may authorise a test "
                    "where the offence is not a trigger offence (PACE s63B(1A)(b), (2)(b))."
                )
            ]
        },
    )


# --- the test -----------------------------------------------------------------------------------


@permission_required("custody.test")
@require_http_methods(["GET", "POST"])
def test_request(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    charged = record.record_offences.filter(state="charged").exists()
    form = TestRequestForm(
        request.POST or None,
        initial={**_version(record), "stage": "charge" if charged else "arrest"},
    )

    def save(form: TestRequestForm) -> None:
        data = form.cleaned_data
        services.test_request(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=data["version"],
            stage=data["stage"],
            warning_given=data.get("warning_given", False),
            told_of_authorisation=data.get("told_of_authorisation", False),
            appropriate_adult_present=data.get("appropriate_adult_present", False),
        )

    return _step(
        request,
        record,
        action=A.REQUEST_TEST,
        form=form,
        save=save,
        done=_("The request for a sample is recorded."),
        title=_("Warn and request a sample"),
        extra={"eligibility": record_context(request, record)["eligibility"]},
    )


@permission_required("custody.test")
@require_http_methods(["GET", "POST"])
def test_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    form = TestOutcomeForm(request.POST or None, initial=_version(record))

    def save(form: TestOutcomeForm) -> None:
        services.test_outcome(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=form.cleaned_data["version"],
            outcome=form.cleaned_data["outcome"],
            at=form.at(),
        )

    return _step(
        request,
        record,
        action=A.RECORD_OUTCOME,
        form=form,
        save=save,
        done=_("The outcome of the request is recorded."),
        title=_("Sample taken or refused"),
        renames={"at": "on"},
        extra={
            "intro": [
                _("Leave the date and time blank to record now."),
                _(
                    "Failing without good cause to give a sample is an offence "
                    "(PACE s63C(1)): it is shown when the person is charged."
                ),
            ]
        },
    )


@permission_required("custody.test")
@require_http_methods(["GET", "POST"])
def test_result(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    form = TestResultForm(request.POST or None, initial=_version(record))
    test = DrugTest.objects.filter(record=record).first()

    def save(form: TestResultForm) -> None:
        data = form.cleaned_data
        services.test_result(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=data["version"],
            result=data.get("result") or "",
            disputed=data.get("disputed", False),
            dt1_completed=data.get("dt1_completed", False),
            dt2_completed=data.get("dt2_completed", False),
        )

    # Open while there is a test without a result: without a sample the service refuses
    # with the rule (``rules.result_decision``), and the page says why beforehand.
    decision = rules.result_decision(test) if test is not None else None
    open_now = (
        test is not None
        and not test.result
        and A.RECORD_RESULT in A.actions_for(record, user_of(request)) | _sample_missing(test)
    )
    return _step(
        request,
        record,
        action=A.RECORD_RESULT,
        form=form,
        save=save,
        done=_("The result is recorded."),
        title=_("Test result"),
        open_now=open_now,
        extra={
            "intro": [
                _("Sample taken at %(time)s.")
                % {"time": _when(test.sample_taken_at if test is not None else None)}
                if decision is not None and decision.eligible
                else (decision.not_met[0].text if decision is not None else "")
            ]
        },
    )


def _sample_missing(test: DrugTest | None) -> frozenset[str]:
    """A test whose request has an outcome but no sample (refused): the result page stays
    reachable so that a result is refused with the rule, not hidden."""
    if test is not None and test.outcome and test.outcome != DrugTest.Outcome.SAMPLE_TAKEN:
        return frozenset({A.RECORD_RESULT})
    return frozenset()


def _when(moment: Any) -> str:
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(moment), "j F Y H:i") if moment else "-"


@permission_required("custody.test")
@require_http_methods(["GET", "POST"])
def test_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    form = DisputeForm(request.POST or None, initial=_version(record))

    def save(form: DisputeForm) -> None:
        services.test_dispute(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=form.cleaned_data["version"],
            dt1_completed=form.cleaned_data.get("dt1_completed", False),
            dt2_completed=form.cleaned_data.get("dt2_completed", False),
        )

    return _step(
        request,
        record,
        action=A.DISPUTE,
        form=form,
        save=save,
        done=_("The dispute is recorded: the sample goes for a confirmatory test."),
        title=_("The person disputes the result"),
        renames={"disputed": "dt1_completed"},
        extra={
            "intro": [
                _(
                    "A disputed result does not stop the required assessment, but its "
                    "appointment must be at least five working days after the sample, when the "
                    "confirmatory result is back."
                )
            ]
        },
    )


@permission_required("custody.test")
@require_http_methods(["GET", "POST"])
def test_confirmatory(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    form = ConfirmatoryForm(request.POST or None, initial=_version(record))

    def save(form: ConfirmatoryForm) -> None:
        services.test_confirmatory(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=form.cleaned_data["version"],
            result=form.cleaned_data["result"],
        )

    return _step(
        request,
        record,
        action=A.CONFIRMATORY,
        form=form,
        save=save,
        done=_("The confirmatory result is recorded."),
        title=_("Confirmatory result"),
    )


# --- the required assessment ------------------------------------------------------------------


def contact_initial(record: CustodyRecord) -> dict[str, Any]:
    """What Pontio already knows of the person: current phone and address."""
    person = record.person
    initial: dict[str, Any] = {"consent_given": "yes"}
    channels = []
    phone = person.phones.filter(is_current=True).first()
    if phone is not None:
        initial["contact_phone"] = national_format(phone.number)
        channels.append("phone")
    address = person.addresses.filter(valid_to__isnull=True).first()
    if address is not None:
        initial.update(
            address_line_1=address.line_1,
            address_line_2=address.line_2,
            address_town=address.town,
            address_postcode=address.postcode,
        )
        channels.append("letter")
    initial["contact_channels"] = channels
    return initial


@permission_required("custody.assess")
@require_http_methods(["GET", "POST"])
def assessment_impose(request: HttpRequest, pk: int) -> HttpResponse:
    """The initial assessment (RA1): the referral to the provider is made with it."""
    record = _record(request, pk)
    form = ImposeForm(request.POST or None, initial={**_version(record), **contact_initial(record)})

    def save(form: ImposeForm) -> None:
        services.assessment_impose(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=form.cleaned_data["version"],
            appointment_at=form.appointment_at(),
            appointment_place=form.cleaned_data.get("appointment_place") or "",
            contact=form.contact(),
            consent_given=form.consent(),
        )

    test = DrugTest.objects.filter(record=record).first()
    earliest = rules.earliest_appointment(test) if test else None
    intro = [
        _(
            "The person must attend an initial assessment with the drug service (Drugs Act "
            "2005 s9). Pontio prints the notice (RA1) in Welsh and English and sends the "
            "referral to the provider with the contact details below: there is no second form."
        )
    ]
    if earliest is not None:
        intro.append(
            _("The result is disputed: the appointment must be on or after %(date)s.")
            % {"date": _when_day(earliest)}
        )
    return _step(
        request,
        record,
        action=A.IMPOSE,
        form=form,
        save=save,
        done=_(
            "The initial assessment is required. Give the person the notice (RA1); the "
            "referral has gone to the provider."
        ),
        title=_("Require an initial assessment"),
        template="custody/impose.html",
        renames=CONTACT_RENAMES,
        open_now=_may_impose(request, record, test),
        extra={
            "intro": intro,
            "decision": record_context(request, record).get("assessment_decision"),
        },
    )


def _may_impose(request: HttpRequest, record: CustodyRecord, test: DrugTest | None) -> bool:
    """Open once the test has a result and no assessment is required yet: the service
    refuses a negative test or a person under 18 with the rule (Drugs Act 2005 s9)."""
    if A.IMPOSE in A.actions_for(record, user_of(request)):
        return True
    return (
        test is not None
        and bool(test.effective_result or test.outcome)
        and _assessment(record) is None
        and A.CHANGE_RECORD in A.actions_for(record, user_of(request))
    )


def _when_day(day: Any) -> str:
    from django.utils import formats

    return formats.date_format(day, "j F Y")


def _assessment(record: CustodyRecord) -> RequiredAssessment | None:
    return RequiredAssessment.objects.filter(record=record).first()


@permission_required("custody.assess")
@require_http_methods(["GET", "POST"])
def assessment_vary(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    form = VaryForm(request.POST or None, initial=_version(record))

    def save(form: VaryForm) -> None:
        services.assessment_vary(
            context=context_of(request),
            actor=user_of(request),
            record_id=record.pk,
            expected_version=form.cleaned_data["version"],
            appointment_at=form.appointment_at(),
            appointment_place=form.cleaned_data.get("appointment_place") or "",
            reason=form.cleaned_data.get("reason") or "",
        )

    return _step(
        request,
        record,
        action=A.VARY,
        form=form,
        save=save,
        done=_("The appointment is changed. Give the person the notice (RA2)."),
        title=_("Change the appointment"),
        renames=APPOINTMENT_RENAMES,
    )


@permission_required("custody.assess")
@require_http_methods(["GET", "POST"])
def assessment_followup(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    assessment = _assessment(record)
    version = assessment.version if assessment is not None else None
    form = FollowupForm(request.POST or None, initial={"version": version})

    def save(form: FollowupForm) -> None:
        if assessment is None:
            raise PermissionDenied
        required = form.is_required()
        services.assessment_followup(
            context=context_of(request),
            actor=user_of(request),
            assessment_id=assessment.pk,
            expected_version=form.cleaned_data["version"],
            required=required,
            appointment_at=form.appointment_at() if required else None,
            appointment_place=(form.cleaned_data.get("appointment_place") or "")
            if required
            else "",
            reason=form.cleaned_data.get("reason") or "",
        )

    return _step(
        request,
        record,
        action=A.FOLLOWUP,
        form=form,
        save=save,
        done=_("The follow-up decision is recorded."),
        title=_("Follow-up assessment"),
        renames=APPOINTMENT_RENAMES,
        extra={
            "intro": [
                _(
                    "The initial assessor decides (Drugs Act 2005 s10, s13): a follow-up with "
                    "its time and place (RA4), or none (RA5). Leave the appointment blank if "
                    "none is required."
                )
            ]
        },
    )
