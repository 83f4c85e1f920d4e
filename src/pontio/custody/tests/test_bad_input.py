"""The issue's "Bad input" list: each refused with the rule that applies, nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pontio.custody import rules, services
from pontio.custody.models import (
    DrugTest,
    InspectorAuthorisation,
    RequiredAssessment,
)
from pontio.custody.tests.helpers import (
    CONTEXT,
    book,
    fresh,
    impose,
    make_person,
    positive,
    request,
    sample,
)
from pontio.referrals.models import Appointment, Referral

pytestmark = pytest.mark.django_db


def codes(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    found: set[str] = set()
    for item in error.value.error_list if hasattr(error.value, "error_list") else []:
        found.add(str(item.code))
    if hasattr(error.value, "error_dict"):
        for items in error.value.error_dict.values():
            found |= {str(i.code) for i in items}
    return found


def test_testing_someone_under_the_age_for_the_condition(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    teenager = make_person(given="Osian", dob=timezone.localdate().replace(year=2010))
    record = book(sergeant, teenager, appropriate_adult_name="Mair Lloyd")
    with pytest.raises(ValidationError) as error:
        request(sergeant, record, appropriate_adult_present=True)
    assert rules.AGE_CONDITION in codes(error)
    assert "PACE s63B(3)" in " ".join(error.value.messages)
    assert not DrugTest.objects.filter(record=record).exists()


def test_a_non_trigger_offence_without_an_authorisation(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = book(sergeant, world["person"], "CJA1988_S39")
    with pytest.raises(ValidationError) as error:
        request(sergeant, record)
    assert codes(error) == {rules.ARREST_CONDITION}
    assert not DrugTest.objects.filter(record=record).exists()


def test_cannabis_possession_is_not_a_trigger_offence(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = book(sergeant, world["person"], ("MDA1971_S5_2", False))
    with pytest.raises(ValidationError) as error:
        request(sergeant, record)
    assert codes(error) == {rules.ARREST_CONDITION}
    class_a = book(sergeant, make_person(given="Ifan"), ("MDA1971_S5_2", True))
    assert request(sergeant, class_a).pk


def test_an_authorisation_by_a_rank_below_inspector(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = book(sergeant, world["person"], "CJA1988_S39")
    with pytest.raises(ValidationError) as error:
        services.authorisation_give(
            context=CONTEXT,
            actor=sergeant,
            record_id=record.pk,
            expected_version=fresh(record).version,
            stage="arrest",
            grounds="Found with crack pipe, says he stole to buy crack cocaine.",
        )
    assert codes(error) == {rules.INSPECTOR_RANK}
    with pytest.raises(ValidationError) as error:
        services.authorisation_request(
            context=CONTEXT,
            actor=sergeant,
            record_id=record.pk,
            expected_version=fresh(record).version,
            stage="arrest",
            inspector=world["custody.officer"],
        )
    assert "PACE s63B(1A)(b), (2)(b)" in " ".join(error.value.messages)
    assert not InspectorAuthorisation.objects.filter(record=record).exists()


def test_testing_at_a_suite_that_is_not_notified(world, make_user):  # type: ignore[no-untyped-def]
    from pontio.accounts.roles import Role
    from pontio.custody.tests.helpers import POWYS

    powys_sergeant = make_user(roles=[Role.CUSTODY_SERGEANT], counties=[POWYS])
    person = make_person(given="Siân", county_code=POWYS, postcode="SY16 1AA", town="Newtown")
    record = book(powys_sergeant, person, suite_code="NEWTOWN")
    with pytest.raises(ValidationError) as error:
        request(powys_sergeant, record)
    assert codes(error) == {rules.NOTIFICATION_CONDITION}
    assert not DrugTest.objects.filter(record=record).exists()


def test_an_appointment_inside_the_dispute_window(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = positive(
        sergeant, world["person"], disputed=True, dt1_completed=True, dt2_completed=True
    )
    test = record.test
    earliest = rules.earliest_appointment(test)
    assert earliest is not None
    too_soon = timezone.make_aware(
        dt.datetime.combine(earliest - dt.timedelta(days=1), dt.time(10))
    )
    with pytest.raises(ValidationError) as error:
        impose(sergeant, record, at=too_soon)
    assert rules.DISPUTE_WINDOW in codes(error)
    assert not RequiredAssessment.objects.filter(record=record).exists()
    assert not Referral.objects.filter(person=record.person).exists()
    on_time = timezone.make_aware(dt.datetime.combine(earliest, dt.time(10)))
    assert impose(sergeant, record, at=on_time).pk


def test_a_result_without_a_sample(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = book(sergeant, world["person"])
    request(sergeant, record)
    services.test_outcome(
        context=CONTEXT,
        actor=sergeant,
        record_id=record.pk,
        expected_version=fresh(record).version,
        outcome="refused",
    )
    with pytest.raises(ValidationError) as error:
        services.test_result(
            context=CONTEXT,
            actor=sergeant,
            record_id=record.pk,
            expected_version=fresh(record).version,
            result="cocaine",
        )
    assert codes(error) == {rules.SAMPLE_TAKEN}
    test = DrugTest.objects.get(record=record)
    assert test.result == "" and test.refusal_offence


def test_a_required_assessment_after_a_negative_test(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = positive(sergeant, world["person"], result="negative")
    with pytest.raises(ValidationError) as error:
        impose(sergeant, record)
    assert codes(error) == {rules.POSITIVE_TEST}
    assert not RequiredAssessment.objects.exists()
    assert not Referral.objects.exists()
    assert not Appointment.objects.exists()


def test_a_required_assessment_for_someone_under_18(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    sixteen = timezone.localdate().replace(year=timezone.localdate().year - 16) - dt.timedelta(
        days=3
    )
    teenager = make_person(given="Osian", dob=sixteen)
    record = book(sergeant, teenager, appropriate_adult_name="Mair Lloyd")
    services.record_offence_set_state(
        context=CONTEXT,
        actor=sergeant,
        record_id=record.pk,
        expected_version=fresh(record).version,
        offence_id=record.record_offences.get().pk,
        state="charged",
    )
    request(sergeant, record, stage="charge", appropriate_adult_present=True)
    sample(sergeant, record, "opiates")
    with pytest.raises(ValidationError) as error:
        impose(sergeant, record)
    assert codes(error) == {rules.ASSESSMENT_AGE}
    assert not RequiredAssessment.objects.exists()


def test_a_required_assessment_where_assessment_is_not_notified(world):  # type: ignore[no-untyped-def]
    from pontio.custody.models import SuiteNotification

    sergeant = world["custody.sergeant"]
    record = positive(sergeant, world["person"])
    SuiteNotification.objects.filter(suite=record.suite, cohort="assessment").update(
        valid_to=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        impose(sergeant, record)
    assert codes(error) == {rules.ASSESSMENT_NOTIFICATION}


def test_an_impose_without_a_contact_route_saves_nothing(world):  # type: ignore[no-untyped-def]
    from pontio.referrals.contact import ContactRoute

    sergeant = world["custody.sergeant"]
    record = positive(sergeant, world["person"])
    version = fresh(record).version
    with pytest.raises(ValidationError) as error:
        impose(sergeant, record, contact=ContactRoute(channels=["phone"]))
    assert "contact_channels" in error.value.message_dict or "__all__" in error.value.message_dict
    assert not RequiredAssessment.objects.exists() and not Referral.objects.exists()
    assert fresh(record).version == version


def test_under_17_needs_the_appropriate_adult(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    fifteen = timezone.localdate().replace(year=timezone.localdate().year - 15) - dt.timedelta(
        days=3
    )
    record = book(sergeant, make_person(given="Osian", dob=fifteen))
    services.record_offence_set_state(
        context=CONTEXT,
        actor=sergeant,
        record_id=record.pk,
        expected_version=fresh(record).version,
        offence_id=record.record_offences.get().pk,
        state="charged",
    )
    with pytest.raises(ValidationError) as error:
        request(sergeant, record, stage="charge")
    assert codes(error) == {rules.APPROPRIATE_ADULT}
    services.record_update(
        context=CONTEXT,
        actor=sergeant,
        record_id=record.pk,
        expected_version=fresh(record).version,
        appropriate_adult_name="Mair Lloyd",
        appropriate_adult_relationship="Mother",
    )
    with pytest.raises(ValidationError) as error:
        request(sergeant, record, stage="charge", appropriate_adult_present=False)
    assert codes(error) == {rules.APPROPRIATE_ADULT}
    assert request(sergeant, record, stage="charge", appropriate_adult_present=True).pk


def test_a_request_without_the_warning(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = book(sergeant, world["person"])
    with pytest.raises(ValidationError) as error:
        request(sergeant, record, warning_given=False)
    assert codes(error) == {rules.WARNING}
    assert not DrugTest.objects.filter(record=record).exists()
