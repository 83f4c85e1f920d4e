"""The custody pages through the views: booking to a booked required assessment, the
notices, the inspector's and the breach pages, and every refusal of the issue shown as an
error summary with its rule while nothing is saved (the services' own tests are in the
other modules)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.custody import rules
from pontio.custody.models import (
    AssessmentState,
    BreachTask,
    CustodyRecord,
    DrugTest,
    InspectorAuthorisation,
    Notice,
    RequiredAssessment,
)
from pontio.custody.tests.helpers import (
    CONTEXT,
    book,
    fresh,
    impose,
    make_person,
    next_working_day,
    positive,
    request,
    sample,
)
from pontio.people.models import CustodyNumber
from pontio.referrals.models import Pathway

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    return html.unescape(response.content.decode())


def sergeant() -> Client:
    return demo_sign_in("custody.sergeant")


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _offence_pk(code: str) -> int:
    from pontio.custody.models import Offence

    return Offence.objects.get(code=code).pk


def _suite_pk(code: str) -> int:
    from pontio.custody.models import CustodySuite

    return CustodySuite.objects.get(code=code).pk


def _error_summary(text: str) -> str:
    start = text.index("govuk-error-summary")
    return text[start : start + 3000]


# --- booking to a booked assessment ----------------------------------------------------------


def test_a_sergeant_books_tests_and_requires_an_assessment_through_the_pages(world):  # type: ignore[no-untyped-def]
    client = sergeant()
    person = world["person"]
    url = reverse("custody:book")
    # 1. Find: the name is posted, never in the URL; the known person is offered.
    response = client.post(
        url,
        {
            "step": "find",
            "given_name": "Dafydd",
            "family_name": "Jones",
            **_date("date_of_birth", person.date_of_birth),
        },
    )
    assert response.status_code == 302 and "Jones" not in response["Location"]
    shown = page(client.get(url))
    assert "This is the person" in shown
    client.post(url, {"step": "choose", "person": person.pk})
    assert "The custody record" in page(client.get(url))
    arrested = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    response = client.post(
        url,
        {
            "step": "book",
            "suite": _suite_pk("LLANELLI"),
            "custody_number": "ll/0042/26",
            **_date("arrested_on", arrested.date()),
            "arrested_time": arrested.strftime("%H:%M"),
            "offences": [_offence_pk("TA1968_S1")],
        },
    )
    record = CustodyRecord.objects.get()
    assert response["Location"] == reverse("custody:detail", args=[record.pk])
    assert CustodyNumber.objects.filter(person=person, number="LL/0042/26").exists()
    detail = page(client.get(response["Location"]))
    assert "the person may be tested, because:" in detail
    assert "Arrested for a trigger offence" in detail and "PACE s63B(1A)" in detail
    # 2. Warn and request; sample; result.
    response = client.post(
        reverse("custody:test-request", args=[record.pk]),
        {"version": fresh(record).version, "stage": "arrest", "warning_given": "on"},
    )
    assert response.status_code == 302, page(response)
    client.post(
        reverse("custody:test-outcome", args=[record.pk]),
        {"version": fresh(record).version, "outcome": "sample_taken"},
    )
    client.post(
        reverse("custody:test-result", args=[record.pk]),
        {"version": fresh(record).version, "result": "cocaine"},
    )
    assert DrugTest.objects.get(record=record).result == "cocaine"
    # 3. Impose: the contact route is prefilled from the person.
    impose_url = reverse("custody:assessment-impose", args=[record.pk])
    form = page(client.get(impose_url))
    assert "1 Heol y Bryn" in form
    when = next_working_day()
    response = client.post(
        impose_url,
        {
            "version": fresh(record).version,
            **_date("on", when.date()),
            "time": "10:00",
            "appointment_place": "DDAS, 1 Stepney Street, Llanelli",
            "consent_given": "yes",
            "contact_channels": ["letter"],
            "address_line_1": "1 Heol y Bryn",
            "address_town": "Llanelli",
            "address_postcode": "SA15 1AA",
        },
    )
    assert response.status_code == 302, _error_summary(page(response))
    assessment = RequiredAssessment.objects.get(record=record)
    assert assessment.referral.pathway == Pathway.TEST_ON_ARREST
    detail = page(client.get(reverse("custody:detail", args=[record.pk])))
    assert reverse("referrals:detail", args=[assessment.referral_id]) in detail
    notice = Notice.objects.get(assessment=assessment, kind="RA1")
    assert reverse("custody:notice", args=[notice.pk]) in detail
    download = client.get(reverse("custody:notice", args=[notice.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Jones" not in download["Content-Disposition"]
    assert bytes(download.content).startswith(b"%PDF")


def test_the_list_shows_records_in_scope_and_filters_by_suite(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], number="LL/7/26")
    client = sergeant()
    assert "LL/7/26" in page(client.get(reverse("custody:list")))
    other = page(client.get(reverse("custody:list"), {"suite": _suite_pk("HAVERFORDWEST")}))
    assert "LL/7/26" not in other
    assert "LL/7/26" in page(client.get(reverse("custody:list"), {"state": "no_test"}))
    # An inspector of another county does not see it.
    assert record.custody_number not in page(demo_sign_in("inspector").get(reverse("custody:list")))


# --- the refusals of the issue, through the pages ------------------------------------------


def _request_refused(client: Client, record: CustodyRecord, **data: Any) -> str:
    response = client.post(
        reverse("custody:test-request", args=[record.pk]),
        {"version": fresh(record).version, "stage": "arrest", "warning_given": "on", **data},
    )
    assert response.status_code == 200
    assert not DrugTest.objects.filter(record=record).exists()
    return _error_summary(page(response))


def test_testing_someone_under_the_age_is_refused_with_the_rule(world):  # type: ignore[no-untyped-def]
    young = make_person("Iolo", "Rees", dob=timezone.localdate() - dt.timedelta(days=17 * 366))
    record = book(world["custody.sergeant"], young, appropriate_adult_name="Mair Rees")
    summary = _request_refused(sergeant(), record, appropriate_adult_present="on")
    assert "On arrest a person can be tested only from 18" in summary
    assert "PACE s63B(3)" in summary


def test_a_non_trigger_offence_without_authorisation_is_refused(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], "CJA1988_S39")
    summary = _request_refused(sergeant(), record)
    assert "no inspector has authorised a test" in summary
    assert "PACE s63B(1A)" in summary


def test_a_suite_not_notified_is_refused(world, make_user):  # type: ignore[no-untyped-def]
    from pontio.accounts.roles import Role
    from pontio.custody.tests.helpers import POWYS

    powys = make_user(roles=[Role.CUSTODY_SERGEANT], counties=[POWYS])
    someone = make_person("Gwyn", "Pugh", county_code=POWYS, town="Newtown", postcode="SY16 1AA")
    record = book(powys, someone, suite_code="NEWTOWN")
    from tests.conftest import sign_in_client

    summary = _request_refused(sign_in_client(powys), record)
    assert "is not notified" in summary and "PACE s63B(1)(c)" in summary


def test_asking_someone_below_the_rank_of_inspector_is_refused(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], "CJA1988_S39")
    response = sergeant().post(
        reverse("custody:authorisation-request", args=[record.pk]),
        {
            "version": fresh(record).version,
            "stage": "arrest",
            "inspector": world["custody.officer"].pk,
        },
    )
    assert response.status_code == 200
    summary = _error_summary(page(response))
    assert "Only an officer of at least the rank of inspector" in summary
    assert not InspectorAuthorisation.objects.filter(record=record).exists()


def test_an_inspector_grants_and_the_person_may_then_be_tested(world):  # type: ignore[no-untyped-def]
    from pontio.custody import services

    record = book(world["custody.sergeant"], world["person"], "CJA1988_S39")
    asked = services.authorisation_request(
        context=CONTEXT,
        actor=world["custody.sergeant"],
        record_id=record.pk,
        expected_version=fresh(record).version,
        stage="arrest",
        inspector=world["carms_inspector"],
    )
    from tests.conftest import sign_in_client

    inspector = sign_in_client(world["carms_inspector"])
    home = page(inspector.get("/"))
    assert "authorisation waiting for your decision" in home
    assert record.custody_number in page(inspector.get(reverse("custody:authorisations")))
    url = reverse("custody:authorisation-decide", args=[asked.pk])
    response = inspector.post(
        url, {"version": asked.version, "decision": "grant", "grounds": "short"}
    )
    assert "Describe the grounds in more detail" in _error_summary(page(response))
    response = inspector.post(
        url,
        {
            "version": asked.version,
            "decision": "grant",
            "grounds": "Found with crack pipes; says he steals to buy crack cocaine.",
            "oral": "oral",
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.awaiting_written_confirmation
    inspector.post(
        reverse("custody:authorisation-confirm", args=[asked.pk]), {"version": asked.version}
    )
    asked.refresh_from_db()
    assert asked.confirmed_in_writing_at is not None
    assert "an inspector has authorised the test" in page(
        sergeant().get(reverse("custody:detail", args=[record.pk]))
    )


def test_a_result_without_a_sample_is_refused(world):  # type: ignore[no-untyped-def]
    from pontio.custody import services

    record = book(world["custody.sergeant"], world["person"])
    request(world["custody.sergeant"], record)
    services.test_outcome(
        context=CONTEXT,
        actor=world["custody.sergeant"],
        record_id=record.pk,
        expected_version=fresh(record).version,
        outcome="refused",
    )
    client = sergeant()
    detail = page(client.get(reverse("custody:detail", args=[record.pk])))
    assert "PACE s63C(1)" in detail
    response = client.post(
        reverse("custody:test-result", args=[record.pk]),
        {"version": fresh(record).version, "result": "cocaine"},
    )
    summary = _error_summary(page(response))
    assert "No sample was taken" in summary and "PACE s63B(1)" in summary
    assert DrugTest.objects.get(record=record).result == ""


def _impose_post(client: Client, record: CustodyRecord, when: dt.datetime) -> Any:
    return client.post(
        reverse("custody:assessment-impose", args=[record.pk]),
        {
            "version": fresh(record).version,
            **_date("on", timezone.localtime(when).date()),
            "time": timezone.localtime(when).strftime("%H:%M"),
            "appointment_place": "DDAS, Llanelli",
            "consent_given": "yes",
            "contact_channels": ["phone"],
            "contact_phone": "07700 900123",
        },
    )


def test_an_appointment_inside_the_dispute_window_is_refused(world):  # type: ignore[no-untyped-def]
    record = positive(
        world["custody.sergeant"],
        world["person"],
        disputed=True,
        dt1_completed=True,
        dt2_completed=True,
    )
    tomorrow = next_working_day(days=1)
    response = _impose_post(sergeant(), record, tomorrow)
    summary = _error_summary(page(response))
    assert "The result is disputed" in summary and "Drugs Act 2005 s16" in summary
    assert not RequiredAssessment.objects.filter(record=record).exists()
    earliest = rules.earliest_appointment(DrugTest.objects.get(record=record))
    assert earliest is not None


def test_an_assessment_after_a_negative_test_is_refused(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"])
    request(world["custody.sergeant"], record)
    sample(world["custody.sergeant"], record, "negative")
    response = _impose_post(sergeant(), record, next_working_day())
    summary = _error_summary(page(response))
    assert "The test was negative" in summary and "Drugs Act 2005 s9" in summary
    assert not RequiredAssessment.objects.filter(record=record).exists()


def test_an_assessment_for_someone_under_18_is_refused(world):  # type: ignore[no-untyped-def]
    from pontio.custody import services

    young = make_person("Iolo", "Rees", dob=timezone.localdate() - dt.timedelta(days=16 * 366))
    actor = world["custody.sergeant"]
    record = book(actor, young, appropriate_adult_name="Mair Rees")
    item = record.record_offences.get()
    services.record_offence_set_state(
        context=CONTEXT,
        actor=actor,
        record_id=record.pk,
        expected_version=fresh(record).version,
        offence_id=item.pk,
        state="charged",
    )
    request(actor, record, stage="charge", appropriate_adult_present=True)
    sample(actor, record, "opiates")
    response = _impose_post(sergeant(), record, next_working_day())
    summary = _error_summary(page(response))
    assert "only of someone aged 18 or over" in summary
    assert not RequiredAssessment.objects.filter(record=record).exists()


def test_a_stale_version_shows_the_conflict_message(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"])
    stale = fresh(record).version
    request(world["custody.sergeant"], record)
    response = sergeant().post(
        reverse("custody:test-outcome", args=[record.pk]),
        {"version": stale, "outcome": "sample_taken"},
    )
    assert "Someone else changed this record" in _error_summary(page(response))
    assert DrugTest.objects.get(record=record).outcome == ""


def test_the_charge_screen_shows_the_restriction_on_bail(world):  # type: ignore[no-untyped-def]
    record = positive(world["custody.sergeant"], world["person"])
    shown = page(sergeant().get(reverse("custody:charge", args=[record.pk])))
    assert "Charge" in shown and "Bail Act 1976" in shown


# --- failure to attend: the police's task -------------------------------------------------------


def _failed(world: Any) -> BreachTask:
    from pontio.referrals import services as referral_services
    from pontio.referrals.models import Appointment, Status

    actor = world["custody.sergeant"]
    record = positive(actor, world["person"])
    assessment = impose(actor, record)
    caseworker = world["caseworker"]
    referral = assessment.referral
    referral_services.referral_transition(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        expected_version=referral.version,
        to_status=Status.ACCEPTED,
    )
    past = timezone.now() - dt.timedelta(hours=2)
    Appointment.objects.filter(pk=assessment.appointment_id).update(starts_at=past)
    appointment = Appointment.objects.get(pk=assessment.appointment_id)
    referral_services.appointment_record_attendance(
        context=CONTEXT,
        actor=caseworker,
        appointment_id=appointment.pk,
        expected_version=appointment.version,
        attendance="dna",
    )
    assert RequiredAssessment.objects.get(pk=assessment.pk).state == (
        AssessmentState.INITIAL_FAILED_TO_ATTEND
    )
    return BreachTask.objects.get(assessment=assessment)


def test_the_police_decide_on_a_failure_to_attend(world):  # type: ignore[no-untyped-def]
    task = _failed(world)
    client = sergeant()
    assert "failure to attend waiting for a decision" in page(client.get("/"))
    listed = page(client.get(reverse("custody:breach-list")))
    assert task.assessment.record.custody_number in listed
    url = reverse("custody:breach-detail", args=[task.pk])
    shown = page(client.get(url))
    assert reverse("custody:notice", args=[task.statement_id]) in shown
    statement = client.get(reverse("custody:notice", args=[task.statement_id]))
    assert statement["Content-Type"] == "application/pdf"
    response = client.post(url, {"version": task.version, "decision": "prosecute", "reason": ""})
    assert "Enter the reason for the decision" in _error_summary(page(response))
    response = client.post(
        url, {"version": task.version, "decision": "prosecute", "reason": "No reason given."}
    )
    assert response.status_code == 302
    assert BreachTask.objects.get(pk=task.pk).decision == "prosecute"


def test_the_provider_cannot_read_the_police_statement(world):  # type: ignore[no-untyped-def]
    task = _failed(world)
    response = demo_sign_in("caseworker").get(reverse("custody:notice", args=[task.statement_id]))
    assert response.status_code in (403, 404)


# --- reference data ----------------------------------------------------------------------------


def test_an_administrator_ends_an_offence_with_a_date_and_a_stale_copy_conflicts(world):  # type: ignore[no-untyped-def]
    from pontio.custody.models import Offence

    admin = demo_sign_in("admin")
    assert "Theft" in page(admin.get(reverse("custody:reference")))
    offence = Offence.objects.get(code="TA1968_S1")
    url = reverse("custody:offence-edit", args=[offence.pk])
    data = {
        "version": offence.version,
        "code": offence.code,
        "label_en": offence.label_en,
        "label_cy": offence.label_cy,
        "act": offence.act,
        "section": offence.section,
        "trigger": "on",
        **_date("valid_to", timezone.localdate() + dt.timedelta(days=30)),
    }
    assert admin.post(url, data).status_code == 302
    assert Offence.objects.get(pk=offence.pk).valid_to is not None
    response = admin.post(url, data)  # the same (now stale) version again
    assert "Someone else changed this record" in _error_summary(page(response))
    assert sergeant().get(url).status_code == 403
