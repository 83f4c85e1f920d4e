"""The facts page and the commissioning pages: who may see them, form errors (in English
and Welsh), and that reading the facts writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.accounts.models import Organisation
from pontio.audit.models import AuditEvent
from pontio.oversight.demo_facts import seed_facts
from pontio.oversight.models import CommissioningAward, ProviderReturn

FY2018 = {"start_0": "1", "start_1": "4", "start_2": "2018", "end_0": "31", "end_1": "3"}
FY2018["end_2"] = "2019"
OPCC = "Office of the Police and Crime Commissioner for Dyfed-Powys"


def client_for(username: str, language: str = "en") -> Any:
    client = demo_sign_in(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("username", ["analyst", "inspector"])
def test_the_facts_page_is_shown_to_the_analyst_and_inspectors(
    demo_users: dict[str, Any], username: str
) -> None:
    seed_facts(today=dt.date(2026, 12, 3))
    page = client_for(username).get(reverse("oversight:facts"), FY2018)
    assert page.status_code == 200
    body = page.content.decode()
    for key in ("drug_deaths", "trafficking", "investment", "police_share", "operations"):
        assert f'id="fact-{key}"' in body
    assert "+110%" in body  # 2005 to 2018, Wales
    assert "data-label=" in body and "<svg" in body
    if username == "analyst":
        assert "£435,000" in body and "82.0%" in body
    else:  # inspectors do not see the commissioning records or the returns
        assert "Commissioning records are not open to your role." in body


@pytest.mark.parametrize("username", ["provider.manager", "officer", "panel"])
def test_the_facts_page_is_refused_to_other_roles(
    demo_users: dict[str, Any], username: str
) -> None:
    assert client_for(username).get(reverse("oversight:facts")).status_code == 403


def test_the_default_period_is_the_last_financial_year(demo_users: dict[str, Any]) -> None:
    page = client_for("analyst").get(reverse("oversight:facts"))
    assert page.status_code == 200
    today = timezone.localdate()
    first = today.year - 1 if today.month >= 4 else today.year - 2
    assert f"From 1 April {first} to 31 March {first + 1}" in page.content.decode()


def test_bad_dates_give_the_error_summary(demo_users: dict[str, Any]) -> None:
    client = client_for("analyst")
    url = reverse("oversight:facts")
    page = client.get(url, {"start_0": "31", "start_1": "2", "start_2": "2019", "end_0": "1"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "There is a problem" in body
    assert "The date must be a real date" in body
    assert "The date must include a day, month and year" in body
    assert 'id="fact-' not in body
    backwards = {**FY2018, "end_2": "2017"}
    body = client.get(url, backwards).content.decode()
    assert "The end date must be the same as or after the start date" in body
    body = client.get(url, {**FY2018, "end_2": "2099"}).content.decode()
    assert "The date must be on or before 31 December" in body


def test_the_error_summary_in_welsh(demo_users: dict[str, Any]) -> None:
    client = client_for("analyst", "cy")
    page = client.get(
        reverse("oversight:facts"), {"start_0": "31", "start_1": "2", "start_2": "2019"}
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "Mae problem" in body
    assert "Rhaid i'r dyddiad fod yn ddyddiad go iawn" in body or "dyddiad go iawn" in body


def test_the_facts_page_in_welsh(demo_users: dict[str, Any]) -> None:
    seed_facts(today=dt.date(2026, 12, 3))
    page = client_for("analyst", "cy").get(reverse("oversight:facts"), FY2018)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'lang="cy"' in body or "cy" in page.get("Content-Language", "")
    assert "+110%" in body and "£435,000" in body


def test_reading_the_facts_writes_nothing(demo_users: dict[str, Any]) -> None:
    seed_facts(today=dt.date(2026, 12, 3))
    client = client_for("analyst")
    before = (AuditEvent.objects.count(), CommissioningAward.objects.count())
    assert client.get(reverse("oversight:facts"), FY2018).status_code == 200
    assert client.get(reverse("oversight:facts")).status_code == 200
    assert (AuditEvent.objects.count(), CommissioningAward.objects.count()) == before


# --- commissioning pages ------------------------------------------------------------------


def award_post(**changes: Any) -> dict[str, Any]:
    provider = Organisation.objects.get(name="Kaleidoscope Powys")
    data = {
        "reference": "OPCC-TEST-1",
        "kind": "grant",
        "title_en": "Treatment in Powys",
        "title_cy": "Triniaeth ym Mhowys",
        "provider": str(provider.pk),
        "purpose": "treatment",
        "value": "85000",
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2026",
        "ends_on_0": "31",
        "ends_on_1": "3",
        "ends_on_2": "2027",
        "county": "",
    }
    data.update(changes)
    return data


def test_the_analyst_lists_and_adds_an_award(demo_users: dict[str, Any]) -> None:
    seed_facts(today=dt.date(2026, 12, 3))
    client = client_for("analyst")
    page = client.get(reverse("oversight:award-list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "2018-19" in body and "£325,000" in body and "£110,000" in body
    assert client.get(reverse("oversight:award-create")).status_code == 200
    response = client.post(reverse("oversight:award-create"), award_post())
    assert response.status_code == 302
    award = CommissioningAward.objects.get(reference="OPCC-TEST-1")
    assert award.value == Decimal("85000") and award.funder.name == OPCC
    assert AuditEvent.objects.filter(action="create", object_id=str(award.pk)).exists()


def test_an_award_ending_before_it_starts_is_refused(demo_users: dict[str, Any]) -> None:
    client = client_for("analyst")
    response = client.post(reverse("oversight:award-create"), award_post(ends_on_2="2025"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The end date must be the same as or after the start date" in body
    assert not CommissioningAward.objects.filter(reference="OPCC-TEST-1").exists()


def test_editing_an_award_from_a_stale_copy_is_refused(demo_users: dict[str, Any]) -> None:
    client = client_for("analyst")
    client.post(reverse("oversight:award-create"), award_post())
    award = CommissioningAward.objects.get(reference="OPCC-TEST-1")
    url = reverse("oversight:award-edit", args=[award.pk])
    assert client.get(url).status_code == 200
    saved = client.post(url, award_post(value="90000", version=str(award.version)))
    assert saved.status_code == 302
    award.refresh_from_db()
    assert award.value == Decimal("90000") and award.version == 2
    stale = client.post(url, award_post(value="1", version="1"))
    assert stale.status_code == 400
    assert "Someone else changed this record" in stale.content.decode()
    award.refresh_from_db()
    assert award.value == Decimal("90000")
    assert AuditEvent.objects.filter(action="update", object_id=str(award.pk)).count() == 1


@pytest.mark.parametrize("username", ["inspector", "provider.manager"])
def test_awards_are_for_the_analyst_only(demo_users: dict[str, Any], username: str) -> None:
    client = client_for(username)
    assert client.get(reverse("oversight:award-list")).status_code == 403
    assert client.post(reverse("oversight:award-create"), award_post()).status_code == 403


def return_post(**changes: Any) -> dict[str, Any]:
    data = {
        "quarter_start_0": "1",
        "quarter_start_1": "4",
        "quarter_start_2": "2025",
        "in_treatment": "400",
        "reviewed": "180",
        "reduced_use": "150",
        "completed": "40",
    }
    data.update(changes)
    return data


def test_a_provider_manager_enters_a_return_and_the_analyst_reads_it(
    demo_users: dict[str, Any],
) -> None:
    manager = client_for("provider.manager")
    assert manager.get(reverse("oversight:return-create")).status_code == 200
    assert manager.post(reverse("oversight:return-create"), return_post()).status_code == 302
    saved = ProviderReturn.objects.get(quarter_start=dt.date(2025, 4, 1))
    assert saved.provider == demo_users["provider.manager"].organisation
    assert (saved.reviewed, saved.reduced_use) == (180, 150)
    listing = client_for("analyst").get(reverse("oversight:return-list"))
    assert listing.status_code == 200
    assert "2025-26 Q1" in listing.content.decode()
    assert client_for("analyst").get(reverse("oversight:return-create")).status_code == 403
    assert client_for("inspector").get(reverse("oversight:return-list")).status_code == 403


def test_a_return_with_more_reduced_than_reviewed_is_refused(
    demo_users: dict[str, Any],
) -> None:
    manager = client_for("provider.manager")
    response = manager.post(reverse("oversight:return-create"), return_post(reduced_use="181"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "must not be more than the people reviewed" in body
    assert not ProviderReturn.objects.exists()
