"""Changes to a booked custody record: another offence (with the Class A question), the
appropriate adult and the officer in the case, and an authorisation an inspector records
without a request. Each through the service and through its page (the record's version
posted: a stale copy is the conflict message and nothing is saved)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in, sign_in_client

from pontio.custody import actions, rules, services
from pontio.custody.models import InspectorAuthorisation, Offence, RecordOffence
from pontio.custody.tests.helpers import CONTEXT, book, fresh, offence

pytestmark = pytest.mark.django_db

GROUNDS = "Says he stole the phone to pay a crack cocaine debt; needle marks seen."


def page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _error_summary(text: str) -> str:
    start = text.index("govuk-error-summary")
    return text[start : start + 3000]


def _add(actor: Any, record: Any, code: str, class_a: bool | None = None, **changes: Any) -> Any:
    values: dict[str, Any] = {"expected_version": fresh(record).version}
    values.update(changes)
    return services.record_offence_add(
        context=CONTEXT,
        actor=actor,
        record_id=record.pk,
        entry=services.OffenceEntry(offence(code), class_a),
        **values,
    )


# --- add an offence ---------------------------------------------------------------------------


def test_the_service_adds_an_offence_and_asks_the_class_a_question(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = book(sergeant, world["person"])
    with pytest.raises(ValidationError) as error:
        _add(sergeant, record, "MDA1971_S5_2")
    assert "class_a_involved" in error.value.message_dict
    item = _add(sergeant, record, "MDA1971_S5_2", True)
    assert item.class_a_involved is True and fresh(record).version == record.version + 1
    with pytest.raises(ValidationError) as error:
        _add(sergeant, record, "MDA1971_S5_2", True)
    assert "This offence is already on the record" in error.value.messages
    with pytest.raises(PermissionDenied):
        _add(world["officer"], record, "CJA1988_S39")  # may read, may not book
    assert record.record_offences.count() == 2


def test_a_sergeant_adds_an_offence_through_the_page(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"])
    client = demo_sign_in("custody.sergeant")
    detail = page(client.get(reverse("custody:detail", args=[record.pk])))
    url = reverse("custody:record-offence-add", args=[record.pk])
    assert url in detail
    shown = page(client.get(url))
    assert "(Theft Act 1968 s1)" not in shown  # already on the record: not offered again
    assert "specified Class A drug" in shown
    mda = Offence.objects.get(code="MDA1971_S5_2").pk
    response = client.post(url, {"version": fresh(record).version, "offence": mda})
    assert response.status_code == 200
    assert "Say whether a specified Class A drug" in _error_summary(page(response))
    assert record.record_offences.count() == 1
    response = client.post(
        url, {"version": fresh(record).version, "offence": mda, "class_a_involved": "yes"}
    )
    assert response["Location"] == reverse("custody:detail", args=[record.pk])
    added = RecordOffence.objects.get(record=record, offence_id=mda)
    assert added.class_a_involved is True


def test_adding_an_offence_from_a_stale_page_saves_nothing(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"])
    stale = fresh(record).version
    _add(world["custody.sergeant"], record, "CJA1988_S39")
    response = demo_sign_in("custody.sergeant").post(
        reverse("custody:record-offence-add", args=[record.pk]),
        {"version": stale, "offence": Offence.objects.get(code="CDA1971_S1").pk},
    )
    assert "Someone else changed this record" in _error_summary(page(response))
    assert not record.record_offences.filter(offence__code="CDA1971_S1").exists()


# --- the appropriate adult and the officer in the case ----------------------------------------


def test_the_service_changes_the_adult_and_refuses_a_non_officer(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = book(sergeant, world["person"])
    with pytest.raises(ValidationError) as error:
        services.record_update(
            context=CONTEXT,
            actor=sergeant,
            record_id=record.pk,
            expected_version=fresh(record).version,
            appropriate_adult_name="Mair Rees",
            appropriate_adult_relationship="Mother",
            officer_in_case=world["caseworker"],
        )
    assert "officer_in_case" in error.value.message_dict
    changed = services.record_update(
        context=CONTEXT,
        actor=sergeant,
        record_id=record.pk,
        expected_version=fresh(record).version,
        appropriate_adult_name=" Mair Rees ",
        appropriate_adult_relationship="Mother",
        officer_in_case=world["officer"],
    )
    assert changed.appropriate_adult_name == "Mair Rees"
    assert fresh(record).officer_in_case == world["officer"]


def test_a_sergeant_changes_the_adult_and_the_officer_through_the_page(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"])
    client = demo_sign_in("custody.sergeant")
    url = reverse("custody:record-change", args=[record.pk])
    assert url in page(client.get(reverse("custody:detail", args=[record.pk])))
    officer = world["officer"]
    assert officer.get_full_name() in page(client.get(url))
    response = client.post(
        url,
        {
            "version": fresh(record).version,
            "appropriate_adult_name": "Mair Rees",
            "appropriate_adult_relationship": "Mother",
            "officer_in_case": world["caseworker"].pk,
        },
    )
    assert response.status_code == 200
    assert "Choose an active police officer" in _error_summary(page(response))
    assert fresh(record).appropriate_adult_name == ""
    response = client.post(
        url,
        {
            "version": fresh(record).version,
            "appropriate_adult_name": "Mair Rees",
            "appropriate_adult_relationship": "Mother",
            "officer_in_case": officer.pk,
        },
    )
    assert response.status_code == 302
    saved = fresh(record)
    assert (saved.appropriate_adult_name, saved.officer_in_case_id) == ("Mair Rees", officer.pk)
    detail = page(client.get(reverse("custody:detail", args=[record.pk])))
    assert "Mair Rees (Mother)" in detail and officer.get_full_name() in detail


def test_changing_the_record_from_a_stale_page_saves_nothing(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"])
    stale = fresh(record).version
    _add(world["custody.sergeant"], record, "CJA1988_S39")
    response = demo_sign_in("custody.sergeant").post(
        reverse("custody:record-change", args=[record.pk]),
        {"version": stale, "appropriate_adult_name": "Mair Rees"},
    )
    assert "Someone else changed this record" in _error_summary(page(response))
    assert fresh(record).appropriate_adult_name == ""


# --- an authorisation nobody asked for --------------------------------------------------------


def test_the_service_records_when_it_was_given_and_refuses_a_non_inspector(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], "CJA1988_S39")
    given_at = timezone.now() - dt.timedelta(minutes=30)
    with pytest.raises(ValidationError) as error:
        services.authorisation_give(
            context=CONTEXT,
            actor=world["carms_inspector"],
            record_id=record.pk,
            expected_version=fresh(record).version,
            stage="arrest",
            grounds=GROUNDS,
            at=record.arrested_at - dt.timedelta(hours=1),
        )
    assert "at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.authorisation_give(
            context=CONTEXT,
            actor=world["custody.sergeant"],
            record_id=record.pk,
            expected_version=fresh(record).version,
            stage="arrest",
            grounds=GROUNDS,
        )
    assert error.value.error_list[0].code == rules.INSPECTOR_RANK
    given = services.authorisation_give(
        context=CONTEXT,
        actor=world["carms_inspector"],
        record_id=record.pk,
        expected_version=fresh(record).version,
        stage="arrest",
        grounds=GROUNDS,
        oral=True,
        at=given_at,
    )
    assert given.authorised_at == given_at and given.awaiting_written_confirmation


def test_an_inspector_records_an_authorisation_through_the_page(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], "CJA1988_S39")
    inspector = sign_in_client(world["carms_inspector"])
    url = reverse("custody:authorisation-give", args=[record.pk])
    assert url in page(inspector.get(reverse("custody:detail", args=[record.pk])))
    # The sergeant may not authorise: no link, and the page refuses by role.
    assert actions.AUTHORISE not in actions.actions_for(record, world["custody.sergeant"])
    assert url not in page(
        demo_sign_in("custody.sergeant").get(reverse("custody:detail", args=[record.pk]))
    )
    assert demo_sign_in("custody.sergeant").get(url).status_code == 403
    assert "PACE s63B(1A)(b)" in page(inspector.get(url))
    response = inspector.post(
        url, {"version": fresh(record).version, "stage": "arrest", "oral": "written"}
    )
    assert response.status_code == 200
    assert "Enter the grounds" in _error_summary(page(response))
    assert not InspectorAuthorisation.objects.filter(record=record).exists()
    when = timezone.localtime(timezone.now() - dt.timedelta(minutes=20))
    response = inspector.post(
        url,
        {
            "version": fresh(record).version,
            "stage": "arrest",
            "grounds": GROUNDS,
            "oral": "oral",
            "on_0": str(when.day),
            "on_1": str(when.month),
            "on_2": str(when.year),
            "time": when.strftime("%H:%M"),
        },
    )
    assert response.status_code == 302, page(response)
    given = InspectorAuthorisation.objects.get(record=record)
    assert (
        given.state == "granted" and given.oral and given.authorised_by == world["carms_inspector"]
    )
    assert timezone.localtime(given.authorised_at).strftime("%H:%M") == when.strftime("%H:%M")
    assert "an inspector has authorised the test" in page(
        demo_sign_in("custody.sergeant").get(reverse("custody:detail", args=[record.pk]))
    )


def test_an_inspector_outside_the_area_cannot_open_the_page(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], "CJA1988_S39")
    response = demo_sign_in("inspector").get(
        reverse("custody:authorisation-give", args=[record.pk])
    )
    assert response.status_code == 404


def test_authorising_from_a_stale_page_saves_nothing(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], "CJA1988_S39")
    stale = fresh(record).version
    _add(world["custody.sergeant"], record, "CDA1971_S1")
    response = sign_in_client(world["carms_inspector"]).post(
        reverse("custody:authorisation-give", args=[record.pk]),
        {"version": stale, "stage": "arrest", "grounds": GROUNDS, "oral": "written"},
    )
    assert "Someone else changed this record" in _error_summary(page(response))
    assert not InspectorAuthorisation.objects.filter(record=record).exists()
