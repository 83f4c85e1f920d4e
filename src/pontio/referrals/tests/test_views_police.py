"""Police pages of a referral: follow it, withdraw it, send it elsewhere; alerts; the
person's record."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.people.models import Person
from pontio.referrals import services
from pontio.referrals.models import Alert, Referral, Status, TopStage
from pontio.referrals.tests.helpers import (
    CONTEXT,
    accepted,
    move,
    refer,
    service_named,
    treatment_started,
)

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _create_url(person: Person) -> str:
    return reverse("referrals:create", args=[person.pk])


def _denials(**kwargs: Any) -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED, **kwargs).count()


# --- the referral as the police see it --------------------------------------------------------


def test_police_see_status_and_contact_but_never_clinical_detail(world: dict[str, Any]) -> None:
    officer, caseworker = world["officer"], world["caseworker"]
    referral = accepted(officer, caseworker, world["person"])
    now = timezone.now()
    services.contact_attempt_add(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        at=now - dt.timedelta(hours=1),
        channel="phone",
        outcome="spoke",
        notes="Talked about his partner's relapse",
    )
    services.clinical_record_add(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        kind="assessment",
        on=timezone.localdate(),
        intervention="Structured psychosocial intervention",
        notes="Disclosed daily crack use and low mood",
    )
    services.top_record(
        context=CONTEXT,
        actor=caseworker,
        referral_id=referral.pk,
        stage=TopStage.START,
        interview_date=timezone.localdate(),
        main_substance="cocaine",
        values={"cocaine_days": 17, "quality_of_life": 3},
    )
    page = _text(demo_sign_in("officer").get(reverse("referrals:detail", args=[referral.pk])))
    assert referral.reference in page and "In progress" in page
    assert "1 attempt to contact the person." in page and "Spoke to the person" in page
    assert "Dyfed Drug and Alcohol Service" in page  # who moved it, in the history
    for secret in (
        "partner's relapse",
        "Structured psychosocial intervention",
        "daily crack use",
        "Comprehensive assessment",
        "Treatment Outcomes Profile",
    ):
        assert secret not in page, secret


def test_police_see_the_outcome_with_its_closure_code(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    treatment_started(world["caseworker"], referral)
    move(world["caseworker"], referral, Status.COMPLETED, code="CLO_PLANNED_COMPLETE")
    page = _text(demo_sign_in("officer").get(reverse("referrals:detail", args=[referral.pk])))
    assert "Outcome" in page and "Planned: the person completed the work" in page
    referral.refresh_from_db()
    assert referral.status_code.label in page
    assert "Send to another provider" not in page and ">Withdraw<" not in page


def test_the_referring_officer_sees_withdraw_and_resend_while_it_is_open(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    page = _text(demo_sign_in("officer").get(reverse("referrals:detail", args=[referral.pk])))
    assert reverse("referrals:withdraw", args=[referral.pk]) in page
    assert reverse("referrals:resend", args=[referral.pk]) in page


def test_an_officer_who_did_not_refer_gets_not_found_and_it_is_logged(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("custody.officer")
    for url in (
        reverse("referrals:detail", args=[referral.pk]),
        reverse("referrals:withdraw", args=[referral.pk]),
        reverse("referrals:resend", args=[referral.pk]),
    ):
        before = _denials(object_id=str(referral.pk))
        assert client.get(url).status_code == 404, url
        assert _denials(object_id=str(referral.pk)) == before + 1
    response = client.post(
        reverse("referrals:withdraw", args=[referral.pk]),
        {"version": referral.version, "code": "CAN_SENT_IN_ERROR"},
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED


def test_the_area_supervisor_may_withdraw_an_officers_referral(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("custody.sergeant")
    response = client.post(
        reverse("referrals:withdraw", args=[referral.pk]),
        {"version": referral.version, "code": "CAN_NO_LONGER_NEEDED"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.CANCELLED


# --- withdraw ---------------------------------------------------------------------------------


def test_withdrawing_cancels_with_the_police_code_and_shows_it(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in("officer")
    url = reverse("referrals:withdraw", args=[referral.pk])
    page = _text(client.get(url))
    assert "Sent in error" in page and "Person withdrew consent" in page
    assert "Re-sent to another provider" not in page  # that is what "Send elsewhere" does
    response = client.post(
        url, {"version": referral.version, "code": "CAN_SENT_IN_ERROR", "reason": "Wrong person"}
    )
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.status == Status.CANCELLED
    assert referral.status_code.code == "CAN_SENT_IN_ERROR"
    page = _text(client.get(response["Location"]))
    assert f"Referral {referral.reference} has been withdrawn." in page
    assert "Cancelled" in page and "Sent in error" in page and "Wrong person" in page


def test_withdrawing_from_a_stale_page_is_refused_and_nothing_changes(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    stale = referral.version
    services.referral_mark_received(
        context=CONTEXT, actor=world["caseworker"], referral_id=referral.pk
    )
    client = demo_sign_in("officer")
    before = _denials(object_id=str(referral.pk))
    response = client.post(
        reverse("referrals:withdraw", args=[referral.pk]),
        {"version": stale, "code": "CAN_SENT_IN_ERROR"},
    )
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing it." in _text(response)
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    assert _denials(object_id=str(referral.pk)) == before + 1


def test_withdrawing_needs_a_reason_from_the_list(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    response = demo_sign_in("officer").post(
        reverse("referrals:withdraw", args=[referral.pk]),
        {"version": referral.version, "code": "CAN_TRANSFERRED"},
    )
    assert "Choose a reason from the list" in _text(response)
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED


# --- re-send ----------------------------------------------------------------------------------


def _another_ddas_office(referral: Referral) -> Any:
    """The other Carmarthenshire office of DDAS (both can take the world's person)."""
    name = "DDAS Llanelli" if referral.service.name != "DDAS Llanelli" else "DDAS Carmarthen"
    return service_named(name)


def test_resending_makes_a_new_referral_linked_both_ways(world: dict[str, Any]) -> None:
    old = refer(world["officer"], world["person"])
    other = _another_ddas_office(old)
    client = demo_sign_in("officer")
    url = reverse("referrals:resend", args=[old.pk])
    page = _text(client.get(url))
    assert other.display_name in page
    # Not the service it is already with.
    assert f'name="service" type="radio" value="{old.service_id}"' not in page
    response = client.post(
        url, {"version": old.version, "service": other.pk, "reason": "Closer to home"}
    )
    new = Referral.objects.get(transferred_from=old)
    assert response["Location"] == reverse("referrals:detail", args=[new.pk])
    old.refresh_from_db()
    assert old.status == Status.CANCELLED and old.status_code.code == "CAN_TRANSFERRED"
    assert new.service == other and new.status == Status.REQUESTED
    new_page = _text(client.get(reverse("referrals:detail", args=[new.pk])))
    assert "Re-sent from" in new_page and old.reference in new_page
    old_page = _text(client.get(reverse("referrals:detail", args=[old.pk])))
    assert "Re-sent as" in old_page and new.reference in old_page
    assert reverse("referrals:resend", args=[old.pk]) not in old_page


def test_resending_to_an_ineligible_service_is_refused_and_logged(world: dict[str, Any]) -> None:
    old = refer(world["officer"], world["person"])
    young = service_named("DDAS young people's service")
    before = _denials(object_id=str(old.pk))
    response = demo_sign_in("officer").post(
        reverse("referrals:resend", args=[old.pk]),
        {"version": old.version, "service": young.pk, "reason": "Try the young people's team"},
    )
    assert response.status_code == 200
    assert "This service cannot take the referral:" in _text(response)
    assert Referral.objects.count() == 1
    old.refresh_from_db()
    assert old.status == Status.REQUESTED
    assert _denials(object_id=str(old.pk)) == before + 1


def test_resending_from_a_stale_page_is_refused_and_nothing_changes(
    world: dict[str, Any],
) -> None:
    old = refer(world["officer"], world["person"])
    stale = old.version
    services.referral_mark_received(context=CONTEXT, actor=world["caseworker"], referral_id=old.pk)
    other = _another_ddas_office(old)
    response = demo_sign_in("officer").post(
        reverse("referrals:resend", args=[old.pk]),
        {"version": stale, "service": other.pk, "reason": "Closer to home"},
    )
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing it." in _text(response)
    assert Referral.objects.count() == 1
    old.refresh_from_db()
    assert old.status == Status.RECEIVED


def test_a_rejected_referral_can_be_sent_elsewhere_but_not_withdrawn(
    world: dict[str, Any],
) -> None:
    old = refer(world["officer"], world["person"])
    move(world["caseworker"], old, Status.REJECTED, code="REJ_NEEDS_NOT_MET")
    client = demo_sign_in("officer")
    page = _text(client.get(reverse("referrals:detail", args=[old.pk])))
    assert reverse("referrals:resend", args=[old.pk]) in page
    assert reverse("referrals:withdraw", args=[old.pk]) not in page
    assert "The service cannot meet the person's needs" in page
    other = _another_ddas_office(old)
    old.refresh_from_db()
    response = client.post(
        reverse("referrals:resend", args=[old.pk]),
        {"version": old.version, "service": other.pk, "reason": "Rejected: try Llanelli"},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == Status.REJECTED
    assert Referral.objects.get(transferred_from=old).service == other


# --- alerts and the home panel ----------------------------------------------------------------


def test_alerts_list_unread_first_and_opening_the_referral_reads_them(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    officer, caseworker = world["officer"], world["caseworker"]
    first = refer(officer, world["person"])
    move(caseworker, first, Status.REJECTED, code="REJ_OUT_OF_AREA")
    second = refer(officer, world["person"], reason="Second time this month.")
    move(caseworker, second, Status.REJECTED, code="REJ_NOT_ELIGIBLE")
    Alert.objects.filter(referral=second).update(read_at=timezone.now())
    client = demo_sign_in("officer")
    with django_assert_max_num_queries(12):
        page = _text(client.get(reverse("referrals:alerts")))
    assert "1 unread alert about your referrals." in page
    assert page.index(first.reference) < page.index(second.reference)
    assert "Referral rejected" in page and "Unread" in page
    client.get(reverse("referrals:detail", args=[first.pk]))
    page = _text(client.get(reverse("referrals:alerts")))
    assert "0 unread alerts about your referrals." in page
    # The sergeant of the area is alerted too; other people's alerts are never listed.
    sergeant = _text(demo_sign_in("custody.sergeant").get(reverse("referrals:alerts")))
    assert first.reference in sergeant
    # custody.officer reads Pontio in Welsh.
    page = _text(demo_sign_in("custody.officer").get(reverse("referrals:alerts")))
    with translation.override("cy"):
        assert translation.gettext("No alerts.") in page


def test_the_home_page_shows_the_police_referral_panel(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    move(world["caseworker"], referral, Status.REJECTED, code="REJ_OUT_OF_AREA")
    refer(world["officer"], world["person"])
    page = _text(demo_sign_in("officer").get(reverse("core:home")))
    # One alert (the rejection), one open referral, none late: each worded for its count.
    assert "unread alert about your referrals" in page
    assert "open referral you made" in page and "open referrals you made" not in page
    assert "open referrals that missed a target" in page
    assert reverse("referrals:alerts") in page


# --- the person record ------------------------------------------------------------------------


def test_the_person_record_offers_a_referral_and_lists_the_visible_ones(
    world: dict[str, Any],
) -> None:
    person = world["person"]
    referral = refer(world["officer"], person)
    mine = _text(demo_sign_in("officer").get(reverse("people:detail", args=[person.pk])))
    assert _create_url(person) in mine and "Refer to support" in mine
    assert referral.reference in mine
    # Another officer of the county sees the person, not the referral they did not make.
    theirs = _text(demo_sign_in("custody.officer").get(reverse("people:detail", args=[person.pk])))
    assert referral.reference not in theirs
    assert _create_url(person) in theirs


def test_intelligence_officers_see_people_but_cannot_refer(world: dict[str, Any]) -> None:
    page = _text(
        demo_sign_in("intelligence").get(reverse("people:detail", args=[world["person"].pk]))
    )
    assert _create_url(world["person"]) not in page
