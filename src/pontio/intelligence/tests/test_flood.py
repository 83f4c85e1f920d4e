"""The flood: 1,000 submissions from one address, with others' interleaved."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from pontio.intelligence import protection
from pontio.intelligence.models import IntelligenceReport, ReportOriginal
from pontio.intelligence.tests.helpers import public_data

pytestmark = pytest.mark.django_db

FLOODER = "192.0.2.66"


def test_a_flood_from_one_address_is_limited_and_no_legitimate_report_is_lost() -> None:
    client = Client()
    limit = protection.submission_limit().count
    flood_statuses: list[int] = []
    legitimate: list[str] = []
    for i in range(1000):
        response = client.post(
            "/intelligence/report/",
            urlencode(public_data(what=f"Flood {i}")),
            content_type="application/x-www-form-urlencoded",
            REMOTE_ADDR=FLOODER,
        )
        flood_statuses.append(response.status_code)
        if i % 25 == 0:  # 40 members of the public, each from their own address
            text = f"Legitimate report number {i}"
            other = client.post(
                "/intelligence/report/",
                urlencode(public_data(what=text)),
                content_type="application/x-www-form-urlencoded",
                REMOTE_ADDR=f"198.51.100.{i // 25 + 1}",
            )
            assert other.status_code == 200, i
            legitimate.append(text)

    assert flood_statuses[:limit] == [200] * limit
    assert set(flood_statuses[limit:]) == {429}
    stored = set(ReportOriginal.objects.values_list("text", flat=True))
    assert set(legitimate) <= stored
    assert len([t for t in stored if t.startswith("Flood")]) == limit
    assert IntelligenceReport.objects.count() == limit + len(legitimate)
