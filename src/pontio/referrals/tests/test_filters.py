"""The one filter of referral lists (``filters.ReferralFilterSet``): on its own, and through
the inbox page, its export and the API list, which must all filter, sort and refuse alike."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.referrals.filters import ReferralFilterSet
from pontio.referrals.models import Referral, Status
from pontio.referrals.tests.helpers import CARMS, CERED, accepted, refer

pytestmark = pytest.mark.django_db


def _overdue(referral: Referral, days: int) -> None:
    today = timezone.localdate()
    Referral.objects.filter(pk=referral.pk).update(
        sent_on=today - dt.timedelta(days=days),
        sent_at=timezone.now() - dt.timedelta(days=days),
        first_contact_due=today - dt.timedelta(days=days - 2),
    )


def _filtered(data: dict[str, str]) -> ReferralFilterSet:
    return ReferralFilterSet(data, queryset=Referral.objects.all())


# --- the FilterSet on its own ---------------------------------------------------------------


def test_no_filters_lists_every_referral_what_breaches_first(world: dict[str, Any]) -> None:
    first = refer(world["officer"], world["person"])
    second = refer(world["officer"], world["person"])
    late = refer(world["officer"], world["person"])
    _overdue(late, 10)  # its first contact is overdue: it comes first
    filters = ReferralFilterSet(None, queryset=Referral.objects.all())
    assert filters.is_valid()
    assert list(filters.qs) == [late, first, second]
    assert filters.chosen() == {"sort": "due", "order": "asc"}
    assert filters.describe() == "filters: none"


def test_each_filter_narrows_the_rows(world: dict[str, Any]) -> None:
    voluntary = refer(world["officer"], world["person"])
    custody = accepted(world["officer"], world["caseworker"], world["person"], pathway="custody")
    late = refer(world["officer"], world["person"])
    _overdue(late, 10)
    assert list(_filtered({"pathway": "custody"}).qs) == [custody]
    assert list(_filtered({"status": "accepted"}).qs) == [custody]
    assert set(_filtered({"county": CARMS}).qs) == {voluntary, custody, late}
    assert list(_filtered({"county": CERED}).qs) == []
    assert list(_filtered({"breach": "first_contact"}).qs) == [late]
    assert list(_filtered({"breach": "any"}).qs) == [late]
    assert list(_filtered({"breach": "treatment"}).qs) == []
    described = _filtered({"status": "accepted", "pathway": "custody", "sort": "due"}).describe()
    assert described == "filters: status=accepted, pathway=custody"


def test_sort_and_order(world: dict[str, Any]) -> None:
    first = refer(world["officer"], world["person"])
    second = refer(world["officer"], world["person"])
    _overdue(second, 20)  # sent earlier, due earlier
    assert list(_filtered({"sort": "sent", "order": "asc"}).qs) == [second, first]
    assert list(_filtered({"sort": "due", "order": "asc"}).qs) == [second, first]
    assert list(_filtered({"sort": "due", "order": "desc"}).qs) == [first, second]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("status", "lost", "Choose a referral status"),
        ("county", "W99999999", "Choose a county of the force area"),
        ("pathway", "telepathy", "Choose a police contact"),
        ("breach", "everything", "Choose any timer or one of the timers"),
        ("sort", "name", "Choose how to sort"),
        ("order", "sideways", "Choose the order"),
    ],
)
def test_a_value_not_in_the_choices_is_refused_by_name(
    world: dict[str, Any], name: str, value: str, message: str
) -> None:
    filters = _filtered({name: value})
    assert not filters.is_valid()
    assert filters.errors == {name: [message]}


def test_an_invalid_filter_is_left_out_and_the_others_still_apply(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    custody = refer(world["officer"], world["person"], pathway="custody")
    filters = _filtered({"status": "lost", "pathway": "custody"})
    assert not filters.is_valid()
    assert list(filters.qs) == [custody]
    assert filters.chosen() == {"pathway": "custody", "sort": "due", "order": "asc"}


def test_the_counts_leave_out_the_status_filter_only(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    accepted(world["officer"], world["caseworker"], world["person"])
    accepted(world["officer"], world["caseworker"], world["person"], pathway="custody")
    filters = _filtered({"status": "accepted", "pathway": "voluntary"})
    others = filters.without({"status"})
    assert sorted(others.values_list("status", flat=True)) == ["accepted", "requested"]
    assert filters.qs.count() == 1


# --- the same filter through the page, the export and the API ---------------------------------


def _page_refs(client: Any, query: dict[str, str]) -> list[str]:
    response = client.get(reverse("referrals:inbox"), query)
    return [r.reference for r in response.context["page"]]


def _api_refs(client: Any, query: dict[str, str]) -> list[str]:
    response = client.get(reverse("api-referral-list"), query)
    assert response.status_code == 200, response.json()
    return [row["reference"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": "accepted"},
        {"pathway": "custody"},
        {"breach": "any"},
        {"county": CARMS, "sort": "due", "order": "asc"},
        {"sort": "status", "order": "asc"},
    ],
)
def test_the_page_the_export_and_the_api_list_the_same_referrals(
    world: dict[str, Any], query: dict[str, str]
) -> None:
    refer(world["officer"], world["person"])
    accepted(world["officer"], world["caseworker"], world["person"], pathway="custody")
    late = refer(world["officer"], world["person"])
    _overdue(late, 12)
    client = demo_sign_in("provider.manager")
    page = _page_refs(client, query)
    assert page == _api_refs(client, query)
    exported = csv.reader(
        io.StringIO(client.get(reverse("referrals:export-csv"), query).content.decode())
    )
    assert [row[0] for row in list(exported)[1:]] == page


def test_a_wrong_value_is_refused_with_the_same_message_on_the_page_and_the_api(
    world: dict[str, Any],
) -> None:
    refer(world["officer"], world["person"])
    client = demo_sign_in("caseworker")
    page = client.get(reverse("referrals:inbox"), {"county": "W99999999"})
    assert page.status_code == 200
    assert page.context["form"].errors == {"county": ["Choose a county of the force area"]}
    assert "Choose a county of the force area" in page.content.decode()
    api = client.get(reverse("api-referral-list"), {"county": "W99999999"})
    assert api.status_code == 400
    assert api.json() == {"county": ["Choose a county of the force area"]}


def test_the_welsh_page_explains_a_wrong_value_in_welsh(world: dict[str, Any]) -> None:
    from django.utils import translation

    page = demo_sign_in("custody.officer").get(reverse("referrals:inbox"), {"status": "lost"})
    assert page.status_code == 200
    with translation.override("cy"):
        expected = translation.gettext("Choose a referral status")
    assert page.context["form"].errors == {"status": [expected]}


def test_the_status_tabs_count_over_the_other_filters(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    accepted(world["officer"], world["caseworker"], world["person"])
    accepted(world["officer"], world["caseworker"], world["person"], pathway="custody")
    client = demo_sign_in("provider.manager")
    response = client.get(
        reverse("referrals:inbox"), {"status": "accepted", "pathway": "voluntary"}
    )
    tabs = {tab["label"]: tab["count"] for tab in response.context["statuses"]}
    assert tabs["All"] == 2
    assert tabs[Status.ACCEPTED.label] == 1 and tabs[Status.REQUESTED.label] == 1
    assert len(response.context["page"]) == 1
