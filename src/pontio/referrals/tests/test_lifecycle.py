"""The lifecycle table and the code registry."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from pontio.audit.models import AuditEvent
from pontio.referrals import lifecycle
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


# The Welsh national reasons for closure (WNDSM/StatsWales, DOMAIN.md §4.1), written out here
# rather than read from ``codes.CODES``, so that a wrong code list fails this test.
NATIONAL_CLOSURES = {
    "CLO_PLANNED_SUBSTANCE_FREE": ("Planned - treatment complete - substance free", "completed"),
    "CLO_PLANNED_COMPLETE": ("Planned - treatment complete", "completed"),
    "CLO_PLANNED_REFERRED_ON": ("Planned - referred to another service", "completed"),
    "CLO_PLANNED_GP_PRESCRIBING": ("Planned - moved to GP-led prescribing", "completed"),
    "CLO_WITHDRAWN_BY_PROVIDER": ("Treatment withdrawn by provider", "failed"),
    "CLO_CLOSED_AT_CENTRE": ("Closed at centre", "failed"),
    "CLO_DNA_BEFORE_ASSESSMENT": ("Did not attend before assessment", "failed"),
    "CLO_DNA_BEFORE_TREATMENT": ("Did not attend before treatment", "failed"),
    "CLO_DNA_DURING_TREATMENT": ("Did not attend during treatment", "failed"),
    "CLO_INAPPROPRIATE": ("Inappropriate referral", "failed"),
    "CLO_CLIENT_UNAWARE": ("Client unaware of referral", "failed"),
    "CLO_CLIENT_DECLINED": ("Client declined treatment", "failed"),
    "CLO_NO_INFORMATION": ("No information supplied", "failed"),
}
NEUTRAL_CLOSURES = {"CLO_DIED", "CLO_PRISON", "CLO_MOVED_AWAY", "CLO_TRANSFERRED"}
POLICE_CODES = {
    "CAN_CONSENT_WITHDRAWN",
    "CAN_SENT_IN_ERROR",
    "CAN_NO_LONGER_NEEDED",
    "CAN_TRANSFERRED",
}


def test_the_registry_holds_the_thirteen_welsh_national_closure_reasons(db: Any) -> None:
    closures = ReferralCode.objects.filter(kind="closure")
    national = {
        c.code: (c.label_en, c.leads_to) for c in closures if not c.label_en.startswith("Neutral")
    }
    assert national == NATIONAL_CLOSURES
    assert {c.code for c in closures if c.label_en.startswith("Neutral")} == NEUTRAL_CLOSURES
    assert set(closures.filter(code__in=NEUTRAL_CLOSURES).values_list("leads_to", flat=True)) == {
        "cancelled"
    }
    assert set(closures.filter(planned=True).values_list("code", flat=True)) == {
        code for code, (_label, status) in NATIONAL_CLOSURES.items() if status == "completed"
    }
    assert all(c.label_cy for c in ReferralCode.objects.all())


def test_the_registry_has_the_expected_codes_of_each_kind(db: Any) -> None:
    counts = {
        row["kind"]: row["n"]
        for row in ReferralCode.objects.order_by().values("kind").annotate(n=Count("pk"))
    }
    assert counts == {"rejection": 6, "hold": 5, "cancellation": 4, "closure": 17}
    leads_to = set(ReferralCode.objects.order_by().values_list("kind", "leads_to").distinct())
    assert leads_to == {
        ("rejection", "rejected"),
        ("hold", "on-hold"),
        ("cancellation", "cancelled"),
        ("closure", "completed"),
        ("closure", "failed"),
        ("closure", "cancelled"),
    }


def test_the_police_choose_only_cancellations_and_the_provider_everything_else(
    db: Any,
) -> None:
    police = set(ReferralCode.objects.filter(chosen_by="police").values_list("code", flat=True))
    assert police == POLICE_CODES
    others = ReferralCode.objects.exclude(chosen_by="police").values_list("chosen_by", flat=True)
    assert set(others) == {"provider"}
    # Only "waiting for information from the police" keeps the timers running and hands over.
    running = ReferralCode.objects.filter(stops_timer=False)
    assert [(c.code, c.next_actor) for c in running] == [("HOLD_AWAITING_INFO", "police")]


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
