"""The decision services: a disposal recorded with its recommendation, its conditions (a
referring one makes the referral), authorised by the right rank, signed, breached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pontio.core.concurrency import StaleVersionError
from pontio.disposals.models import Disposal, DisposalCondition
from pontio.disposals.services import decisions
from pontio.disposals.tests.helpers import (
    CONTEXT,
    condition,
    data,
    dtype,
    make_person,
    offence,
    record,
)

pytestmark = pytest.mark.django_db


def test_the_journeys_offence_is_recommended_a_conditional_caution_with_its_reason(world):
    preview = decisions.disposal_preview(
        actor=world["custody.sergeant"], person_id=make_person().pk, data=data()
    )
    assert preview.score == 2
    assert preview.recommendation.disposal_type == dtype("conditional_caution")
    assert preview.recommendation.reason


def test_the_decision_is_stored_with_the_recommendation_and_awaits_authorisation(world):
    disposal = record(world["custody.sergeant"], make_person())
    assert disposal.state == "awaiting_authorisation"
    assert disposal.recommended_type == dtype("conditional_caution")
    assert disposal.recommendation_reason
    assert disposal.compliance_due == timezone.localdate() + dt.timedelta(weeks=16)
    assert disposal.reference.startswith("OOCD-")


def _refused(actor, person, field, **changes):
    before = Disposal.objects.count()
    with pytest.raises(ValidationError) as caught:
        record(actor, person, **changes)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert Disposal.objects.count() == before


def test_bad_decisions_are_refused_and_nothing_is_saved(world):
    sergeant = world["custody.sergeant"]
    _refused(sergeant, make_person(), "admission", admission="no_reply")
    _refused(sergeant, make_person(), "victim_views_text", victim_views="recorded")
    _refused(sergeant, make_person(), "decision_rationale", decision_rationale=" ")
    _refused(
        sergeant,
        make_person(),
        "compliance_due",
        compliance_due=timezone.localdate() + dt.timedelta(weeks=21),
    )


def test_a_rehabilitative_drug_condition_makes_the_referral_to_the_provider(world):
    sergeant = world["custody.sergeant"]
    disposal = record(sergeant, make_person())
    row = decisions.condition_add(
        context=CONTEXT,
        actor=sergeant,
        disposal_id=disposal.pk,
        expected_version=disposal.version,
        condition=condition(),
    )
    assert row.referral is not None
    assert row.referral.pathway == "oocd"
    assert row.referral.source_reference == disposal.reference
    assert row.responsible == "provider"


def test_a_condition_over_the_cap_is_refused_and_nothing_is_saved(world):
    sergeant = world["custody.sergeant"]
    disposal = record(sergeant, make_person())
    with pytest.raises(ValidationError) as caught:
        decisions.condition_add(
            context=CONTEXT,
            actor=sergeant,
            disposal_id=disposal.pk,
            expected_version=disposal.version,
            condition=condition("unpaid_work", hours=25, contact=None),
        )
    assert "hours" in caught.value.message_dict
    assert not DisposalCondition.objects.filter(disposal=disposal).exists()


def test_a_custody_officer_cannot_authorise(world):
    disposal = record(world["custody.sergeant"], make_person())
    with pytest.raises(Exception):  # noqa: B017 (a permission or a rule: both refuse)
        decisions.disposal_authorise(
            context=CONTEXT,
            actor=world["custody.officer"],
            disposal_id=disposal.pk,
            expected_version=disposal.version,
        )
    disposal.refresh_from_db()
    assert disposal.state == "awaiting_authorisation"


def test_a_missed_condition_follows_the_conditional_cautions_prosecution_route(world):
    sergeant = world["custody.sergeant"]
    disposal = record(sergeant, make_person())
    row = decisions.condition_add(
        context=CONTEXT,
        actor=sergeant,
        disposal_id=disposal.pk,
        expected_version=disposal.version,
        condition=condition("apology", contact=None, description="Write a letter of apology."),
    )
    disposal.refresh_from_db()
    disposal = decisions.disposal_authorise(
        context=CONTEXT, actor=sergeant, disposal_id=disposal.pk, expected_version=disposal.version
    )
    disposal = decisions.agreement_sign(
        context=CONTEXT, actor=sergeant, disposal_id=disposal.pk, expected_version=disposal.version
    )
    decisions.condition_status_set(
        context=CONTEXT,
        actor=sergeant,
        condition_id=row.pk,
        status="not_complied",
        evidence="No letter by the due date.",
    )
    disposal.refresh_from_db()
    disposal = decisions.breach_follow(
        context=CONTEXT,
        actor=sergeant,
        disposal_id=disposal.pk,
        expected_version=disposal.version,
        reason="No apology written.",
    )
    assert disposal.state == "breached"
    assert disposal.breach_route == "prosecution"
    assert [e.to_state for e in disposal.events.all()] == [
        "awaiting_authorisation",
        "authorised",
        "active",
        "breached",
    ]


def test_a_stale_version_is_refused(world):
    disposal = record(world["custody.sergeant"], make_person())
    with pytest.raises(StaleVersionError):
        decisions.disposal_authorise(
            context=CONTEXT,
            actor=world["custody.sergeant"],
            disposal_id=disposal.pk,
            expected_version=disposal.version + 5,
        )


def test_a_charge_decision_is_closed_at_once(world):
    disposal = record(
        world["custody.sergeant"],
        make_person(),
        outcome="charge",
        disposal_type=None,
        offence=offence("class_a_supply"),
    )
    assert disposal.state == "closed"


def test_a_diversion_scheme_condition_refers_to_the_navigators_and_opens_the_contract(world):
    from pontio.disposals.models import DiversionContract

    sergeant = world["custody.sergeant"]
    disposal = record(sergeant, make_person())
    row = decisions.condition_add(
        context=CONTEXT,
        actor=sergeant,
        disposal_id=disposal.pk,
        expected_version=disposal.version,
        condition=condition("diversion_scheme"),
    )
    assert row.referral.service_id == world["scheme"].service_id
    assert row.referral.pathway == "diversion"
    contract = DiversionContract.objects.get(referral=row.referral)
    assert contract.disposal == disposal
    assert contract.organisation_id == world["scheme"].navigator_organisation_id
    assert contract.state == "referred"
