"""Referrals on the home page and in the navigation: the panels' words agree with their
counts, the provider's panel lists the work waiting, and the figures have a link."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.core.working_days import add_working_days
from pontio.referrals import selectors
from pontio.referrals.dashboard import police_panel, provider_panel
from pontio.referrals.models import Referral, Status
from pontio.referrals.tests.helpers import accepted, move, refer

pytestmark = pytest.mark.django_db
HOME = "/"


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _items(panel: dict[str, Any]) -> dict[str, Any]:
    return {item["label"]: item for item in panel["items"]}


# --- plural forms ---------------------------------------------------------------------------


def test_one_alert_is_one_unread_alert(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    move(world["caseworker"], referral, Status.REJECTED, code="REJ_OUT_OF_AREA")
    labels = _items(police_panel(world["officer"]))
    assert labels["unread alert about your referrals"]["count"] == 1
    assert "unread alerts about your referrals" not in labels
    page = _text(demo_sign_in("officer").get(HOME))
    assert "unread alert about your referrals" in page
    assert "1</span>" in page and "unread alerts" not in page


def test_two_open_referrals_are_counted_in_the_plural(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    refer(world["officer"], world["person"])
    labels = _items(police_panel(world["officer"]))
    assert labels["open referrals you made"]["count"] == 2
    assert labels["unread alerts about your referrals"]["count"] == 0


def test_the_people_panel_words_one_flag_in_the_singular(world: dict[str, Any]) -> None:
    from pontio.people.models import Flag

    Flag.objects.create(
        person=world["person"],
        kind=Flag.Kind.SAFEGUARDING,
        reason="Two children under 5 at home.",
        raised_at=timezone.now(),
    )
    page = _text(demo_sign_in("officer").get(HOME))
    assert "open safeguarding flag in your area" in page
    assert "open safeguarding flags in your area" not in page
    assert "open risk-to-staff flags in your area" in page  # none: the plural


# --- the provider's panel --------------------------------------------------------------------


def _due_soon(referral: Referral) -> None:
    """First contact due on the next working day, not yet made."""
    Referral.objects.filter(pk=referral.pk).update(
        first_contact_due=add_working_days(timezone.localdate(), 1)
    )


def _overdue(referral: Referral) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        first_contact_due=timezone.localdate() - dt.timedelta(days=5)
    )


def test_the_caseworker_home_lists_the_work_waiting(world: dict[str, Any]) -> None:
    officer, caseworker = world["officer"], world["caseworker"]
    new = [refer(officer, world["person"]) for _ in range(2)]
    mine = accepted(officer, caseworker, world["person"])  # accepted: allocated to her
    _due_soon(mine)
    late = refer(officer, world["person"])
    _overdue(late)  # overdue already: not "breaching soon"
    panel = provider_panel(caseworker)
    assert panel is not None
    labels = _items(panel)
    assert labels["new referrals to open"]["count"] == 3  # the two new ones and the late one
    assert labels["referrals waiting for a first contact attempt"]["count"] == 4
    assert labels["referral due by the next working day"]["count"] == 1
    assert labels["open referral allocated to you"]["count"] == 1
    page = _text(demo_sign_in("caseworker").get(HOME))
    assert "Referrals to your organisation" in page
    assert "Nothing is waiting for you" not in page
    for referral in new:
        assert Referral.objects.get(pk=referral.pk).status == Status.REQUESTED


@pytest.mark.parametrize(
    "query",
    [
        {"status": "requested"},
        {"awaiting": "first_contact"},
        {"breach": "soon"},
        {"allocated": "me", "state": "open"},
    ],
)
def test_each_provider_item_links_to_exactly_the_rows_it_counts(
    world: dict[str, Any], query: dict[str, str]
) -> None:
    officer, caseworker = world["officer"], world["caseworker"]
    refer(officer, world["person"])
    mine = accepted(officer, caseworker, world["person"])
    _due_soon(mine)
    closed = accepted(officer, caseworker, world["person"])
    move(caseworker, closed, Status.FAILED, code="CLO_CLIENT_DECLINED")
    client = demo_sign_in("caseworker")
    panel = provider_panel(caseworker)
    assert panel is not None
    item = next(i for i in panel["items"] if all(f"{k}={v}" in i["url"] for k, v in query.items()))
    rows = client.get(reverse("referrals:inbox"), query).context["page"].paginator.count
    assert rows == item["count"] == selectors.inbox_count(caseworker, query)


def test_the_police_have_no_provider_panel_and_providers_no_police_panel(
    world: dict[str, Any],
) -> None:
    refer(world["officer"], world["person"])
    officer = _text(demo_sign_in("officer").get(HOME))
    assert "new referral" not in officer
    caseworker = _text(demo_sign_in("caseworker").get(HOME))
    assert "open referrals you made" not in caseworker


# --- the figures in the navigation ------------------------------------------------------------


def _nav(page: str) -> list[tuple[str, bool]]:
    """(label, current) of each service navigation link."""
    found = []
    for item in re.findall(
        r'<li class="govuk-service-navigation__item([^"]*)">\s*(.*?)</li>', page, re.S
    ):
        classes, inner = item
        label = re.sub(r"<[^>]+>", "", inner).strip()
        found.append((label, "--active" in classes))
    return found


def test_the_analyst_has_a_link_to_the_figures_current_only_there(world: dict[str, Any]) -> None:
    client = demo_sign_in("analyst")
    home = dict(_nav(_text(client.get(HOME))))
    assert home.get("Referral figures") is False
    figures = dict(_nav(_text(client.get(reverse("referrals:metrics")))))
    assert figures["Referral figures"] is True
    totals = _text(demo_sign_in("provider.manager").get(reverse("referrals:metrics-totals")))
    assert dict(_nav(totals))["Referral figures"] is True


def test_on_the_inbox_referrals_is_current_and_the_figures_are_not(world: dict[str, Any]) -> None:
    nav = dict(_nav(_text(demo_sign_in("provider.manager").get(reverse("referrals:inbox")))))
    assert nav["Referrals"] is True and nav["Referral figures"] is False
    on_figures = _text(demo_sign_in("provider.manager").get(reverse("referrals:metrics")))
    assert dict(_nav(on_figures))["Referrals"] is False


def test_who_may_not_see_the_figures_has_no_link(world: dict[str, Any]) -> None:
    for username in ("officer", "caseworker"):
        nav = dict(_nav(_text(demo_sign_in(username).get(HOME))))
        assert "Referral figures" not in nav, username


def test_with_nothing_waiting_the_provider_panel_steps_aside(world: dict[str, Any]) -> None:
    assert provider_panel(world["caseworker"]) is None
    refer(world["officer"], world["person"])
    panel = provider_panel(world["caseworker"])
    assert panel is not None and panel["title"] == "Referrals to your organisation"
