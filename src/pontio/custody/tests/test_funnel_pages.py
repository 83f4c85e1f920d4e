"""The funnel page, its CSV and the records behind a step, through the browser's eyes: an
inspector sees exact counts with links, the OPCC analyst suppressed counts and no link."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.custody.models import CustodySuite
from pontio.custody.tests import funnel_data
from pontio.custody.tests.helpers import make_person
from pontio.referrals.tests.helpers import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(world: dict[str, Any]) -> list[funnel_data.Fact]:
    person = make_person()
    template = refer(world["officer"], person, pathway="custody")
    return funnel_data.build(300, person=person, actor=world["custody.sergeant"], template=template)


def _period() -> dict[str, str]:
    today = timezone.localdate()
    return {
        "date_from": (today - dt.timedelta(days=300)).isoformat(),
        "date_to": today.isoformat(),
    }


def _cell(html: str, key: str) -> str:
    match = re.search(rf'id="step-{key}".*?<td[^>]*>(.*?)</td>', html, re.S)
    assert match, key
    return match.group(1)


def test_the_inspector_sees_exact_counts_with_links(
    generated: list[funnel_data.Fact], world: dict[str, Any]
) -> None:
    client = demo_sign_in("inspector")  # Ceredigion: the Aberystwyth suite
    response = client.get(reverse("custody:funnel"), _period())
    assert response.status_code == 200
    html = response.content.decode()
    cered = CustodySuite.objects.get(code="ABERYSTWYTH").county_id
    today = timezone.localdate()
    expected = funnel_data.hand_count(
        generated, today - dt.timedelta(days=300), today, county_id=cered
    )
    arrests = _cell(html, "arrests")
    assert f">{expected['arrests']}<" in arrests
    assert reverse("custody:funnel-records") in arrests
    assert "fewer than" not in html
    # The link opens the records behind the step, those of Ceredigion.
    link = re.search(r'href="([^"]*step=positive[^"]*)"', html)
    assert link
    page = client.get(link.group(1).replace("&amp;", "&"))
    assert page.status_code == 200
    text = page.content.decode()
    # The demo inspector reads Pontio in Welsh (their profile).
    with translation.override("cy"):
        counted = translation.ngettext(
            "%(counter)s custody record", "%(counter)s custody records", expected["positive"]
        ) % {"counter": expected["positive"]}
    assert counted in text
    assert "GEN/12/" in text
    # The navigation item.
    assert "Custody funnel" in html


def test_the_analyst_sees_suppressed_counts_and_no_record_link(
    generated: list[funnel_data.Fact], world: dict[str, Any]
) -> None:
    client = demo_sign_in("analyst")
    suite = CustodySuite.objects.get(code="BRECON")
    response = client.get(reverse("custody:funnel"), {**_period(), "suite": suite.code})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("custody:funnel-records") not in html
    assert "GEN/12/" not in html
    today = timezone.localdate()
    expected = funnel_data.hand_count(
        generated, today - dt.timedelta(days=300), today, suite_code="BRECON"
    )
    small = [k for k, v in expected.items() if 0 < v < 5]
    assert small, expected  # 300 records over six suites: some steps are small
    for key in small:
        if key in ("refused", "authorised"):
            continue
        assert "fewer than 5" in _cell(html, key), key
    # The records behind a step are refused to aggregate-only roles.
    assert client.get(reverse("custody:funnel-records"), {"step": "arrests"}).status_code == 403
    # The CSV: the same suppressed table, audited.
    before = AuditEvent.objects.filter(action="export").count()
    export = client.get(reverse("custody:funnel-export"), {**_period(), "suite": suite.code})
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert any("fewer than 5" in row for row in rows)
    assert not any("GEN/12/" in cell for row in rows for cell in row)
    assert AuditEvent.objects.filter(action="export").count() == before + 1


def test_people_without_the_funnel_are_refused(world: dict[str, Any]) -> None:
    for username in ("custody.officer", "caseworker", "officer"):
        client = demo_sign_in(username)
        assert client.get(reverse("custody:funnel")).status_code == 403, username
        assert client.get(reverse("custody:funnel-export")).status_code == 403, username


def test_a_bad_filter_is_refused_on_its_field(world: dict[str, Any]) -> None:
    client = demo_sign_in("custody.sergeant")
    response = client.get(
        reverse("custody:funnel"),
        {"date_from": "2026-03-01", "date_to": "2026-01-01", "suite": "NOWHERE"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The last day must be the same as or after the first" in html
