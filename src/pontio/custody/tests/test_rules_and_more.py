"""Rules shown with their reasons, booking a new person, varying, restriction on bail,
and the reference data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pontio.custody import reference, rules, services
from pontio.custody.models import (
    AssessmentState,
    CustodySuite,
    Notice,
    Offence,
    RecordOffence,
    SuiteNotification,
)
from pontio.custody.tests.helpers import (
    CONTEXT,
    book,
    fresh,
    impose,
    next_working_day,
    offence,
    positive,
    suite,
)
from pontio.people.models import Person
from pontio.people.services import PersonData
from pontio.referrals.models import Appointment

pytestmark = pytest.mark.django_db


def test_reference_data_is_loaded_and_dated(world):  # type: ignore[no-untyped-def]
    assert CustodySuite.objects.count() == len(reference.SUITES)
    assert not SuiteNotification.objects.filter(suite__code="NEWTOWN").exists()
    assert offence("FA2006_S1").valid_from == dt.date(2007, 8, 1)
    assert offence("MDA1971_S4").class_a_only and offence("MDA1971_S4").trigger
    assert not offence("CJA1988_S39").trigger
    reference.load_all()  # idempotent
    assert Offence.objects.count() == len(reference.OFFENCES)


def test_fraud_was_not_a_trigger_offence_before_august_2007(world):  # type: ignore[no-untyped-def]
    item = RecordOffence(offence=offence("FA2006_S1"))
    assert rules.is_trigger(item, dt.date(2007, 8, 1))
    assert not rules.is_trigger(item, dt.date(2007, 7, 31))


def test_every_rule_is_shown_with_its_section(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"])
    decision = rules.test_eligibility(record, "arrest")
    assert decision.eligible
    assert [r.rule for r in decision.reasons] == [
        rules.ARREST_CONDITION,
        rules.AGE_CONDITION,
        rules.NOTIFICATION_CONDITION,
        rules.APPROPRIATE_ADULT,
    ]
    assert all(r.section.startswith("PACE s63B") for r in decision.reasons)
    charge = rules.test_eligibility(record, "charge")
    assert not charge.eligible
    assert [r.rule for r in charge.not_met] == [rules.CHARGE_CONDITION]


def test_booking_a_new_person_checks_the_matcher(world):  # type: ignore[no-untyped-def]
    data = services.BookingData(
        custody_number="LL/9/26",
        suite=suite(),
        arrested_at=timezone.now() - dt.timedelta(hours=1),
        offences=[services.OffenceEntry(offence("TA1968_S9"))],
    )
    twin = PersonData(given_name="Dafydd", family_name="Jones", date_of_birth=dt.date(1990, 3, 27))
    with pytest.raises(ValidationError) as error:
        services.custody_book(
            context=CONTEXT, actor=world["custody.sergeant"], data=data, new_person=twin
        )
    assert error.value.error_dict["person"][0].code == "likely_match"
    record = services.custody_book(
        context=CONTEXT,
        actor=world["custody.sergeant"],
        data=data,
        new_person=twin,
        confirm_new=True,
    )
    assert record.person_id != world["person"].pk
    assert Person.objects.filter(family_name="Jones").count() == 2


def test_booking_refuses_a_class_a_offence_without_the_answer(world):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        book(world["custody.sergeant"], world["person"], "MDA1971_S5_3")
    assert "class_a_involved" in error.value.message_dict


def test_varying_books_a_new_appointment_and_prints_ra2(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = positive(sergeant, world["person"])
    assessment = impose(sergeant, record)
    old = assessment.appointment_id
    varied = services.assessment_vary(
        context=CONTEXT,
        actor=sergeant,
        record_id=record.pk,
        expected_version=fresh(record).version,
        appointment_at=next_working_day(9),
        appointment_place="Dyfed Drug and Alcohol Service, Llanelli",
        reason="The person starts work on the first date.",
    )
    assert varied.state == AssessmentState.INITIAL_VARIED
    assert Appointment.objects.get(pk=old).attendance == Appointment.Attendance.CANCELLED
    assert varied.appointment_id != old
    assert Notice.objects.filter(assessment=varied, kind="RA2").exists()


def test_restriction_on_bail(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = positive(sergeant, world["person"])
    decision = rules.bail_restriction(fresh(record))
    assert not decision.eligible
    assert {r.rule for r in decision.not_met} == {rules.BAIL_CLASS_A, rules.BAIL_REFUSAL}
    assert all(r.section.startswith("Bail Act 1976") for r in decision.reasons)
