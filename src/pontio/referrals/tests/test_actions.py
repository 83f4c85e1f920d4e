"""What a user may do with a referral now (``actions_for``), and that the services refuse the
same things: a button is shown exactly when pressing it can succeed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.referrals import services
from pontio.referrals.actions import WORK, actions_for, provider_actions, resend_refusal
from pontio.referrals.models import Referral, Status
from pontio.referrals.tests.helpers import CONTEXT, accepted, move, refer, service_named

S = Status


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.REQUESTED, {"accept", "reject"}),
        (S.RECEIVED, {"accept", "reject"}),
        (S.ACCEPTED, {"hold", "close", *WORK}),
        (S.IN_PROGRESS, {"hold", "close", *WORK}),
        # Accepting a held referral is resuming it: "resume", never "accept".
        (S.ON_HOLD, {"resume", "close", *WORK}),
        (S.REJECTED, set()),
        (S.COMPLETED, set()),
        (S.FAILED, set()),
        (S.CANCELLED, set()),
    ],
)
def test_the_provider_actions_follow_the_lifecycle_table(status: str, expected: set[str]) -> None:
    assert provider_actions(status) == expected


def test_the_caseworker_may_accept_or_reject_a_new_referral(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    assert actions_for(referral, world["caseworker"]) == {"accept", "reject"}
    assert actions_for(referral, world["provider.manager"]) == {"accept", "reject", "allocate"}


def test_the_referring_officer_and_their_supervisor_may_withdraw_or_resend(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    assert actions_for(referral, world["officer"]) == {"withdraw", "resend"}
    assert actions_for(referral, world["custody.sergeant"]) == {"withdraw", "resend"}


@pytest.mark.parametrize(
    "username", ["powys.caseworker", "navigator", "custody.officer", "inspector", "analyst"]
)
def test_people_outside_the_referral_may_do_nothing(world: dict[str, Any], username: str) -> None:
    referral = refer(world["officer"], world["person"])
    assert actions_for(referral, world[username]) == frozenset()


def test_a_rejected_referral_may_be_resent_but_not_withdrawn(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    move(world["caseworker"], referral, S.REJECTED, code="REJ_NEEDS_NOT_MET")
    referral.refresh_from_db()
    assert actions_for(referral, world["officer"]) == {"resend"}
    assert actions_for(referral, world["caseworker"]) == frozenset()


def test_once_resent_nothing_is_left_and_the_service_refuses_it_too(
    world: dict[str, Any],
) -> None:
    old = refer(world["officer"], world["person"])
    other = service_named(
        "DDAS Llanelli" if old.service.name != "DDAS Llanelli" else "DDAS Carmarthen"
    )
    services.referral_resend(
        context=CONTEXT,
        actor=world["officer"],
        referral_id=old.pk,
        expected_version=old.version,
        service_id=other.pk,
        reason="Closer to home",
    )
    old = Referral.objects.get(pk=old.pk)
    assert "resend" not in actions_for(old, world["officer"])
    refusal = resend_refusal(old)
    assert refusal is not None and refusal.code == "already_resent"
    with pytest.raises(ValidationError) as error:
        services.referral_resend(
            context=CONTEXT,
            actor=world["officer"],
            referral_id=old.pk,
            expected_version=old.version,
            service_id=other.pk,
            reason="Again",
        )
    assert error.value.code == "already_resent"


def test_work_is_offered_exactly_when_the_service_accepts_it(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    caseworker = world["caseworker"]

    def record() -> None:
        services.contact_attempt_add(
            context=CONTEXT,
            actor=caseworker,
            referral_id=referral.pk,
            at=timezone.now(),
            channel="phone",
            outcome="no_answer",
        )

    assert "record_contact" not in actions_for(referral, caseworker)
    with pytest.raises(ValidationError, match="Accept the referral"):
        record()
    referral = move(caseworker, referral, S.ACCEPTED)
    assert "record_contact" in actions_for(referral, caseworker)
    record()
    referral = move(caseworker, referral, S.FAILED, code="CLO_CLIENT_DECLINED")
    assert "record_contact" not in actions_for(referral, caseworker)
    with pytest.raises(ValidationError, match="This referral is closed"):
        record()


def test_a_held_referral_shows_resume_and_no_accept_button(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    move(world["caseworker"], referral, S.ON_HOLD, code="HOLD_HOSPITAL")
    page = demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk]))
    text = page.content.decode()
    assert page.context["actions"] == {"resume", "close", *WORK}
    assert "Resume the work" in text and "Accept the referral" not in text
    assert reverse("referrals:hold", args=[referral.pk]) not in text
