"""Case notes both ways: the rules, the pages, the home panel, the API and the denials."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.concurrency import StaleVersionError
from pontio.core.models import Notification
from pontio.core.recording import AuditAction
from pontio.referrals.models import Alert, CaseNote, Party, Referral, Status
from pontio.referrals.services import notes as service
from pontio.referrals.tests.helpers import CONTEXT, accepted, move

pytestmark = pytest.mark.django_db

CONCERN, GENERAL, CHANGE = (
    CaseNote.Category.CONCERN,
    CaseNote.Category.GENERAL,
    CaseNote.Category.CHANGE,
)


def _referral(world: dict[str, Any]) -> Referral:
    return accepted(world["officer"], world["caseworker"], world["person"])


def _add(world: dict[str, Any], who: str, referral: Referral, **kw: Any) -> CaseNote:
    values: dict[str, Any] = {"category": GENERAL, "text": "Called twice, no answer."}
    values.update(kw)
    return service.note_add(context=CONTEXT, actor=world[who], referral_id=referral.pk, **values)


def _ack(world: dict[str, Any], who: str, note: CaseNote, version: int | None = None) -> CaseNote:
    return service.concern_acknowledge(
        context=CONTEXT,
        actor=world[who],
        note_id=note.pk,
        expected_version=note.version if version is None else version,
    )


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return error.value.messages


# --- rules ---------------------------------------------------------------------------------


def test_a_provider_concern_alerts_the_referring_officer_and_is_audited(world: Any) -> None:
    referral = _referral(world)
    note = _add(world, "caseworker", referral, category=CONCERN, text="Threatened by a neighbour")
    assert note.author_party == Party.PROVIDER
    assert note.author_organisation_id == world["caseworker"].organisation_id
    assert note.is_open_concern
    assert Alert.objects.filter(
        recipient=world["officer"], referral=referral, kind=Alert.Kind.CONCERN
    ).exists()
    event = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="referrals.casenote", object_id=str(note.pk)
    )
    assert event.person_id == str(referral.person_id)


def test_a_police_concern_emails_the_provider_staff_a_link(world: Any) -> None:
    referral = _referral(world)
    _add(world, "officer", referral, category=CONCERN, text="Known to carry a knife")
    sent = Notification.objects.filter(template="referral_concern")
    assert world["caseworker"].pk in set(sent.values_list("recipient_user_id", flat=True))
    assert not sent.filter(recipient_user_id=world["officer"].pk).exists()
    assert all("knife" not in n.link for n in sent)


def test_a_general_note_emails_the_other_side_only_when_asked(world: Any) -> None:
    referral = _referral(world)
    _add(world, "caseworker", referral)
    assert not Notification.objects.filter(template="referral_note").exists()
    _add(world, "caseworker", referral, category=CHANGE, text="Moved", notify_other_side=True)
    sent = Notification.objects.filter(template="referral_note")
    assert sent.filter(recipient_user_id=world["officer"].pk).exists()
    assert Alert.objects.filter(recipient=world["officer"], kind=Alert.Kind.NOTE).exists()
    _add(world, "officer", referral, text="Back in custody", notify_other_side=True)
    assert sent.filter(recipient_user_id=world["caseworker"].pk).exists()


@pytest.mark.parametrize(
    ("category", "message"), [(CONCERN, "Describe the concern"), (GENERAL, "Enter the note")]
)
def test_the_text_is_required(world: Any, category: str, message: str) -> None:
    referral = _referral(world)
    with pytest.raises(ValidationError) as error:
        _add(world, "caseworker", referral, category=category, text="   ")
    assert error.value.message_dict == {"text": [message]}
    assert not CaseNote.objects.exists()
    assert not Alert.objects.filter(kind=Alert.Kind.CONCERN).exists()


def test_the_category_and_length_are_checked(world: Any) -> None:
    referral = _referral(world)
    with pytest.raises(ValidationError) as error:
        _add(world, "officer", referral, category="gossip")
    assert error.value.message_dict == {"category": ["Choose the type of note"]}
    with pytest.raises(ValidationError) as error:
        _add(world, "officer", referral, text="x" * 4001)
    assert "text" in error.value.message_dict
    assert not CaseNote.objects.exists()


def test_a_closed_referral_takes_no_note(world: Any) -> None:
    referral = _referral(world)
    move(world["officer"], referral, Status.CANCELLED, code="CAN_NO_LONGER_NEEDED")
    referral.refresh_from_db()
    if referral.is_open:  # pragma: no cover - the code registry decides
        pytest.skip("no police cancellation code")
    with pytest.raises(ValidationError) as error:
        _add(world, "caseworker", referral)
    assert error.value.code == "closed"


def test_users_outside_the_scope_or_the_roles_may_not_write(world: Any) -> None:
    referral = _referral(world)
    for who in ("powys.officer", "powys.caseworker", "analyst"):
        with pytest.raises(PermissionDenied):
            _add(world, who, referral)
    _add(world, "custody.sergeant", referral)  # the officer's supervisor sees the referral
    assert CaseNote.objects.count() == 1


def test_the_other_side_acknowledges_a_concern_once(world: Any) -> None:
    referral = _referral(world)
    note = _add(world, "caseworker", referral, category=CONCERN, text="Worried")
    done = _ack(world, "officer", note)
    assert done.acknowledged_by == world["officer"] and done.acknowledged_at is not None
    assert done.version == note.version + 1
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="referrals.casenote", object_id=str(note.pk)
    ).exists()
    with pytest.raises(ValidationError) as error:
        _ack(world, "officer", done)
    assert error.value.code == "already_acknowledged"


def test_the_same_side_may_not_acknowledge(world: Any) -> None:
    referral = _referral(world)
    note = _add(world, "caseworker", referral, category=CONCERN, text="Worried")
    with pytest.raises(ValidationError) as error:
        _ack(world, "provider.manager", note)
    assert error.value.code == "same_side"
    assert CaseNote.objects.get(pk=note.pk).acknowledged_at is None


def test_a_concern_on_a_referral_outside_the_scope_cannot_be_acknowledged(world: Any) -> None:
    referral = _referral(world)
    note = _add(world, "caseworker", referral, category=CONCERN, text="Worried")
    police_note = _add(world, "officer", referral, category=CONCERN, text="Risk")
    with pytest.raises(PermissionDenied):
        _ack(world, "powys.officer", note)
    with pytest.raises(PermissionDenied):
        _ack(world, "powys.caseworker", police_note)
    assert not CaseNote.objects.filter(acknowledged_at__isnull=False).exists()


def test_a_stale_version_is_a_conflict(world: Any) -> None:
    referral = _referral(world)
    note = _add(world, "caseworker", referral, category=CONCERN, text="Worried")
    with pytest.raises(StaleVersionError):
        _ack(world, "officer", note, version=note.version + 5)
    assert CaseNote.objects.get(pk=note.pk).acknowledged_at is None


def test_only_concerns_are_acknowledged(world: Any) -> None:
    referral = _referral(world)
    note = _add(world, "caseworker", referral)
    with pytest.raises(ValidationError) as error:
        _ack(world, "officer", note)
    assert error.value.code == "not_a_concern"


# --- pages ---------------------------------------------------------------------------------


def test_the_provider_form_warns_about_clinical_detail_and_preselects(world: Any) -> None:
    referral = _referral(world)
    client = demo_sign_in("caseworker")
    url = reverse("referrals:note-add", args=[referral.pk]) + "?category=change"
    page = client.get(url).content.decode()
    assert "shared with the police" in page
    assert "clinical" in page
    assert 'value="change" checked' in page
    police = demo_sign_in("officer").get(url).content.decode()
    assert "shared with the police" not in police


def test_writing_a_concern_through_the_page(world: Any) -> None:
    referral = _referral(world)
    client = demo_sign_in("caseworker")
    url = reverse("referrals:note-add", args=[referral.pk])
    empty = client.post(url, {"category": CONCERN, "text": ""})
    assert empty.status_code == 200
    assert "Describe the concern" in empty.content.decode()
    done = client.post(url, {"category": CONCERN, "text": "Threatened by a neighbour"})
    assert done.status_code == 302
    note = CaseNote.objects.get()
    page = demo_sign_in("officer").get(reverse("referrals:detail", args=[referral.pk]))
    text = page.content.decode()
    assert "Threatened by a neighbour" in text
    assert reverse("referrals:concern-acknowledge", args=[referral.pk, note.pk]) in text


def test_acknowledging_through_the_page(world: Any) -> None:
    referral = _referral(world)
    note = _add(world, "caseworker", referral, category=CONCERN, text="Worried")
    url = reverse("referrals:concern-acknowledge", args=[referral.pk, note.pk])
    assert demo_sign_in("powys.officer").post(url, {"version": note.version}).status_code == 404
    client = demo_sign_in("officer")
    assert client.post(url, {"version": note.version}).status_code == 302
    assert CaseNote.objects.get(pk=note.pk).acknowledged_by == world["officer"]
    again = client.post(url, {"version": note.version + 1}, follow=True)
    assert "already been acknowledged" in again.content.decode()


def test_pages_outside_the_scope_are_not_found(world: Any) -> None:
    referral = _referral(world)
    url = reverse("referrals:note-add", args=[referral.pk])
    assert demo_sign_in("powys.caseworker").get(url).status_code == 404
    assert demo_sign_in("analyst").get(url).status_code in (403, 404)


def test_the_notes_section_reads_in_one_query(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    from pontio.referrals.views.notes import notes_section

    referral = _referral(world)
    for index in range(6):
        _add(world, "caseworker" if index % 2 else "officer", referral, text=f"Note {index}")
    _add(world, "caseworker", referral, category=CONCERN, text="Worried")
    officer = world["officer"]
    with django_assert_max_num_queries(2):
        section = notes_section(officer, referral, Party.POLICE)
    assert section is not None
    assert len(section["notes"]) == 7
    assert section["open_concerns"] == 1


def test_open_concerns_sit_on_the_other_side_home_page(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    from pontio.referrals.dashboard_notes import concerns_panel

    referral = _referral(world)
    note = _add(world, "caseworker", referral, category=CONCERN, text="Worried")
    with django_assert_max_num_queries(2):
        panel = concerns_panel(world["officer"])
    assert panel is not None and panel["items"][0]["count"] == 1
    assert concerns_panel(world["caseworker"]) is None  # their own side's concern
    assert concerns_panel(world["powys.officer"]) is None
    home = demo_sign_in("officer").get("/").content.decode()
    assert referral.reference in home
    _ack(world, "officer", note)
    assert concerns_panel(world["officer"]) is None


def test_a_police_concern_sits_on_the_provider_home_page(world: Any) -> None:
    from pontio.referrals.dashboard_notes import concerns_panel

    referral = _referral(world)
    _add(world, "officer", referral, category=CONCERN, text="Known to carry a knife")
    panel = concerns_panel(world["caseworker"])
    assert panel is not None and panel["items"][0]["count"] == 1
    assert referral.reference in panel["items"][1]["label"]
    assert concerns_panel(world["powys.caseworker"]) is None
    assert concerns_panel(world["officer"]) is None


def test_the_provider_page_shows_the_notes_with_the_clinical_warning(world: Any) -> None:
    referral = _referral(world)
    _add(world, "officer", referral, category=CHANGE, text="Back in custody")
    page = demo_sign_in("caseworker").get(reverse("referrals:detail", args=[referral.pk]))
    text = page.content.decode()
    assert 'id="notes"' in text and "Back in custody" in text
    assert "never write clinical detail" in text
    assert reverse("referrals:note-add", args=[referral.pk]) in text


# --- API -----------------------------------------------------------------------------------


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_api_lists_writes_and_acknowledges(world: Any) -> None:
    referral = _referral(world)
    url = reverse("api-referral-notes", args=[referral.pk])
    caseworker = demo_sign_in("caseworker")
    refused = _post(caseworker, url, {"category": CONCERN, "text": ""})
    assert refused.status_code == 400
    assert refused.json() == {"text": ["Describe the concern"]}
    made = _post(caseworker, url, {"category": CONCERN, "text": "Worried"})
    assert made.status_code == 201, made.content
    note_id = made.json()["id"]
    officer = demo_sign_in("officer")
    listed = officer.get(url).json()
    assert [n["id"] for n in listed] == [note_id] and listed[0]["is_open_concern"]
    ack = reverse("api-referral-note-acknowledge", args=[referral.pk, note_id])
    assert _post(demo_sign_in("powys.officer"), ack, {"version": 1}).status_code == 404
    assert _post(caseworker, ack, {"version": 1}).status_code == 400
    stale = _post(officer, ack, {"version": 9})
    assert stale.status_code == 409 and stale.json()["version"] == 1
    assert _post(officer, ack, {"version": 1}).status_code == 200
    twice = _post(officer, ack, {"version": 2})
    assert twice.status_code == 400 and twice.json()["code"] == "already_acknowledged"
    assert demo_sign_in("powys.caseworker").get(url).status_code == 404


# --- demo ----------------------------------------------------------------------------------


def test_the_demo_notes_are_made_once(world: Any) -> None:
    from django.utils import timezone

    from pontio.referrals.demo.daily_notes import seed

    _referral(world)
    made = seed(CONTEXT, timezone.now())
    assert made == 5
    assert seed(CONTEXT, timezone.now()) == 0
    assert CaseNote.objects.filter(category=CONCERN, acknowledged_at__isnull=True).count() == 1
    assert CaseNote.objects.filter(category=CONCERN, acknowledged_at__isnull=False).count() == 1
