"""The lifecycle table and the code registry."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pontio.audit.models import AuditEvent
from pontio.referrals import lifecycle
from pontio.referrals.codes import CODES
from pontio.referrals.models import FINISHED, Party, Referral, ReferralCode, Status
from pontio.referrals.tests.helpers import accepted, move, refer


def test_every_status_has_a_row_and_finished_statuses_lead_nowhere() -> None:
    assert set(lifecycle.ALLOWED) == set(Status.values)
    for status in FINISHED:
        assert lifecycle.allowed_moves(status) == frozenset()


def test_every_move_needing_a_code_has_codes_to_choose_from(db: Any) -> None:
    for to_status, kinds in lifecycle.NEEDS_CODE.items():
        codes = ReferralCode.objects.filter(leads_to=to_status, kind__in=kinds)
        assert codes.exists(), to_status


def test_the_registry_holds_the_thirteen_welsh_national_closure_reasons(db: Any) -> None:
    closures = ReferralCode.objects.filter(kind="closure")
    national = {c.label_en for c in closures if not c.label_en.startswith("Neutral")}
    assert len(national) == 13
    assert "DNA before assessment".replace("DNA", "Did not attend") in national
    assert all(c.label_cy for c in ReferralCode.objects.all())
    assert closures.filter(planned=True).count() == 4
    assert set(closures.filter(planned=True).values_list("leads_to", flat=True)) == {"completed"}


def test_the_migration_loaded_every_code(db: Any) -> None:
    assert set(ReferralCode.objects.values_list("code", flat=True)) == {c.code for c in CODES}


def test_codes_for_a_party_list_only_what_that_party_may_choose(db: Any) -> None:
    police = {c.code for c in lifecycle.codes_for(Status.CANCELLED, Party.POLICE)}
    provider = {c.code for c in lifecycle.codes_for(Status.CANCELLED, Party.PROVIDER)}
    assert "CAN_SENT_IN_ERROR" in police and "CAN_SENT_IN_ERROR" not in provider
    assert "CLO_DIED" in provider and "CLO_DIED" not in police


def test_a_rejection_needs_a_code(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(ValidationError) as error:
        move(world["caseworker"], referral, Status.REJECTED)
    assert error.value.message_dict["code"] == ["Choose a reason"]
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED


def test_an_unknown_code_is_refused_by_name_and_nothing_changes(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        move(world["caseworker"], referral, Status.REJECTED, code="REJ_BECAUSE")
    assert error.value.message_dict["code"] == ["“REJ_BECAUSE” is not a known reason code"]
    referral.refresh_from_db()
    assert (referral.status, referral.version) == (Status.REQUESTED, 1)
    assert AuditEvent.objects.count() == events


def test_a_code_of_the_wrong_kind_is_refused(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(ValidationError, match="cannot be used when a referral becomes"):
        move(world["caseworker"], referral, Status.REJECTED, code="CLO_PLANNED_COMPLETE")


def test_a_provider_cannot_choose_a_police_code(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(ValidationError, match="Only the police may choose"):
        move(world["caseworker"], referral, Status.CANCELLED, code="CAN_SENT_IN_ERROR")


def test_an_ended_code_can_no_longer_be_chosen(world: dict[str, Any]) -> None:
    import datetime as dt

    ReferralCode.objects.filter(code="REJ_OUT_OF_AREA").update(valid_to=dt.date(2020, 1, 1))
    referral = refer(world["officer"], world["person"])
    with pytest.raises(ValidationError, match="no longer in use"):
        move(world["caseworker"], referral, Status.REJECTED, code="REJ_OUT_OF_AREA")


def test_a_rejection_records_who_when_why_and_sends_it_back_to_the_police(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    move(
        world["caseworker"],
        referral,
        Status.REJECTED,
        code="REJ_NEEDS_NOT_MET",
        reason="Needs a detox bed",
    )
    referral.refresh_from_db()
    assert referral.next_actor == Party.POLICE
    assert referral.timer_stopped_on is not None
    event = referral.events.last()
    assert event is not None
    assert (event.from_status, event.to_status, event.code.code, event.reason) == (
        "requested",
        "rejected",
        "REJ_NEEDS_NOT_MET",
        "Needs a detox bed",
    )
    assert event.actor == world["caseworker"]
    assert referral.alerts.filter(recipient=world["officer"], kind="rejected").exists()


def test_a_hold_pauses_the_timers_and_pushes_them_back_on_resume(world: dict[str, Any]) -> None:
    import datetime as dt

    from django.utils import timezone

    from pontio.core.working_days import add_working_days

    referral = accepted(world["officer"], world["caseworker"], world["person"])
    move(world["caseworker"], referral, Status.ON_HOLD, code="HOLD_HOSPITAL")
    today = timezone.localdate()
    held_from = add_working_days(today, -3)
    Referral.objects.filter(pk=referral.pk).update(held_since=held_from)
    referral.refresh_from_db()
    due = referral.treatment_due
    move(world["caseworker"], referral, Status.IN_PROGRESS)
    referral.refresh_from_db()
    assert referral.held_since is None
    assert referral.treatment_due == add_working_days(due, 3)
    assert referral.treatment_due > due + dt.timedelta(days=2)


def test_the_police_can_only_withdraw(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    with pytest.raises(ValidationError, match="The police can withdraw a referral"):
        move(world["officer"], referral, Status.ACCEPTED)
    move(world["officer"], referral, Status.CANCELLED, code="CAN_CONSENT_WITHDRAWN")
    referral.refresh_from_db()
    assert referral.status == Status.CANCELLED
    assert referral.next_actor == Party.NOBODY
