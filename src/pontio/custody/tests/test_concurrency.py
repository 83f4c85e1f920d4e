"""Two editors of one custody record: the second, from a stale copy, gets a conflict."""

from __future__ import annotations

import pytest

from pontio.core.concurrency import StaleVersionError
from pontio.custody import services
from pontio.custody.models import DrugTest
from pontio.custody.tests.helpers import CONTEXT, book, fresh

pytestmark = pytest.mark.django_db


def test_a_stale_copy_is_refused_not_lost(world):  # type: ignore[no-untyped-def]
    sergeant, officer = world["custody.sergeant"], world["custody.officer"]
    record = book(sergeant, world["person"])
    seen = fresh(record).version
    services.record_update(
        context=CONTEXT,
        actor=sergeant,
        record_id=record.pk,
        expected_version=seen,
        appropriate_adult_name="",
        appropriate_adult_relationship="",
        officer_in_case=world["officer"],
    )
    with pytest.raises(StaleVersionError):
        services.test_request(
            context=CONTEXT,
            actor=officer,
            record_id=record.pk,
            expected_version=seen,
            stage="arrest",
            warning_given=True,
        )
    assert not DrugTest.objects.filter(record=record).exists()
    assert fresh(record).officer_in_case == world["officer"]
    assert fresh(record).version == seen + 1


def test_no_version_is_a_conflict_too(world):  # type: ignore[no-untyped-def]
    record = book(world["custody.sergeant"], world["person"])
    with pytest.raises(StaleVersionError):
        services.record_update(
            context=CONTEXT,
            actor=world["custody.sergeant"],
            record_id=record.pk,
            expected_version=None,
            appropriate_adult_name="Someone",
            appropriate_adult_relationship="",
        )
