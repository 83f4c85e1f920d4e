"""Every role and organisation against one real referral, by page and by API.

The referral: made by the Carmarthenshire officer, for a Carmarthenshire person, to Dyfed
Drug and Alcohol Service. Who may open it, who gets "not found" (has the permission but the
referral is outside their organisation, area or own referrals) and who is refused outright
(no referral permission at all). Every refusal is audited.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.referrals.tests.helpers import refer

OPENS = {"officer", "custody.sergeant", "caseworker", "provider.manager"}
NOT_FOUND = {"custody.officer", "powys.officer", "inspector", "powys.caseworker", "navigator"}
REFUSED = {"intelligence", "operations", "examiner", "panel", "analyst", "auditor", "admin"}


def _denials(referral: Any) -> int:
    return AuditEvent.objects.filter(
        action="denied", object_type="referrals.referral", object_id=str(referral.pk)
    ).count()


def test_the_three_groups_cover_every_demo_role(world: dict[str, Any]) -> None:
    from pontio.accounts.demo import DEMO_USERS

    assert {u.username for u in DEMO_USERS} == OPENS | NOT_FOUND | REFUSED


@pytest.mark.parametrize("username", sorted(OPENS | NOT_FOUND | REFUSED))
def test_who_may_open_the_referral_page(world: dict[str, Any], username: str) -> None:
    referral = refer(world["officer"], world["person"])
    before = _denials(referral)
    response = demo_sign_in(username).get(reverse("referrals:detail", args=[referral.pk]))
    if username in OPENS:
        assert response.status_code == 200
        assert referral.reference in response.content.decode()
        assert AuditEvent.objects.filter(
            action="read", object_id=str(referral.pk), person_id=str(world["person"].pk)
        ).exists()
    elif username in NOT_FOUND:
        assert response.status_code == 404
        assert referral.reference not in response.content.decode()
        assert _denials(referral) == before + 1
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("username", sorted(OPENS | NOT_FOUND | REFUSED))
def test_who_may_open_the_referral_through_the_api(world: dict[str, Any], username: str) -> None:
    referral = refer(world["officer"], world["person"])
    before = _denials(referral)
    client = demo_sign_in(username)
    response = client.get(reverse("api-referral-detail", args=[referral.pk]))
    listed = client.get(reverse("api-referral-list"))
    if username in OPENS:
        assert response.status_code == 200
        assert response.json()["reference"] == referral.reference
        assert referral.reference in listed.content.decode()
    elif username in NOT_FOUND:
        assert response.status_code == 404
        assert world["person"].family_name not in response.content.decode()
        assert _denials(referral) == before + 1
        assert referral.reference not in listed.content.decode()
    else:
        assert response.status_code == 403
        assert listed.status_code == 403


@pytest.mark.parametrize("username", sorted(NOT_FOUND | {"officer", "custody.sergeant"}))
def test_nobody_but_the_provider_can_accept_it(world: dict[str, Any], username: str) -> None:
    referral = refer(world["officer"], world["person"])
    client = demo_sign_in(username)
    page = client.post(reverse("referrals:accept", args=[referral.pk]), {"version": 1})
    api = client.post(
        reverse("api-referral-transition", args=[referral.pk]),
        {"to_status": "accepted", "version": 1},
        content_type="application/json",
    )
    assert page.status_code in (403, 404)
    assert api.status_code in (400, 403, 404)
    referral.refresh_from_db()
    assert referral.status == "requested"


def test_the_inbox_of_another_provider_does_not_list_it(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    for username in ("powys.caseworker", "navigator"):
        page = demo_sign_in(username).get(reverse("referrals:inbox"))
        assert page.status_code == 200
        assert referral.reference not in page.content.decode()
        assert world["person"].family_name not in page.content.decode()
