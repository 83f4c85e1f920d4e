"""Merge pages (views.merges): choose, confirm, refuse conflicts, undo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from tests.factories import CARMARTHENSHIRE, POWYS

from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.people.models import PersonMerge
from pontio.people.tests.helpers import (
    denials,
    identity,
    make_person,
    sign_in_as,
    text,
)

pytestmark = pytest.mark.django_db


def test_merge_flow_and_undo_through_the_pages() -> None:
    survivor = make_person("Dafydd", "Jones", dt.date(1990, 3, 7), county_code=CARMARTHENSHIRE)
    duplicate = make_person("David", "Jones", dt.date(1990, 7, 3), county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    detail = text(client.get(reverse("people:detail", args=[survivor.pk])))
    assert "Possible duplicates" in detail and "David Jones" in detail
    url = reverse("people:merge", args=[survivor.pk])
    choose = text(client.get(url))
    assert f"?duplicate={duplicate.pk}" in choose
    confirm_url = f"{url}?duplicate={duplicate.pk}"
    confirm = client.get(confirm_url)
    assert confirm.status_code == 200 and "Merge the records" in text(confirm)
    response = client.post(confirm_url, {"survivor_version": 1, "duplicate_version": 1})
    assert "Enter why these records are the same person" in text(response)
    response = client.post(
        confirm_url,
        {"survivor_version": 1, "duplicate_version": 1, "reason": "Same custody photograph."},
    )
    assert response.status_code == 302
    merge = PersonMerge.objects.get()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert "Merge history" in text(client.get(reverse("people:detail", args=[survivor.pk])))
    assert "no longer used" in text(client.get(reverse("people:detail", args=[duplicate.pk])))

    unmerge = reverse("people:unmerge", args=[survivor.pk])
    assert "Undo the merge" in text(client.get(f"{unmerge}?merge={merge.pk}"))
    response = client.post(unmerge, {"merge": merge.pk, "reason": "Different people: twins."})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.is_active and duplicate.merged_into is None


def test_conflicting_merge_shows_the_conflict_and_refuses() -> None:
    a = make_person("Rhys", "Evans", dt.date(1980, 1, 2), pnc_id="11/1A",
                    county_code=CARMARTHENSHIRE)  # fmt: skip
    b = make_person("Rhys", "Evans", dt.date(1980, 1, 2), pnc_id="12/2B",
                    county_code=CARMARTHENSHIRE)  # fmt: skip
    client = sign_in_as(Role.INSPECTOR, force_wide=True)
    url = f"{reverse('people:merge', args=[a.pk])}?duplicate={b.pk}"
    page = text(client.get(url))
    assert "The records have different PNC IDs" in page and "Merge the records" not in page
    response = client.post(
        url, {"survivor_version": 1, "duplicate_version": 1, "reason": "Looks the same to me."}
    )
    assert "The records have different PNC IDs" in text(response)
    assert not PersonMerge.objects.exists()


def test_officers_cannot_merge() -> None:
    a = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.OFFICER, (CARMARTHENSHIRE,))
    before = denials()
    assert client.get(reverse("people:merge", args=[a.pk])).status_code == 403
    assert denials() == before + 1


def test_refused_duplicate_pnc_and_conflicting_merge_are_logged() -> None:
    make_person("Rhys", "Morgan", pnc_id="12/345678A")
    client = sign_in_as(Role.CUSTODY_SERGEANT, force_wide=True)
    client.post(reverse("people:create"), identity(pnc_id="12/345678A"))
    data = identity(pnc_id="12/345678A")
    data.update({"gender": "male", "self_defined_ethnicity": "NS", "preferred_language": "en"})
    before = denials()
    client.post(reverse("people:create-details"), data)
    assert denials() == before + 1
    assert AuditEvent.objects.filter(reason__startswith="refused: PNC ID").exists()

    a = make_person("Huw", "Pugh", dt.date(1980, 1, 2), pnc_id="11/1A")
    b = make_person("Huw", "Pugh", dt.date(1980, 1, 2), pnc_id="13/2B")
    url = f"{reverse('people:merge', args=[a.pk])}?duplicate={b.pk}"
    client.post(url, {"survivor_version": 1, "duplicate_version": 1, "reason": "Same man, surely."})
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, person_id=str(a.pk), reason__startswith="merge refused"
    ).exists()
    assert not PersonMerge.objects.exists()


@pytest.mark.parametrize("number", ["9" * 30, "9" * 5000, "-1", "0", "abc"])
def test_a_record_number_that_names_no_record_is_refused_clearly(number: str) -> None:
    survivor = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    response = client.get(reverse("people:merge", args=[survivor.pk]), {"duplicate": number})
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert (
        "There is no record with that number" in page
        or "The record number must be a number" in page
    )


@pytest.mark.parametrize("number", ["9" * 30, "9" * 5000, "abc"])
def test_an_unmerge_of_a_merge_that_does_not_exist_is_refused(number: str) -> None:
    survivor = make_person(county_code=CARMARTHENSHIRE)
    client = sign_in_as(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    url = reverse("people:unmerge", args=[survivor.pk])
    assert client.get(url, {"merge": number}).status_code == 200
    response = client.post(url, {"merge": number, "reason": "They are twins, not one."})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[survivor.pk])


def test_only_records_the_user_may_change_are_offered_for_merging() -> None:
    survivor = make_person("Dafydd", "Jones", dt.date(1990, 3, 7), county_code=CARMARTHENSHIRE)
    elsewhere = make_person("David", "Jones", dt.date(1990, 7, 3), county_code=POWYS,
                            postcode="LD3 7AB", town="Brecon")  # fmt: skip
    client = sign_in_as(Role.CUSTODY_SERGEANT, (CARMARTHENSHIRE,))
    # The record page shows the possible duplicate from the whole force...
    detail = text(client.get(reverse("people:detail", args=[survivor.pk])))
    assert reverse("people:detail", args=[elsewhere.pk]) in detail
    # ... the merge page does not offer it: it could not be merged.
    choose = text(client.get(reverse("people:merge", args=[survivor.pk])))
    assert f"?duplicate={elsewhere.pk}" not in choose
    url = reverse("people:merge", args=[survivor.pk])
    assert client.get(url, {"duplicate": elsewhere.pk}).status_code == 404
