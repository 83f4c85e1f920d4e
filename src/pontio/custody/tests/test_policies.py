"""Who sees which custody rows (``policies``), and what the other apps get (``dashboard``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from pontio.core.recording import find_subjects, subject_of
from pontio.core.scopes import restrict
from pontio.custody.models import CustodyRecord, CustodySuite, DrugTest, Notice, RequiredAssessment
from pontio.custody.tests.helpers import book, impose, positive
from pontio.people.panels import panels_for
from pontio.referrals.sources import initial_from

pytestmark = pytest.mark.django_db


def _visible(user, model=CustodyRecord, action="view"):  # type: ignore[no-untyped-def]
    return set(restrict(model.objects.all(), user, action).values_list("pk", flat=True))


def test_record_scope_by_role(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], officer_in_case=world["officer"])
    assert record.pk in _visible(world["custody.sergeant"])
    assert record.pk in _visible(world["custody.officer"])  # Carmarthenshire
    assert record.pk in _visible(world["carms_inspector"])
    assert record.pk in _visible(world["officer"])  # the officer in the case
    assert record.pk not in _visible(world["inspector"])  # Ceredigion
    assert record.pk not in _visible(world["powys.officer"])
    for name in ("caseworker", "provider.manager", "analyst", "panel", "admin", "auditor"):
        assert record.pk not in _visible(world[name]), name
    assert record.pk in _visible(world["analyst"], action="aggregate")
    assert record.pk in _visible(world["operations"], action="aggregate")
    assert record.pk not in _visible(world["caseworker"], action="aggregate")


def test_providers_see_the_requirement_through_their_referral(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = positive(sergeant, world["person"])
    assessment = impose(sergeant, record)
    caseworker = world["caseworker"]
    assert assessment.pk in _visible(caseworker, RequiredAssessment)
    assert _visible(caseworker, DrugTest) == set()
    assert _visible(caseworker, CustodyRecord) == set()
    assert {n.kind for n in restrict(Notice.objects.all(), caseworker, "view")} == {"RA1"}
    assert assessment.pk not in _visible(world["powys.caseworker"], RequiredAssessment)


def test_reference_data_is_read_by_all_and_kept_by_administrators(world):  # type: ignore[no-untyped-def]
    suites = CustodySuite.objects.count()
    assert len(_visible(world["caseworker"], CustodySuite)) == suites
    assert len(_visible(world["admin"], CustodySuite, "change")) == suites
    assert _visible(world["custody.sergeant"], CustodySuite, "change") == set()


def test_subjects_person_panel_and_referral_source(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"], number="LL/777/26")
    person = world["person"]
    assert subject_of(CustodyRecord, record.pk) == str(person.pk)
    found = find_subjects(world["auditor"], "ll/777/26")
    assert [m.person_id for m in found] == [str(person.pk)]
    assert find_subjects(world["custody.sergeant"], "LL/777/26") == [] or all(
        m.reason != "custody record LL/777/26"
        for m in find_subjects(world["custody.sergeant"], "LL/777/26")
    )
    panels = [p for p in panels_for(world["custody.sergeant"], person) if "custody_records" in p]
    assert [r.pk for r in panels[0]["custody_records"]] == [record.pk]
    assert not [p for p in panels_for(world["inspector"], person) if "custody_records" in p]
    initial = initial_from({"from_custody": str(record.pk)}, world["custody.sergeant"], person)
    assert initial == {"pathway": "custody", "source_reference": "LL/777/26"}
    assert initial_from({"from_custody": str(record.pk)}, world["inspector"], person) == {}


def test_booking_outside_the_area_is_refused(world):  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        book(world["custody.sergeant"], world["person"], suite_code="BRECON")
    assert "suite" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        book(world["caseworker"], world["person"])
