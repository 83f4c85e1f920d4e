"""Optimistic concurrency: an update must name the version it started from."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pontio.core.concurrency import StaleVersionError, check_version
from pontio.core.models import County

pytestmark = pytest.mark.django_db


def test_matching_version_passes_and_bumps() -> None:
    county = County.objects.get(ons_code="W06000023")
    assert county.version == 1
    check_version(county, 1)
    assert county.version == 2


def test_matching_version_as_text_passes() -> None:
    county = County.objects.get(ons_code="W06000023")
    check_version(county, "1")  # type: ignore[arg-type]  (forms may hand over text)
    assert county.version == 2


@pytest.mark.parametrize("expected", [None, 0, 2, 99])
def test_stale_or_missing_version_is_refused(expected: int | None) -> None:
    county = County.objects.get(ons_code="W06000023")
    with pytest.raises(StaleVersionError) as info:
        check_version(county, expected)
    assert info.value.code == "stale_version"
    assert "Someone else changed this record" in info.value.messages[0]
    assert county.version == 1  # unchanged when refused


def test_stale_version_error_is_a_validation_error() -> None:
    assert issubclass(StaleVersionError, ValidationError)


def test_two_editors_of_the_same_version_cannot_both_save() -> None:
    from tests.factories import UserFactory

    from pontio.core.recording import AuditContext
    from pontio.core.reference import county_update

    admin = UserFactory(roles=["administrator"], force_wide=True)
    values = {"label_en": "Powys", "label_cy": "Powys", "valid_from": None, "valid_to": None}
    context = AuditContext.system("test")
    county = County.objects.get(ons_code="W06000023")
    county_update(
        context=context, actor=admin, county_id=county.pk, expected_version=1, values=values
    )
    with pytest.raises(StaleVersionError):
        county_update(
            context=context, actor=admin, county_id=county.pk, expected_version=1, values=values
        )
    assert County.objects.get(pk=county.pk).version == 2
