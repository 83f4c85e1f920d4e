"""Demo people (people.demo): through the real services, idempotent, fictional."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.utils import timezone

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people.models import Address, Flag, Person, Phone

pytestmark = pytest.mark.django_db


def test_seed_people_is_idempotent(settings: Any) -> None:
    from pontio.people.demo import seed_people

    first = seed_people(count=30, duplicates=3)
    assert first.created >= 30
    again = seed_people(count=30, duplicates=3)
    assert again.created == 0
    assert Person.objects.count() == first.created
    postcodes = set(Person.objects.values_list("addresses__postcode", flat=True))
    assert all(p is None or " " in p for p in postcodes)
    assert all(
        number.startswith(("+447700900", "+441632960"))
        for number in Phone.objects.values_list("number", flat=True)
    )


def test_seeded_records_are_made_through_the_services_and_audited() -> None:
    from pontio.people.demo import RECORDERS, seed_people

    result = seed_people(count=40, duplicates=2)
    people = Person.objects.all()
    created = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="people.person")
    assert created.count() == result.created == people.count()
    recorders = {name for name, _area in RECORDERS}
    assert set(Phone.objects.values_list("recorded_by__username", flat=True)) <= recorders
    now = timezone.now()
    assert all(p.created_at < now for p in people)
    # An earlier address was closed on the day the current one began.
    for person in people:
        addresses = list(Address.objects.filter(person=person).order_by("valid_from"))
        assert addresses[-1].valid_to is None
        for old, new in itertools.pairwise(addresses):
            assert old.valid_to == new.valid_from
    for flag in Flag.objects.all():
        assert flag.raised_by is not None and flag.raised_at >= flag.person.created_at
        if flag.resolved_at is not None:
            assert flag.resolved_by is not None and flag.resolved_at > flag.raised_at
    # A second run writes nothing at all.
    before = AuditEvent.objects.count()
    assert seed_people(count=40, duplicates=2).created == 0
    assert AuditEvent.objects.count() == before


def test_seeded_records_are_recorded_by_someone_who_may_change_them() -> None:
    from pontio.people.demo import seed_people

    seed_people(count=40, duplicates=0)
    for person in Person.objects.prefetch_related("phones__recorded_by"):
        recorder = person.phones.all()[0].recorded_by
        assert restrict(Person.objects.filter(pk=person.pk), recorder, "change").exists()


def test_the_access_matrix_person_is_made_through_the_services() -> None:
    from pontio.people.demo import access_matrix_person

    person_pk, flag_pk = access_matrix_person()
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="people.person", object_id=str(person_pk)
    ).exists()
    flag = Flag.objects.get(pk=flag_pk)
    assert flag.is_open and flag.raised_by is not None
