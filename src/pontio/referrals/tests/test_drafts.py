"""Referral drafts saved on the server, the duplicate warning before sending, and the
deletion of old drafts."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.models import County
from pontio.core.recording import AuditAction
from pontio.directory.models import Substance
from pontio.people.models import Person
from pontio.referrals import scheduled as tasks
from pontio.referrals.models import Referral, ReferralDraft
from pontio.referrals.services import drafts
from pontio.referrals.tests.helpers import CARMS, CONTEXT, make_person, proposed_service, refer
from pontio.referrals.tests.helpers import referral_data as helper_data

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)  # UTC: no clock change in 30 days


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _details(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "pathway": "voluntary",
        "source_reference": "WC-2026-114",
        "reason": "Asked for help with cocaine use after a welfare check.",
        "substances": [Substance.objects.get(code="cocaine").pk],
        "consent_given": "yes",
        "preferred_language": "en",
        "contact_channels": ["phone"],
        "contact_times": "Weekday mornings",
        "contact_phone": "07700 900123",
        "county": County.objects.get(ons_code=CARMS).pk,
    }
    values.update(changes)
    return values


def _create_url(person: Person) -> str:
    return reverse("referrals:create", args=[person.pk])


def _provider_url(person: Person) -> str:
    return reverse("referrals:create-provider", args=[person.pk])


def _save(user: Any, person: Person, **data: Any) -> ReferralDraft:
    values = {"reason": "Half written", **data}
    return drafts.draft_save(
        context=CONTEXT, actor=user, person_id=person.pk, data=values, check=False
    )


def _events(action: str, **kwargs: Any) -> int:
    return AuditEvent.objects.filter(
        action=action, object_type="referrals.referraldraft", **kwargs
    ).count()


# --- the page journey -------------------------------------------------------------------------


def test_a_draft_saved_at_step_1_survives_sign_out_and_is_sent_the_next_day(
    world: dict[str, Any],
) -> None:
    person = world["person"]
    with time_machine.travel(MONDAY, tick=True):
        client = demo_sign_in("officer")
        typed = _details(reason="Told me about daily cocaine use", contact_phone="")
        response = client.post(_create_url(person), {**typed, "save_draft": "1"})
        assert response["Location"] == reverse("referrals:drafts")
        draft = ReferralDraft.objects.get(owner=world["officer"], person=person)
        assert draft.data["reason"] == "Told me about daily cocaine use"
        json.dumps(draft.data)  # JSON-safe: ids and text only
        assert _events(AuditAction.CREATE, person_id=str(person.pk)) == 1
        client.post("/sign-out/")
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=True):
        client = demo_sign_in("officer", Client())  # a new device, signed in again
        page = _text(client.get(reverse("referrals:drafts")))
        assert str(person) in page
        continued = client.get(reverse("referrals:draft", args=[draft.pk]))
        assert continued["Location"] == _create_url(person)
        page = _text(client.get(_create_url(person)))
        assert "Told me about daily cocaine use" in page
        assert f'name="draft_version" value="{draft.version}"' in page
        response = client.post(
            _create_url(person),
            {**typed, "contact_phone": "07700 900123", "draft_version": draft.version},
        )
        assert response["Location"] == _provider_url(person)
        client.get(_provider_url(person))
        service = proposed_service(person, helper_data())
        key = ReferralDraft.objects.get(person=person).idempotency_key
        response = client.post(_provider_url(person), {"service": service.pk, "key": key})
        referral = Referral.objects.get(person=person)
        assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
        assert referral.sent_on == (MONDAY + dt.timedelta(days=1)).date()
        assert referral.idempotency_key == key
    assert not ReferralDraft.objects.filter(person=person).exists()
    assert _events(AuditAction.DELETE, person_id=str(person.pk)) == 1


def test_every_post_of_step_1_keeps_what_was_typed_even_when_refused(
    world: dict[str, Any],
) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    response = client.post(_create_url(person), _details(reason="", contact_times="After 6pm"))
    assert response.status_code == 200 and "Enter the reason for the referral" in _text(response)
    draft = ReferralDraft.objects.get(person=person)
    assert draft.data["contact_times"] == "After 6pm"
    # Text too long for its field is kept as typed (it is refused again when sent).
    long = "x" * 45
    client.post(
        _create_url(person),
        {**_details(source_reference=long), "draft_version": draft.version},
    )
    draft.refresh_from_db()
    assert draft.data["source_reference"] == long and draft.version == 2


def test_an_unanswered_consent_is_kept_unanswered(world: dict[str, Any]) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    client.post(_create_url(person), {**_details(consent_given=""), "save_draft": "1"})
    assert ReferralDraft.objects.get(person=person).data["consent_given"] == ""
    page = _text(client.get(_create_url(person)))
    assert 'value="no" checked' not in page and 'value="yes" checked' not in page


def test_a_stale_draft_version_from_another_device_is_refused_and_keeps_the_typing(
    world: dict[str, Any],
) -> None:
    person = world["person"]
    draft = _save(world["officer"], person)
    _save(world["officer"], person, reason="Saved on the phone")  # version 2
    client = demo_sign_in("officer")
    response = client.post(
        _create_url(person),
        {**_details(reason="Typed at the desk"), "draft_version": draft.version},
    )
    page = _text(response)
    assert response.status_code == 200 and "Someone else changed this record" in page
    assert "Typed at the desk" in page and 'name="draft_version" value="2"' in page
    assert ReferralDraft.objects.get(person=person).data["reason"] == "Saved on the phone"


def test_another_officer_gets_not_found_for_a_draft_and_it_is_audited(
    world: dict[str, Any],
) -> None:
    person = world["person"]
    draft = _save(world["officer"], person)
    other = demo_sign_in("custody.officer")
    denials = AuditEvent.objects.filter(action=AuditAction.DENIED, person_id=str(person.pk))
    before = denials.count()
    assert other.get(reverse("referrals:draft", args=[draft.pk])).status_code == 404
    discard = reverse("referrals:draft-discard", args=[draft.pk])
    assert other.post(discard, {"version": draft.version}).status_code == 404
    api = reverse("api-referral-draft-detail", args=[draft.pk])
    assert other.get(api).status_code == 404
    assert denials.count() == before + 3
    # Their own step 1 for the same person never shows the first officer's draft.
    assert "Half written" not in _text(other.get(_create_url(person)))
    assert ReferralDraft.objects.filter(pk=draft.pk).exists()


def test_the_author_discards_their_draft(world: dict[str, Any]) -> None:
    person = world["person"]
    draft = _save(world["officer"], person)
    client = demo_sign_in("officer")
    discard = reverse("referrals:draft-discard", args=[draft.pk])
    assert client.get(discard).status_code == 405
    response = client.post(discard, {"version": draft.version + 1})  # stale
    assert ReferralDraft.objects.filter(pk=draft.pk).exists()
    response = client.post(discard, {"version": draft.version})
    assert response["Location"] == reverse("referrals:drafts")
    assert not ReferralDraft.objects.filter(pk=draft.pk).exists()
    assert _events(AuditAction.DELETE, person_id=str(person.pk), object_id=str(draft.pk)) == 1


def test_reads_of_a_draft_are_audited_with_the_person(world: dict[str, Any]) -> None:
    person = world["person"]
    _save(world["officer"], person)
    client = demo_sign_in("officer")
    before = _events(AuditAction.READ, person_id=str(person.pk))
    client.get(_create_url(person))
    assert _events(AuditAction.READ, person_id=str(person.pk)) == before + 1


def test_a_refused_send_keeps_the_draft(world: dict[str, Any]) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    client.post(_create_url(person), _details())
    client.get(_provider_url(person))
    response = client.post(_provider_url(person), {"service": 999999})
    assert response.status_code == 200
    assert ReferralDraft.objects.filter(person=person).exists()
    assert not Referral.objects.exists()


def test_the_key_lives_in_the_draft_so_two_devices_make_one_referral(
    world: dict[str, Any],
) -> None:
    person = world["person"]
    phone, desk = demo_sign_in("officer"), demo_sign_in("officer", Client())
    phone.post(_create_url(person), _details())
    phone.get(_provider_url(person))
    desk.get(_provider_url(person))  # the same draft, the same key
    key = ReferralDraft.objects.get(person=person).idempotency_key
    assert f'name="key" value="{key}"' in _text(desk.get(_provider_url(person)))
    service = proposed_service(person, helper_data())
    first = phone.post(_provider_url(person), {"service": service.pk, "key": key})
    second = desk.post(_provider_url(person), {"service": service.pk, "key": key})
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]


# --- the data ---------------------------------------------------------------------------------


def test_draft_data_are_json_safe_and_known_fields_only(world: dict[str, Any]) -> None:
    cocaine = Substance.objects.get(code="cocaine")
    clean = drafts.clean_draft_data(
        {"substances": [cocaine], "reason": "x", "contact_times": dt.date(2027, 3, 1)}
    )
    assert clean == {"substances": [cocaine.pk], "reason": "x", "contact_times": "2027-03-01"}
    with pytest.raises(ValidationError):
        drafts.clean_draft_data({"password": "x"})
    with pytest.raises(ValidationError):
        drafts.clean_draft_data(["not", "an", "object"])
    with pytest.raises(ValidationError):
        drafts.clean_draft_data({"reason": "x" * (drafts.MAX_DRAFT_TEXT + 1)})
    assert drafts.clean_draft_data({"reason": "x" * 4001})  # kept; refused when sent


def test_a_draft_is_only_for_a_person_the_officer_may_see(world: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        _save(world["officer"], world["powys_person"])
    with pytest.raises(PermissionDenied):
        _save(world["caseworker"], world["person"])


# --- my drafts and the home page ----------------------------------------------------------------


def test_my_drafts_lists_only_the_officers_own_in_a_few_queries(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    officer = world["officer"]
    _save(world["custody.officer"], world["person"])
    client = demo_sign_in("officer")
    url = reverse("referrals:drafts")
    _save(officer, make_person(given="First"))
    client.get(url)
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    people = [make_person(given=f"Person{i}") for i in range(5)]
    for person in people:
        _save(officer, person)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = _text(client.get(url))
    assert all(str(p) in page for p in people)
    assert str(world["person"]) not in page  # another officer's draft


def test_the_home_page_counts_the_officers_drafts(world: dict[str, Any]) -> None:
    _save(world["officer"], world["person"])
    page = _text(demo_sign_in("officer").get("/"))
    assert "draft referral not sent yet" in page
    assert f'href="{reverse("referrals:drafts")}"' in page
    assert "draft referral" not in _text(demo_sign_in("custody.officer").get("/"))


# --- deleting old drafts ------------------------------------------------------------------------


def test_drafts_are_deleted_30_days_after_their_last_change(world: dict[str, Any]) -> None:
    officer = world["officer"]
    with time_machine.travel(MONDAY, tick=False):
        old = _save(officer, make_person(given="Old"))
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        kept = _save(officer, world["person"])
    with time_machine.travel(MONDAY + dt.timedelta(days=29, hours=23), tick=False):
        assert tasks.delete_old_drafts.call() == 0
        assert ReferralDraft.objects.count() == 2
    with time_machine.travel(MONDAY + dt.timedelta(days=30, hours=1), tick=False):
        assert tasks.delete_old_drafts.call() == 1
    assert list(ReferralDraft.objects.values_list("pk", flat=True)) == [kept.pk]
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(old.pk))
    assert event.view_name == "task:delete_old_drafts" and event.actor_id is None
    assert event.person_id == str(old.person_id)
    with time_machine.travel(MONDAY + dt.timedelta(days=33), tick=False):
        out = io.StringIO()
        call_command("delete_old_drafts", stdout=out)
    assert "Deleted 1 old referral draft(s)." in out.getvalue()
    assert not ReferralDraft.objects.exists()


# --- the duplicate warning ----------------------------------------------------------------------


def test_step_2_warns_of_the_open_referrals_the_officer_may_see_only(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    person = world["person"]
    mine = refer(world["officer"], person)
    theirs = refer(world["custody.officer"], person, pathway="custody")
    client = demo_sign_in("officer")
    client.post(_create_url(person), _details())
    page = _text(client.get(_provider_url(person)))
    assert "already has an open referral" in page
    assert mine.reference in page and mine.service.display_name in page
    assert theirs.reference not in page  # outside their scope: not mentioned at all
    try:
        add = reverse("referrals:note-add", args=[mine.pk]) + "?category=change"
    except NoReverseMatch:
        add = None
    if add is not None:
        assert f'href="{html.unescape(add)}"' in page and "Add to it instead" in page
    assert "Send referral" in page  # a new one may still be sent
    with django_assert_max_num_queries(1):
        assert [r.pk for r in drafts.open_referrals(world["officer"], person.pk)] == [mine.pk]
    assert [r.pk for r in drafts.open_referrals(world["custody.officer"], person.pk)] == [theirs.pk]


def test_step_2_without_open_referrals_shows_no_warning(world: dict[str, Any]) -> None:
    person = world["person"]
    client = demo_sign_in("officer")
    client.post(_create_url(person), _details())
    assert "open referral" not in _text(client.get(_provider_url(person)))


# --- the API ----------------------------------------------------------------------------------


def _json(client: Client, method: str, url: str, data: Any = None) -> Any:
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json")


def test_the_api_saves_reads_changes_and_discards_a_draft(world: dict[str, Any]) -> None:
    person = world["person"]
    mine = refer(world["officer"], person)
    client = demo_sign_in("officer")
    url = reverse("api-referral-drafts")
    made = _json(client, "post", url, {"person": person.pk, "data": {"reason": "From the app"}})
    assert made.status_code == 201, made.content
    draft = made.json()
    assert draft["data"] == {"reason": "From the app"} and draft["version"] == 1
    assert [r["reference"] for r in draft["open_referrals"]] == [mine.reference]
    again = _json(client, "post", url, {"person": person.pk, "data": {}})
    assert again.status_code == 400 and again.json()["code"] == "draft_exists"
    listed = client.get(url).json()
    assert [d["id"] for d in listed["results"]] == [draft["id"]]
    detail = reverse("api-referral-draft-detail", args=[draft["id"]])
    changed = _json(client, "put", detail, {"version": 1, "data": {"reason": "Changed"}})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = _json(client, "put", detail, {"version": 1, "data": {"reason": "Old copy"}})
    assert stale.status_code == 409 and stale.json()["version"] == 2
    bad = _json(client, "put", detail, {"version": 2, "data": {"secret": 1}})
    assert bad.status_code == 400
    assert client.get(detail).json()["data"] == {"reason": "Changed"}
    assert client.delete(detail).status_code == 204
    assert client.get(detail).status_code == 404


def test_the_api_refuses_a_draft_for_a_person_out_of_scope(world: dict[str, Any]) -> None:
    client = demo_sign_in("officer")
    response = _json(
        client,
        "post",
        reverse("api-referral-drafts"),
        {"person": world["powys_person"].pk, "data": {}},
    )
    assert response.status_code == 400 and "person" in response.json()
    assert demo_sign_in("caseworker").get(reverse("api-referral-drafts")).status_code == 403


# --- the demo -----------------------------------------------------------------------------------


def test_the_demo_seeder_makes_one_draft_once(world: dict[str, Any]) -> None:
    from pontio.referrals.demo import daily_drafts

    person = world["person"]
    refer(world["officer"], person)
    first = daily_drafts.seed(CONTEXT, timezone.now())
    assert first == 1
    assert daily_drafts.seed(CONTEXT, timezone.now()) == 0
    assert ReferralDraft.objects.filter(owner=world["officer"]).count() == 1
