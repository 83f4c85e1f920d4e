"""Provider-to-provider transfer: proposing (routing refusals), accepting, declining,
withdrawing, the pages, the API and who is refused."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.concurrency import StaleVersionError
from pontio.core.models import County, Notification
from pontio.core.recording import AuditAction
from pontio.directory.models import Service
from pontio.people.models import Address
from pontio.referrals import lifecycle
from pontio.referrals.models import Alert, Referral, Status, Transfer
from pontio.referrals.services import transfers as service
from pontio.referrals.tests.helpers import CONTEXT, POWYS, accepted

pytestmark = pytest.mark.django_db


def powys_service() -> Service:
    return Service.objects.get(name="Kaleidoscope Newtown")


def moved_to_powys(person: Any) -> None:
    """The person now lives in Powys (their police record's current address)."""
    Address.objects.filter(person=person, valid_to__isnull=True).update(
        valid_to=dt.date(2026, 1, 1)
    )
    Address.objects.create(
        person=person,
        line_1="3 High Street",
        town="Llandrindod Wells",
        county=County.objects.get(ons_code=POWYS),
        postcode="LD1 5HF",
        valid_from=dt.date(2026, 1, 1),
    )


def working(world: dict[str, Any]) -> Referral:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    moved_to_powys(world["person"])
    return referral


def propose(world: dict[str, Any], referral: Referral, **changes: Any) -> Transfer:
    referral.refresh_from_db()
    values: dict[str, Any] = {
        "context": CONTEXT,
        "actor": world["caseworker"],
        "referral_id": referral.pk,
        "expected_version": referral.version,
        "service_id": powys_service().pk,
        "reason": "The person has moved to Llandrindod Wells.",
    }
    values.update(changes)
    return service.transfer_propose(**values)


def decide(world: dict[str, Any], transfer: Transfer, accept: bool = True, **changes: Any) -> Any:
    transfer.refresh_from_db()
    values: dict[str, Any] = {
        "context": CONTEXT,
        "actor": world["powys.caseworker"],
        "transfer_id": transfer.pk,
        "expected_version": transfer.version,
        "accept": accept,
        "reason": "",
    }
    values.update(changes)
    return service.transfer_decide(**values)


# --- proposing ------------------------------------------------------------------------


def test_a_service_that_does_not_take_the_person_is_refused_with_the_routing_reason(
    world: dict[str, Any],
) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])  # not moved
    with pytest.raises(ValidationError) as refused:
        propose(world, referral)
    message = refused.value.message_dict["service"][0]
    assert "does not serve Carmarthenshire" in message
    assert refused.value.error_dict["service"][0].code == "not_eligible"
    young = Service.objects.get(name="DDAS young people's service")
    moved_to_powys(world["person"])
    with pytest.raises(ValidationError) as refused:
        propose(world, referral, service_id=young.pk)
    assert "the person is" in refused.value.message_dict["service"][0]


def test_proposing_needs_a_reason_another_service_and_a_referral_being_worked(
    world: dict[str, Any],
) -> None:
    referral = working(world)
    with pytest.raises(ValidationError) as refused:
        propose(world, referral, reason="  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        propose(world, referral, service_id=referral.service_id)
    assert refused.value.error_dict["service"][0].code == "same_service"
    with pytest.raises(StaleVersionError):
        propose(world, referral, expected_version=referral.version - 1)
    transfer = propose(world, referral)
    assert transfer.state == Transfer.State.PROPOSED
    assert transfer.to_provider.name == "Kaleidoscope Powys"
    # The receiving staff are told by a link-only email to the transfer's page.
    sent = Notification.objects.filter(template="referral_transfer")
    assert sent.exists()
    assert all(n.link.endswith(f"/referrals/transfers/{transfer.pk}/") for n in sent)
    with pytest.raises(ValidationError) as refused:
        propose(world, referral)
    assert refused.value.code == "transfer_waiting"


def test_only_the_current_provider_proposes(world: dict[str, Any]) -> None:
    referral = working(world)
    for username in ("powys.caseworker", "officer"):
        with pytest.raises(PermissionDenied):
            propose(world, referral, actor=world[username])


# --- deciding ---------------------------------------------------------------------------


def test_accepting_makes_the_new_referral_and_closes_the_old_one(world: dict[str, Any]) -> None:
    referral = working(world)
    transfer = propose(world, referral)
    transfer = decide(world, transfer)
    old = Referral.objects.get(pk=referral.pk)
    new = transfer.new_referral
    assert transfer.state == Transfer.State.ACCEPTED
    assert old.status == Status.CANCELLED
    assert old.status_code.code == lifecycle.TRANSFER_CODE
    assert new.transferred_from_id == old.pk
    assert new.status == Status.ACCEPTED
    assert new.provider.name == "Kaleidoscope Powys"
    assert new.county.ons_code == POWYS
    assert (new.person_id, new.consent_id, new.contact_phone, new.risk_notes) == (
        old.person_id,
        old.consent_id,
        old.contact_phone,
        old.risk_notes,
    )
    assert new.referred_by_id == old.referred_by_id == world["officer"].pk
    assert new.referring_organisation_id == old.referring_organisation_id
    assert list(new.substances.all()) == list(old.substances.all())
    # Timers start on the day of acceptance.
    assert new.sent_on == timezone.localdate()
    # The officer is alerted and sees both referrals.
    assert Alert.objects.filter(
        recipient=world["officer"], referral=new, kind=Alert.Kind.TRANSFERRED
    ).exists()
    client = demo_sign_in("officer")
    page = client.get(reverse("referrals:detail", args=[old.pk])).content.decode()
    assert new.reference in page
    page = client.get(reverse("referrals:detail", args=[new.pk])).content.decode()
    assert old.reference in page


def test_declining_needs_a_reason_and_leaves_the_referral(world: dict[str, Any]) -> None:
    referral = working(world)
    transfer = propose(world, referral)
    with pytest.raises(ValidationError) as refused:
        decide(world, transfer, accept=False)
    assert "reason" in refused.value.message_dict
    transfer = decide(world, transfer, accept=False, reason="No capacity this month.")
    assert transfer.state == Transfer.State.DECLINED
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert not Referral.objects.filter(transferred_from=referral).exists()
    # A new proposal may follow.
    assert propose(world, referral).state == Transfer.State.PROPOSED


def test_a_stale_decision_is_refused(world: dict[str, Any]) -> None:
    transfer = propose(world, working(world))
    with pytest.raises(StaleVersionError):
        decide(world, transfer, expected_version=transfer.version + 5)


def test_a_third_provider_cannot_see_or_decide(world: dict[str, Any]) -> None:
    transfer = propose(world, working(world))
    for username in ("navigator", "provider.manager"):
        # Pobl (a third provider) and the sender's manager cannot decide.
        with pytest.raises(PermissionDenied):
            decide(world, transfer, actor=world[username])
    assert not service.may_decide(world["navigator"], transfer)
    client = demo_sign_in("navigator")
    assert client.get(reverse("referrals:transfer-decide", args=[transfer.pk])).status_code == 404
    api = client.post(
        reverse("api-transfer-decision", args=[transfer.pk]),
        json.dumps({"version": transfer.version, "decision": "accept"}),
        content_type="application/json",
    )
    assert api.status_code == 404


def test_withdrawing_is_the_proposers(world: dict[str, Any]) -> None:
    transfer = propose(world, working(world))
    with pytest.raises(PermissionDenied):
        service.transfer_withdraw(
            context=CONTEXT,
            actor=world["powys.caseworker"],
            transfer_id=transfer.pk,
            expected_version=transfer.version,
        )
    transfer = service.transfer_withdraw(
        context=CONTEXT,
        actor=world["caseworker"],
        transfer_id=transfer.pk,
        expected_version=transfer.version,
    )
    assert transfer.state == Transfer.State.WITHDRAWN
    with pytest.raises(ValidationError):
        decide(world, transfer)


# --- pages --------------------------------------------------------------------------------


def test_the_propose_page_lists_who_can_take_the_person(world: dict[str, Any]) -> None:
    referral = working(world)
    client = demo_sign_in("caseworker")
    url = reverse("referrals:transfer-propose", args=[referral.pk])
    page = client.get(url).content.decode()
    assert powys_service().display_name in page
    assert "Services that cannot take this person" in page
    answer = client.post(url, {"version": referral.version, "service": powys_service().pk})
    assert "Enter why the referral should be transferred" in answer.content.decode()
    answer = client.post(
        url, {"version": referral.version, "service": powys_service().pk, "reason": "Moved."}
    )
    assert answer.status_code == 302
    assert Transfer.objects.filter(referral=referral, state="proposed").exists()


def test_the_decide_page_audits_the_read_and_accepts(world: dict[str, Any]) -> None:
    referral = working(world)
    transfer = propose(world, referral)
    client = demo_sign_in("powys.caseworker")
    url = reverse("referrals:transfer-decide", args=[transfer.pk])
    page = client.get(url).content.decode()
    assert "Dafydd Jones" in page and "Powys" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.READ,
        object_type="referrals.transfer",
        person_id=str(referral.person_id),
    ).exists()
    listing = client.get(reverse("referrals:transfers")).content.decode()
    assert referral.reference in listing
    home = client.get("/").content.decode()
    assert "transfer waiting for your decision" in home
    answer = client.post(
        url, {"action": "decide", "version": transfer.version, "decision": "accept"}
    )
    assert answer.status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.ACCEPTED
    page = client.get(answer["Location"]).content.decode()
    assert "Transferred from" in page


def test_the_list_keeps_its_queries(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    propose(world, working(world))
    client = demo_sign_in("powys.caseworker")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("referrals:transfers")).status_code == 200


# --- API ----------------------------------------------------------------------------------


def test_the_api_proposes_lists_and_decides(world: dict[str, Any]) -> None:
    referral = working(world)
    sender = demo_sign_in("caseworker")
    url = reverse("api-referral-transfers", args=[referral.pk])
    refused = sender.post(
        url,
        json.dumps({"version": referral.version, "service": referral.service_id, "reason": "x"}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "service" in refused.json()
    made = sender.post(
        url,
        json.dumps({"version": referral.version, "service": powys_service().pk, "reason": "Moved"}),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    tid = made.json()["id"]
    assert sender.get(url).json()[0]["id"] == tid
    receiver = demo_sign_in("powys.caseworker")
    listed = receiver.get(reverse("api-transfer-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [tid]
    decision = reverse("api-transfer-decision", args=[tid])
    stale = receiver.post(
        decision, json.dumps({"version": 99, "decision": "accept"}), content_type="application/json"
    )
    assert stale.status_code == 409
    declined = receiver.post(
        decision, json.dumps({"version": 1, "decision": "decline"}), content_type="application/json"
    )
    assert declined.status_code == 400 and "reason" in declined.json()
    done = receiver.post(
        decision, json.dumps({"version": 1, "decision": "accept"}), content_type="application/json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["new_referral_id"]
    outsider = demo_sign_in("navigator")
    assert outsider.get(url).status_code in (403, 404)


# --- demo -----------------------------------------------------------------------------------


def test_the_demo_seeder_runs_twice_without_duplicating(world: dict[str, Any]) -> None:
    from pontio.referrals.demo import daily_transfers
    from pontio.referrals.tests.helpers import make_person

    accepted(world["officer"], world["caseworker"], world["person"])
    moved_to_powys(world["person"])
    # The second person still lives in Carmarthenshire: the seeder records their move.
    accepted(world["officer"], world["caseworker"], make_person(given="Nia", family="Rees"))
    now = timezone.now()
    made = daily_transfers.seed(CONTEXT, now)
    assert made > 0
    assert daily_transfers.seed(CONTEXT, now) == 0
    assert Transfer.objects.filter(state="accepted").count() == 1
    waiting = Transfer.objects.get(state="proposed")
    assert service.may_decide(world["powys.caseworker"], waiting)


def test_the_police_see_the_move_but_not_the_providers_reasons(world: dict[str, Any]) -> None:
    referral = working(world)
    propose(world, referral)
    officer = demo_sign_in("officer")
    rows = officer.get(reverse("api-referral-transfers", args=[referral.pk])).json()
    assert rows[0]["state"] == "proposed" and "reason" not in rows[0]
    page = officer.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Transfer to Kaleidoscope Newtown" in page
    assert "moved to Llandrindod Wells" not in page
    # The police cannot open the provider's transfer pages.
    assert officer.get(reverse("referrals:transfers")).status_code == 403


def test_a_receiving_caseworker_must_cover_the_county(world: dict[str, Any]) -> None:
    from tests.factories import UserFactory

    from pontio.accounts.roles import Role
    from pontio.referrals.tests.helpers import CARMS

    transfer = propose(world, working(world))
    kaleidoscope = world["powys.caseworker"].organisation
    elsewhere = UserFactory(
        roles=[Role.PROVIDER_CASEWORKER], counties=[CARMS], organisation=kaleidoscope
    )
    manager = UserFactory(roles=[Role.PROVIDER_MANAGER], counties=[], organisation=kaleidoscope)
    assert not service.may_decide(elsewhere, transfer)
    assert service.may_decide(manager, transfer)
    with pytest.raises(PermissionDenied):
        decide(world, transfer, actor=elsewhere)
    assert decide(world, transfer, actor=manager).state == Transfer.State.ACCEPTED
