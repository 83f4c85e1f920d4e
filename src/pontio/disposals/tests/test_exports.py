"""CSV downloads of the disposals and contracts: supervisors only, scoped, filtered, audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.disposals.tests.test_api_lists import make_disposal


def _rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
def test_the_custody_sergeant_of_the_county_downloads_the_disposal_and_it_is_audited(world):
    disposal = make_disposal(world)
    response = demo_sign_in("custody.sergeant").get(reverse("disposals:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0][0] == "Reference"
    assert [r[0] for r in rows[1:]] == [disposal.reference]
    assert "Found with two wraps" not in response.content.decode()
    event = AuditEvent.objects.get(action="export", object_type="disposals.disposal")
    assert "rows: 1" in event.reason


@pytest.mark.django_db
def test_the_download_takes_the_lists_filters(world):
    make_disposal(world)
    response = demo_sign_in("custody.sergeant").get(
        reverse("disposals:export"), {"state": "completed"}
    )
    assert len(_rows(response)) == 1
    assert "state=completed" in AuditEvent.objects.get(action="export").reason


@pytest.mark.django_db
def test_a_wrong_filter_exports_nothing_and_says_which(world):
    make_disposal(world)
    response = demo_sign_in("custody.sergeant").get(
        reverse("disposals:export"), {"county": "nowhere"}
    )
    assert response.status_code == 400
    assert "county" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.django_db
def test_an_inspector_of_another_county_downloads_none_of_these_disposals(world):
    make_disposal(world)
    # The inspector's area is Ceredigion only.
    response = demo_sign_in("inspector").get(reverse("disposals:export"))
    assert response.status_code == 200
    assert len(_rows(response)) == 1


@pytest.mark.parametrize("username", ["navigator", "powys.officer", "analyst"])
@pytest.mark.django_db
def test_those_who_may_not_export_are_refused_the_download(world, username):
    make_disposal(world)
    client = demo_sign_in(username)
    assert client.get(reverse("disposals:export")).status_code == 403
    assert client.get(reverse("disposals:contracts-export")).status_code == 403


@pytest.mark.django_db
def test_the_contracts_download_has_its_header_and_is_audited(world):
    response = demo_sign_in("custody.sergeant").get(reverse("disposals:contracts-export"))
    assert response.status_code == 200
    assert _rows(response)[0][0] == "Reference"
    assert AuditEvent.objects.filter(
        action="export", object_type="disposals.diversioncontract"
    ).exists()
