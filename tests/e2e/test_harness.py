"""The browser checks themselves catch what they are meant to (so a green run means something)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import PageProblems, assert_accessible

pytestmark = pytest.mark.e2e


def test_pages_carry_a_strict_content_security_policy(page: Page) -> None:
    response = page.goto("/sign-in/")
    assert response is not None and response.status == 200
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_csp_check_catches_an_inline_style(page: Page, page_problems: PageProblems) -> None:
    page.goto("/sign-in/")
    assert page_problems.csp == []
    page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red }'; document.head.appendChild(s); }"
    )
    for _ in range(40):  # the console message arrives asynchronously
        if page_problems.csp:
            break
        page.wait_for_timeout(50)
    csp = page_problems.take()["Content Security Policy violations"]
    assert csp and "style-src" in csp[0], csp


def test_axe_check_catches_a_violation(page: Page, check_page: Any) -> None:
    page.goto("/sign-in/")
    # Injecting axe-core does not itself trip the Content Security Policy.
    check_page()
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = 'data:image/gif;base64,"
        "R0lGODlhAQABAAAAACw='; document.querySelector('main').appendChild(i); }"
    )
    with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
        assert_accessible(page)


def test_asset_check_catches_a_missing_style_sheet(page: Page, check_page: Any) -> None:
    page.goto("/sign-in/")
    page.evaluate(
        "() => new Promise(done => { const l = document.createElement('link');"
        " l.rel = 'stylesheet'; l.href = '/static/css/missing.css';"
        " l.onerror = l.onload = done; document.head.appendChild(l); })"
    )
    with pytest.raises(AssertionError, match=r"Assets that failed to load.*\n.*404 .*missing\.css"):
        check_page(axe=False)
