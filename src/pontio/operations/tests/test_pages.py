"""The operations pages through the views: forms and their errors, denials by role, the
provider's home page without operational detail, concurrency, the partner evaluation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.operations.models import Evaluation, Operation, Phase
from pontio.operations.tests.helpers import (
    CARMS,
    DDAS,
    brief,
    county,
    fresh,
    in_enforcement,
    move,
    new_operation,
    organisation,
    ready_for_enforcement,
)

pytestmark = pytest.mark.django_db


def _date(prefix: str, day) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def test_the_lead_starts_an_operation(world):
    client = demo_sign_in("operations")
    response = client.post(
        reverse("operations:new"),
        {"code_name": "Heron", "objective": "", "counties": [county(CARMS).pk]},
    )
    assert response.status_code == 302
    operation = Operation.objects.get(code_name="Heron")
    assert response["Location"] == reverse("operations:detail", args=[operation.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Heron" in page.content.decode()


def test_a_new_operation_without_a_name_or_county_is_refused(world):
    client = demo_sign_in("operations")
    response = client.post(reverse("operations:new"), {"code_name": " ", "objective": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter the code name" in text and "Select at least one county" in text
    assert not Operation.objects.exists()


@pytest.mark.parametrize(
    "username", ["caseworker", "officer", "analyst", "intelligence", "provider.manager"]
)
def test_others_cannot_open_the_operations_pages(world, username):
    operation = new_operation(world["operations"])
    client = demo_sign_in(username)
    for url in (
        reverse("operations:list"),
        reverse("operations:detail", args=[operation.pk]),
        reverse("operations:forecast", args=[operation.pk]),
        reverse("operations:briefing", args=[operation.pk]),
    ):
        before = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
        response = client.get(url)
        assert response.status_code == 403, (username, url)
        assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() == before + 1
        assert "Kestrel" not in response.content.decode()


def test_a_lead_of_another_area_gets_not_found(world, make_user, sign_in):
    from pontio.accounts.roles import Role

    operation = new_operation(world["operations"], CARMS)
    client = sign_in(make_user(roles=[Role.OPERATIONS_LEAD], counties=["W06000023"]))
    assert client.get(reverse("operations:detail", args=[operation.pk])).status_code == 404
    assert "Kestrel" not in client.get(reverse("operations:list")).content.decode()


def test_the_briefing_form_records_and_refuses(world):
    operation = new_operation(world["operations"])
    client = demo_sign_in("operations")
    url = reverse("operations:briefing", args=[operation.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"recipient": "", "shared": "", "briefed_time": "25:99"})
    assert bad.status_code == 400
    text = bad.content.decode()
    for message in (
        "Select the organisation briefed",
        "Enter the name or post of the person briefed",
        "Enter a real time",
        "Enter what was shared",
    ):
        assert message in text
    assert not operation.briefings.exists()
    today = timezone.localdate()
    good = client.post(
        url,
        {
            "organisation": organisation(DDAS).pk,
            "recipient": "Head of Service",
            **_date("briefed_on", today),
            "briefed_time": "00:01",
            "level": "sensitive",
            "shared": "Demand expected in Llanelli in the enforcement week.",
        },
    )
    assert good.status_code == 302
    assert operation.briefings.count() == 1


def test_the_forecast_form_and_a_stale_page(world):
    lead = world["operations"]
    operation = new_operation(lead)
    client = demo_sign_in("operations")
    url = reverse("operations:forecast", args=[operation.pk])
    today = timezone.localdate()
    data = {
        "version": fresh(operation).version,
        "county": county(CARMS).pk,
        **_date("week_starting", today),
        "expected_referrals": "12",
        "expected_safeguarding": "3",
    }
    assert client.post(url, data).status_code == 302
    assert operation.forecast.get().expected_referrals == 12
    # The same page posted again: someone has changed the operation since.
    stale = client.post(url, {**data, "expected_referrals": "40"})
    assert stale.status_code == 400
    assert "Someone else changed this record" in stale.content.decode()
    assert operation.forecast.get().expected_referrals == 12
    bad = client.post(
        url, {**data, "version": fresh(operation).version, "expected_referrals": "-3"}
    )
    assert bad.status_code == 400
    assert "Enter a whole number, 0 or more" in bad.content.decode()


def test_enforcement_is_refused_on_the_page_until_ready(world):
    lead = world["operations"]
    operation = new_operation(lead)
    move(lead, operation, Phase.COVERT)
    client = demo_sign_in("operations")
    url = reverse("operations:move", args=[operation.pk])
    page = client.get(url)
    assert "Before enforcement starts" in page.content.decode()
    now = timezone.localtime()
    response = client.post(
        url,
        {
            "version": fresh(operation).version,
            **_date("started_on", now.date()),
            "started_time": now.strftime("%H:%M"),
        },
    )
    assert response.status_code == 400
    assert "Share the forecast" not in response.content.decode()  # no forecast yet
    assert "Record at least one partner briefing" in response.content.decode()
    assert fresh(operation).phase == Phase.COVERT


def test_the_provider_home_page_shows_the_forecast_without_operational_detail(world):
    lead = world["operations"]
    operation = ready_for_enforcement(lead, new_operation(lead, code_name="Kestrel"))
    page = demo_sign_in("caseworker").get(reverse("core:home")).content.decode()
    assert "Expected referrals from a police operation: Carmarthenshire, week of" in page
    assert "about 12" in page
    for detail in (
        operation.code_name,
        operation.reference,
        "county line",
        "Head of Service",
        "Llanelli",
        reverse("operations:detail", args=[operation.pk]),
    ):
        assert detail not in page, detail
    # The Powys caseworker's organisation serves no county of this forecast.
    assert "Expected referrals" not in demo_sign_in("powys.caseworker").get("/").content.decode()


def test_the_forecast_leaves_the_home_page_once_closed(world):
    lead = world["operations"]
    operation = move(lead, in_enforcement(lead), Phase.AFTERCARE)
    assert (
        "Expected referrals from a police operation"
        in demo_sign_in("caseworker").get("/").content.decode()
    )
    move(lead, operation, Phase.CLOSED)
    page = demo_sign_in("caseworker").get("/").content.decode()
    assert "Expected referrals from a police operation" not in page
    assert "Evaluate the police operation in Carmarthenshire" in page


def test_the_evaluation_is_answered_once_per_organisation(world):
    lead = world["operations"]
    operation = move(lead, move(lead, in_enforcement(lead), Phase.AFTERCARE), Phase.CLOSED)
    evaluation = Evaluation.objects.get(operation=operation, organisation__name=DDAS)
    url = reverse("operations:evaluation", args=[evaluation.pk])
    caseworker = demo_sign_in("caseworker")
    page = caseworker.get(url).content.decode()
    assert operation.code_name not in page and operation.reference not in page
    bad = caseworker.post(url, {"comment": "x"})
    assert bad.status_code == 400
    assert "Choose whether you were briefed in time" in bad.content.decode()
    good = caseworker.post(
        url,
        {
            "briefed_in_time": "yes",
            "enough_detail": "partly",
            "demand": "higher",
            "comment": "Busy week.",
        },
    )
    assert good.status_code == 302
    # The manager of the same organisation finds it answered.
    manager = demo_sign_in("provider.manager")
    assert "Your organisation answered on" in manager.get(url).content.decode()
    again = manager.post(url, {"briefed_in_time": "no", "enough_detail": "no", "demand": "lower"})
    assert again.status_code == 200
    assert Evaluation.objects.get(pk=evaluation.pk).briefed_in_time == "yes"
    # Another organisation cannot open it.
    assert demo_sign_in("powys.caseworker").get(url).status_code == 404
    # The results show on the operation page.
    detail = demo_sign_in("operations").get(reverse("operations:detail", args=[operation.pk]))
    assert "1 of 1 partner organisations have answered." in detail.content.decode()
    assert "Busy week." in detail.content.decode()


def test_the_lead_home_panel_counts_operations(world):
    new_operation(world["operations"])
    page = demo_sign_in("operations").get("/").content.decode()
    assert "operation in its planning phase" in page
    assert "forecast not yet shared with the providers" in page


def test_a_read_writes_nothing(world):
    operation = in_enforcement(world["operations"])
    brief(world["operations"], operation)
    client = demo_sign_in("operations")
    before = AuditEvent.objects.count()
    assert client.get(reverse("operations:detail", args=[operation.pk])).status_code == 200
    assert client.get(reverse("operations:referrals", args=[operation.pk])).status_code == 200
    assert client.get(reverse("operations:result", args=[operation.pk])).status_code == 200
    assert AuditEvent.objects.count() == before


def test_the_edit_page_saves_and_refuses_a_stale_copy(world):
    operation = new_operation(world["operations"])
    client = demo_sign_in("operations")
    url = reverse("operations:edit", args=[operation.pk])
    assert client.get(url).status_code == 200
    data = {
        "version": operation.version,
        "code_name": "Kestrel Two",
        "objective": "",
        "counties": [county(CARMS).pk, county("W06000009").pk],
    }
    assert client.post(url, data).status_code == 302
    changed = fresh(operation)
    assert changed.code_name == "Kestrel Two" and changed.counties.count() == 2
    stale = client.post(url, {**data, "code_name": "Kestrel Three"})
    assert stale.status_code == 400
    assert "Someone else changed this record" in stale.content.decode()
    assert fresh(operation).code_name == "Kestrel Two"


def test_a_seizure_with_a_bad_value_is_refused_on_the_page(world):
    operation = in_enforcement(world["operations"])
    client = demo_sign_in("operations")
    url = reverse("operations:seizure", args=[operation.pk])
    response = client.post(
        url,
        {
            "county": county(CARMS).pk,
            **_date("seized_on", timezone.localdate()),
            "drug": "cocaine",
            "quantity": "abc",
            "unit": "g",
            "street_value": "£12,50,0",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a quantity more than 0" in text and "like 12500 or 12,500.50" in text
    assert not operation.seizures.exists()
    good = client.post(
        url,
        {
            "county": county(CARMS).pk,
            **_date("seized_on", timezone.localdate()),
            "drug": "cocaine",
            "quantity": "1.5",
            "unit": "kg",
            "street_value": "£120,000.50",
        },
    )
    assert good.status_code == 302
    assert operation.seizures.get().street_value_pence == 12_000_050


def test_the_list_filters_by_phase_and_county(world):
    lead = world["operations"]
    new_operation(lead, CARMS, code_name="Alpha")
    move(lead, new_operation(lead, "W06000023", code_name="Bravo"), Phase.COVERT)
    client = demo_sign_in("operations")
    page = client.get(reverse("operations:list"), {"phase": "covert"}).content.decode()
    assert "Bravo" in page and "Alpha" not in page
    page = client.get(reverse("operations:list"), {"county": CARMS}).content.decode()
    assert "Alpha" in page and "Bravo" not in page
    bad = client.get(reverse("operations:list"), {"phase": "nonsense"})
    assert bad.status_code == 400
    assert "govuk-error-summary" in bad.content.decode()
