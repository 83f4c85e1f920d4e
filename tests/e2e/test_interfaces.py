"""The administrator's side of the partner interfaces (issue 19): issuing a partner token
that a provider's system then uses, adding a webhook subscription, and reading the
messages recorded for the people referred; English, Welsh and a phone's width."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .conftest import follow, sign_in

pytestmark = pytest.mark.e2e

PROVIDER = "Dyfed Drug and Alcohol Service"


def _call(base: str, path: str, token: str) -> tuple[int, dict[str, Any]]:
    # The live test server only (http://localhost:<port>).
    request = urllib.request.Request(  # noqa: S310
        base + path, headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_admin_issues_a_token_the_providers_system_uses_then_revokes_it(
    page: Page, live_server: Any, demo_users: Any, check_page: Any
) -> None:
    sign_in(page, "admin")
    follow(page, page.locator("a.govuk-service-navigation__link", has_text="API tokens"))
    assert urlsplit(page.url).path == "/tokens/"
    follow(page, page.get_by_role("button", name="Issue a token"))
    check_page()

    # Nothing chosen: every mistake is named, and nothing is issued.
    follow(page, page.get_by_role("button", name="Issue the token"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the organisation the token is for")
    expect(summary).to_contain_text("Enter a name for the token")
    check_page()

    expires = timezone.localdate() + dt.timedelta(days=90)
    page.get_by_label("Organisation").select_option(label=PROVIDER)
    page.get_by_label("Name").fill("DDAS case system")
    page.get_by_label("Provider caseworker").check()
    # The form offers the REST API; this system needs the FHIR interface only.
    page.get_by_label("REST API (/api/v1/)").uncheck()
    page.get_by_label("FHIR interface (/fhir/R4/)").check()
    page.get_by_label("Day").fill(str(expires.day))
    page.get_by_label("Month").fill(str(expires.month))
    page.get_by_label("Year").fill(str(expires.year))
    follow(page, page.get_by_role("button", name="Issue the token"))
    expect(page.locator(".govuk-panel__title")).to_have_text("Token issued")
    token = page.locator("#issued-token").input_value().strip()
    assert token.startswith("pontio_")
    check_page()

    # The provider's system calls the FHIR interface with it (and only that part).
    status, bundle = _call(live_server.url, "/fhir/R4/Task?status=requested&_count=5", token)
    assert status == 200, bundle
    assert bundle["resourceType"] == "Bundle"
    status, refused = _call(live_server.url, "/api/v1/referrals/", token)
    assert (status, refused.get("code")) == (403, "token_scope"), refused

    # Shown once: the page opened again no longer holds it.
    page.reload()
    expect(page.locator("h1")).to_have_text("This token cannot be shown again")
    assert token not in page.content()

    follow(page, page.locator("a.govuk-service-navigation__link", has_text="API tokens"))
    row = page.locator("tr", has_text="DDAS case system")
    follow(page, row.get_by_role("link", name="Revoke"))
    check_page()
    follow(page, page.get_by_role("button", name="Revoke the token"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been revoked")
    status, refused = _call(live_server.url, "/api/v1/me/", token)
    assert (status, refused.get("code")) == (401, "token_revoked"), refused
    status, outcome = _call(live_server.url, "/fhir/R4/Task", token)
    assert (status, outcome["resourceType"]) == (401, "OperationOutcome")


@pytest.mark.parametrize("language", ["cy"])
def test_admin_adds_a_webhook_and_reads_the_outbox_in_welsh(
    page: Page, demo_users: Any, check_page: Any, language: str
) -> None:
    sign_in(page, "admin")
    page.goto(f"/language/{language}/?next=/webhooks/new/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    check_page()
    page.locator("#id_url").fill("https://cases.ddas.example/pontio/events")
    from pontio.accounts.models import Organisation

    ddas = Organisation.objects.get(name=PROVIDER)
    page.locator("#id_organisation").select_option(value=str(ddas.pk))
    page.locator("input[name=events]").first.check()
    follow(page, page.get_by_role("button", name="Ychwanegu\u2019r tanysgrifiad"))
    expect(page.locator(".govuk-panel__title")).to_be_visible()
    check_page()
    page.reload()
    assert "cases.ddas.example" in page.content()

    page.goto("/webhooks/deliveries/")
    expect(page.locator("h1")).not_to_have_text("Delivery log")
    check_page()
    page.goto("/reminders/outbox/")
    check_page()
    page.goto("/reminders/outbox/?show=staff")
    check_page()
