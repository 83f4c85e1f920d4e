"""An auditor searches the audit log, reads an entry, verifies the chain and exports CSV."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import follow, sign_in

pytestmark = pytest.mark.e2e


def test_auditor_journey(page: Page, demo_users: Any, check_page: Any) -> None:
    from pontio.accounts.models import User
    from pontio.audit.chain import PUBLISHED_FIELDS

    auditor = User.objects.get(username="auditor")
    sign_in(page, "auditor")

    # The audit log, from the service navigation.
    follow(page, page.locator("a.govuk-service-navigation__link", has_text="Audit log"))
    assert urlsplit(page.url).path == "/audit/"
    expect(page.locator("h1")).to_have_text("Audit log")
    check_page()

    # Filter by action: only sign-ins are listed (there is at least the auditor's own).
    page.get_by_label("Action").select_option(label="Signed in")
    follow(page, page.get_by_role("button", name="Search"))
    assert parse_qs(urlsplit(page.url).query).get("action") == ["sign_in"]
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows.first).to_contain_text("Signed in")
    actions = page.locator("table.govuk-table tbody tr td:nth-child(4)").all_inner_texts()
    assert actions and set(actions) == {"Signed in"}, actions
    # Users are named (the log itself holds their ids only).
    users = page.locator("table.govuk-table tbody tr td:nth-child(3)").all_inner_texts()
    assert f"{auditor.get_full_name()} (auditor)" in users
    expect(page.get_by_label("Action")).to_have_value("sign_in")
    check_page()

    # Open an entry.
    first = rows.first.locator("td").first.get_by_role("link")
    sequence = first.inner_text()
    follow(page, first)
    assert urlsplit(page.url).path == f"/audit/events/{sequence}/"
    expect(page.locator("h1")).to_contain_text(sequence)
    details = page.locator("dl.govuk-summary-list")
    expect(details).to_contain_text("Signed in")
    expect(details.locator(".pontio-hash").first).to_have_text(re.compile(r"^\s*[0-9a-f]{64}\s*$"))
    check_page()

    # Verify the chain (tasks run at once in tests).
    page.goto("/audit/")
    follow(page, page.get_by_role("link", name="Verify the log"))
    assert urlsplit(page.url).path == "/audit/verify/"
    check_page()
    follow(page, page.get_by_role("button", name="Verify now"))
    assert urlsplit(page.url).path == "/audit/verify/"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Verification has started"
    )
    page.reload()
    results = page.locator("table.govuk-table tbody")
    expect(results.locator(".govuk-tag--green")).to_have_text("Intact")
    expect(results.locator(".govuk-tag--red")).to_have_count(0)
    check_page()

    # Export the log as CSV.
    page.goto("/audit/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export these entries (CSV)").click()
    download = download_info.value
    assert re.fullmatch(r"pontio-audit-\d{8}-\d{4}\.csv", download.suggested_filename)
    text = download.path().read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(text)))
    assert tuple(table[0]) == PUBLISHED_FIELDS
    assert len(table) > 1
    sequences = [int(row[0]) for row in table[1:]]
    assert sequences == sorted(sequences)
    assert all(len(row) == len(PUBLISHED_FIELDS) for row in table)
    # Exporting is itself audited.
    from pontio.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", actor_id=auditor.pk).exists()
    check_page(axe=False)
