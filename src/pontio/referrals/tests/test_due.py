"""Work coming due: each kind for the right user only (scope), the window of 5 working days
in Wales, the overdue first, the page, the API, the home panel, and the daily digest (once a
working day, only to those who asked and have something, a link and nothing else)."""

from __future__ import annotations

import datetime as dt
import html
import io
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.accounts.models import Organisation
from pontio.audit.models import AuditEvent
from pontio.core.models import Notification
from pontio.core.working_days import add_working_days
from pontio.referrals import due, services
from pontio.referrals.dashboard_due import due_panel
from pontio.referrals.models import (
    Appointment,
    CaseNote,
    InformationRequest,
    Party,
    Referral,
    ReferralCode,
    WorkDigestSubscription,
)
from pontio.referrals.services.due import digest_subscribe, send_work_digests
from pontio.referrals.tests.helpers import CONTEXT, accepted, refer

pytestmark = pytest.mark.django_db
DUE = "/referrals/due/"


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def kinds(user: Any, today: dt.date | None = None) -> list[tuple[str, str]]:
    return [(i.kind, i.reference) for i in due.due_items(user, today)]


def book(actor: Any, referral: Referral, starts_at: dt.datetime) -> Appointment:
    return services.appointment_book(
        context=CONTEXT,
        actor=actor,
        referral_id=referral.pk,
        kind="assessment",
        starts_at=starts_at,
        place="Llanelli",
    )


def tomorrow_at_ten() -> dt.datetime:
    day = add_working_days(timezone.localdate(), 1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def concern(referral: Referral, author: Any, party: str) -> CaseNote:
    return CaseNote.objects.create(
        referral=referral,
        category=CaseNote.Category.CONCERN,
        text="Worried about their safety.",
        author=author,
        author_organisation_id=author.organisation_id,
        author_party=party,
    )


def question(referral: Referral, asker: Any) -> InformationRequest:
    return InformationRequest.objects.create(
        referral=referral,
        code=ReferralCode.objects.get(code="HOLD_CONTACT_DETAILS"),
        question="Is there another phone number?",
        asked_by=asker,
        asked_at=timezone.now(),
    )


# --- timers ---------------------------------------------------------------------------------


def test_a_new_referrals_first_contact_is_due_for_its_provider_and_its_police(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    mine = ("first_contact", referral.reference)
    # Unallocated in the caseworker's county; the manager sees all; the officer made it;
    # the sergeant supervises the area.
    for username in ("caseworker", "provider.manager", "officer", "custody.sergeant"):
        assert mine in kinds(world[username]), username
    # Another provider, another county's officer, an inspector of another area, a navigator
    # of another organisation: none of theirs.
    for username in ("powys.caseworker", "powys.officer", "inspector", "navigator"):
        assert kinds(world[username]) == [], username
    # Assessment (10 working days) and treatment (20) are beyond the window.
    assert [k for k, _ref in kinds(world["caseworker"])] == ["first_contact"]


def test_a_referral_allocated_to_someone_else_is_theirs_not_the_caseworkers(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    Referral.objects.filter(pk=referral.pk).update(allocated_to=world["provider.manager"])
    assert kinds(world["caseworker"]) == []
    assert ("first_contact", referral.reference) in kinds(world["provider.manager"])


def test_met_held_and_stopped_timers_are_not_due(world: dict[str, Any]) -> None:
    today = timezone.localdate()
    met = refer(world["officer"], world["person"])
    Referral.objects.filter(pk=met.pk).update(first_contact_on=today)
    held = refer(world["officer"], world["person"], pathway="custody")
    Referral.objects.filter(pk=held.pk).update(held_since=today)
    stopped = refer(world["officer"], world["person"], pathway="stop_search")
    Referral.objects.filter(pk=stopped.pk).update(timer_stopped_on=today)
    assert kinds(world["caseworker"]) == []


def test_the_window_is_five_working_days_in_wales(world: dict[str, Any]) -> None:
    # Wednesday 23 December 2026: Christmas (Fri 25), Boxing Day's substitute (Mon 28) and
    # New Year's Day (Fri 1) are bank holidays in Wales, so day 5 is Monday 4 January.
    today = dt.date(2026, 12, 23)
    assert due.window_end(today) == dt.date(2027, 1, 4)
    inside = refer(world["officer"], world["person"])
    outside = refer(world["officer"], world["person"], pathway="custody")
    weekend = refer(world["officer"], world["person"], pathway="stop_search")
    far = {"assessment_due": dt.date(2027, 3, 1), "treatment_due": dt.date(2027, 3, 1)}
    Referral.objects.filter(pk=inside.pk).update(first_contact_due=dt.date(2027, 1, 4), **far)
    Referral.objects.filter(pk=outside.pk).update(first_contact_due=dt.date(2027, 1, 5), **far)
    Referral.objects.filter(pk=weekend.pk).update(first_contact_due=dt.date(2027, 1, 2), **far)
    items = due.due_items(world["caseworker"], today)
    assert [i.reference for i in items] == [weekend.reference, inside.reference]
    assert [i.days_left for i in items] == [4, 5]  # Sat 2 Jan counts as Thursday's 4


def test_the_overdue_come_first(world: dict[str, Any]) -> None:
    today = timezone.localdate()
    soon = refer(world["officer"], world["person"])
    late = refer(world["officer"], world["person"], pathway="custody")
    Referral.objects.filter(pk=late.pk).update(first_contact_due=add_working_days(today, -2))
    items = due.due_items(world["caseworker"], today)
    assert [(i.reference, i.overdue) for i in items] == [
        (late.reference, True),
        (soon.reference, False),
    ]
    assert items[0].days_left == -2 and items[0].overdue_by == 2
    groups = due.grouped(items, today)
    assert groups[0]["label"] == "Overdue"


# --- appointments, concerns, questions --------------------------------------------------------


def test_a_booked_appointment_is_due_before_and_overdue_after_until_recorded(
    world: dict[str, Any],
) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    appointment = book(world["caseworker"], referral, tomorrow_at_ten())
    item = next(i for i in due.due_items(world["caseworker"]) if i.kind == "appointment")
    assert (item.reference, item.overdue, item.days_left) == (referral.reference, False, 1)
    assert item.url == reverse(
        "referrals:appointment-attendance", args=[referral.pk, appointment.pk]
    )
    # The police never see the provider's appointments as their work.
    assert "appointment" not in [k for k, _r in kinds(world["officer"])]
    assert kinds(world["powys.caseworker"]) == []
    # Its time passed without attendance recorded: overdue, first.
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    first = due.due_items(world["caseworker"])[0]
    assert (first.kind, first.overdue) == ("appointment", True)
    Appointment.objects.filter(pk=appointment.pk).update(attendance=Appointment.Attendance.ATTENDED)
    assert "appointment" not in [k for k, _r in kinds(world["caseworker"])]


def test_an_appointment_beyond_the_window_is_not_listed(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    day = add_working_days(timezone.localdate(), 6)
    book(world["caseworker"], referral, timezone.make_aware(dt.datetime.combine(day, dt.time(9))))
    assert "appointment" not in [k for k, _r in kinds(world["caseworker"])]


def test_a_concern_is_for_the_other_side_to_acknowledge(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    from_police = concern(referral, world["officer"], Party.POLICE)
    assert ("concern", referral.reference) in kinds(world["caseworker"])
    assert ("concern", referral.reference) in kinds(world["provider.manager"])
    assert ("concern", referral.reference) not in kinds(world["officer"])
    assert kinds(world["powys.caseworker"]) == []
    from_provider = concern(referral, world["caseworker"], Party.PROVIDER)
    assert ("concern", referral.reference) in kinds(world["officer"])
    assert ("concern", referral.reference) in kinds(world["custody.sergeant"])
    assert kinds(world["powys.officer"]) == []
    CaseNote.objects.filter(pk__in=[from_police.pk, from_provider.pk]).update(
        acknowledged_at=timezone.now()
    )
    for username in ("caseworker", "officer"):
        assert "concern" not in [k for k, _r in kinds(world[username])]


def test_a_general_note_is_not_work_due(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    note = concern(referral, world["officer"], Party.POLICE)
    CaseNote.objects.filter(pk=note.pk).update(category=CaseNote.Category.GENERAL)
    assert "concern" not in [k for k, _r in kinds(world["caseworker"])]


def test_an_unanswered_question_is_the_polices_and_the_provider_waits(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    asked = question(referral, world["caseworker"])
    assert ("information", referral.reference) in kinds(world["officer"])
    assert ("information", referral.reference) in kinds(world["custody.sergeant"])
    assert ("information_waiting", referral.reference) in kinds(world["caseworker"])
    assert kinds(world["powys.officer"]) == []
    assert kinds(world["powys.caseworker"]) == []
    InformationRequest.objects.filter(pk=asked.pk).update(
        answered_at=timezone.now(), answer="07700 900456"
    )
    assert "information" not in [k for k, _r in kinds(world["officer"])]


# --- query counts -----------------------------------------------------------------------------


def _queries(user: Any) -> int:
    due.due_items(user)  # warm: the user's roles and counties, read once and cached
    with CaptureQueriesContext(connection) as captured:
        due.due_items(user)
    return len(captured.captured_queries)


def _busy_referral(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    book(world["caseworker"], referral, tomorrow_at_ten())
    concern(referral, world["officer"], Party.POLICE)
    concern(referral, world["caseworker"], Party.PROVIDER)
    question(referral, world["caseworker"])


@pytest.mark.parametrize("username", ["caseworker", "provider.manager", "officer"])
def test_one_query_per_kind_whatever_the_number_of_rows(
    world: dict[str, Any], username: str, django_assert_max_num_queries: Any
) -> None:
    _busy_referral(world)
    one = _queries(world[username])
    for _i in range(3):
        _busy_referral(world)
    assert _queries(world[username]) == one
    with django_assert_max_num_queries(4):
        items = due.due_items(world[username])
    assert len(items) >= 4


# --- the page, the panel, the API -------------------------------------------------------------


def test_the_page_lists_the_items_by_day_with_a_link(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    book(world["caseworker"], referral, tomorrow_at_ten())
    page = _text(demo_sign_in("caseworker").get(DUE))
    assert "Work coming due" in page
    assert referral.reference in page
    assert "Appointment to record" in page
    assert reverse("referrals:detail", args=[referral.pk]) in page
    assert "Email me this list every working day" in page
    other = _text(demo_sign_in("powys.caseworker").get(DUE))
    assert referral.reference not in other
    assert "Nothing is due in the next 5 working days" in other


def test_who_may_not_see_referrals_may_not_open_the_page(world: dict[str, Any]) -> None:
    for username in ("analyst", "panel"):
        assert demo_sign_in(username).get(DUE).status_code == 403, username


def test_the_home_panel_counts_the_due_and_the_overdue(world: dict[str, Any]) -> None:
    today = timezone.localdate()
    assert due_panel(world["caseworker"]) is None
    refer(world["officer"], world["person"])
    late = refer(world["officer"], world["person"], pathway="custody")
    Referral.objects.filter(pk=late.pk).update(first_contact_due=add_working_days(today, -1))
    panel = due_panel(world["caseworker"])
    assert panel is not None
    assert [(i["count"], i["label"]) for i in panel["items"]] == [
        (1, "due in the next 5 working days"),
        (1, "overdue"),
    ]
    home = _text(demo_sign_in("caseworker").get("/"))
    assert "due in the next 5 working days" in home and DUE in home
    assert "1 due in the next 5 working days, 1 overdue" in _text(
        demo_sign_in("caseworker").get(DUE)
    )


def test_the_api_gives_the_same_items(world: dict[str, Any]) -> None:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    book(world["caseworker"], referral, tomorrow_at_ten())
    response = demo_sign_in("caseworker").get(reverse("api-referral-due"))
    assert response.status_code == 200
    body = response.json()
    expected = [(i.kind, i.reference) for i in due.due_items(world["caseworker"])]
    assert [(i["kind"], i["reference"]) for i in body["items"]] == expected
    assert body["window_working_days"] == 5 and body["due"] == len(expected)
    assert demo_sign_in("powys.caseworker").get(reverse("api-referral-due")).json()["items"] == []
    assert demo_sign_in("analyst").get(reverse("api-referral-due")).status_code == 403


# --- the daily digest -------------------------------------------------------------------------


def test_opting_in_and_out_is_audited_as_a_change_of_ones_settings(
    world: dict[str, Any],
) -> None:
    client = demo_sign_in("caseworker")
    response = client.post(reverse("referrals:due-digest"), {"daily": "on"})
    assert response.status_code == 302 and response["Location"] == DUE
    subscription = WorkDigestSubscription.objects.get(user=world["caseworker"])
    assert subscription.daily is True
    client.post(reverse("referrals:due-digest"), {})
    subscription.refresh_from_db()
    assert subscription.daily is False
    events = AuditEvent.objects.filter(
        object_type="referrals.workdigestsubscription", object_id=str(subscription.pk)
    )
    assert sorted(events.values_list("action", flat=True)) == ["create", "update"]
    assert WorkDigestSubscription.objects.count() == 1


def test_the_digest_form_refuses_a_get(world: dict[str, Any]) -> None:
    assert demo_sign_in("caseworker").get(reverse("referrals:due-digest")).status_code == 405


def _working_day() -> dt.date:
    return add_working_days(timezone.localdate() - dt.timedelta(days=1), 1)


def test_the_digest_goes_once_a_day_to_the_opted_in_with_work_and_carries_only_a_link(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    for username in ("caseworker", "powys.caseworker", "officer"):
        digest_subscribe(context=CONTEXT, actor=world[username], daily=True)
    digest_subscribe(context=CONTEXT, actor=world["officer"], daily=False)  # opted out
    # provider.manager has work but never asked.
    today = _working_day()
    made = send_work_digests(today)
    assert len(made) == 1  # the caseworker; powys.caseworker has nothing due
    sent = Notification.objects.get(pk=made[0])
    assert sent.template == "work_due_digest"
    assert sent.recipient_user_id == world["caseworker"].pk
    # Only the address of the due list: no reference, no name, no id, no count.
    assert sent.link == settings.PONTIO_BASE_URL.rstrip("/") + "/referrals/due/"
    for detail in (referral.reference, world["person"].family_name):
        assert detail not in sent.link
    assert WorkDigestSubscription.objects.get(user=world["caseworker"]).last_sent_on == today
    # Twice the same day: nothing more.
    assert send_work_digests(today) == []
    call_command("send_work_digests", stdout=io.StringIO())
    assert Notification.objects.filter(template="work_due_digest").count() == 1
    # The next working day: again.
    assert len(send_work_digests(add_working_days(today, 1))) == 1


def test_no_digest_on_a_weekend_or_bank_holiday_or_to_an_inactive_user(
    world: dict[str, Any],
) -> None:
    refer(world["officer"], world["person"])
    digest_subscribe(context=CONTEXT, actor=world["caseworker"], daily=True)
    assert send_work_digests(dt.date(2026, 12, 26)) == []  # a Saturday
    assert send_work_digests(dt.date(2026, 12, 25)) == []  # Christmas Day
    type(world["caseworker"]).objects.filter(pk=world["caseworker"].pk).update(is_active=False)
    assert send_work_digests(_working_day()) == []


def test_the_task_and_the_template_are_known(world: dict[str, Any]) -> None:
    from pontio.core.notify import TEMPLATES
    from pontio.referrals import scheduled

    assert "work_due_digest" in TEMPLATES
    assert hasattr(scheduled, "send_work_digests")


# --- the demo ---------------------------------------------------------------------------------


def test_the_demo_seeder_runs_twice_without_duplicating(world: dict[str, Any]) -> None:
    from pontio.referrals.demo import daily_due

    now = timezone.now()
    referral = refer(world["officer"], world["person"])
    services.referral_transition(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        expected_version=referral.version,
        to_status="accepted",
    )
    assert Organisation.objects.filter(name="Dyfed Drug and Alcohol Service").exists()
    first = daily_due.seed(CONTEXT, now)
    assert first >= 1
    assert daily_due.seed(CONTEXT, now) == 0
    items = due.due_items(world["caseworker"])
    assert any(i.kind == "appointment" and not i.overdue for i in items)
    assert WorkDigestSubscription.objects.get(user=world["caseworker"]).daily
