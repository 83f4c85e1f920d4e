"""A page restricts many models; the user's live break-glass grants are read once per
request, and a grant made during the request is seen at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from tests.factories import UserFactory

from pontio.accounts.models import BreakGlassGrant, Organisation, User, active_grant_ids
from pontio.accounts.roles import Role
from pontio.core.models import County
from pontio.core.request_cache import request_scope

pytestmark = pytest.mark.django_db


def _grant(user: User, obj: County) -> BreakGlassGrant:
    return BreakGlassGrant.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(County),
        object_id=str(obj.pk),
        reason="test",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )


def test_grants_are_read_once_per_request(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(roles=[Role.OFFICER])
    county = County.objects.first()
    assert county is not None
    _grant(user, county)
    ContentType.objects.get_for_model(County)
    ContentType.objects.get_for_model(Organisation)
    with request_scope(), django_assert_num_queries(1):
        assert active_grant_ids(user, County) == [str(county.pk)]
        assert active_grant_ids(user, Organisation) == []
        assert active_grant_ids(user, County) == [str(county.pk)]


def test_a_grant_made_during_the_request_is_seen_and_outside_a_request_nothing_is_kept() -> None:
    user = UserFactory(roles=[Role.OFFICER])
    county = County.objects.first()
    assert county is not None
    with request_scope():
        assert active_grant_ids(user, County) == []
        grant = _grant(user, county)
        assert active_grant_ids(user, County) == [str(county.pk)]
        grant.delete()
        assert active_grant_ids(user, County) == []
    _grant(user, county)
    assert active_grant_ids(user, County) == [str(county.pk)]
