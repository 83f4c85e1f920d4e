"""Pages every user sees: language switch, security headers, errors, CSRF, home dashboard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from tests.conftest import sign_in_client
from tests.factories import CARMARTHENSHIRE, UserFactory

from pontio.accounts.events import AccountEvent
from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> User:
    return UserFactory(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE], with_device=True)


# --- language switch --------------------------------------------------------------------------


def test_language_switch_sets_the_cookie_and_returns_to_the_page(officer: User) -> None:
    client = sign_in_client(officer)
    response = client.get("/language/cy/", {"next": "/account/"})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    cookie = response.cookies["pontio_language"]
    assert cookie.value == "cy"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert b'<html lang="cy"' in client.get("/account/").content

    response = client.get("/language/en/", {"next": "/account/"})
    assert response.cookies["pontio_language"].value == "en"
    assert b'<html lang="en"' in client.get("/account/").content


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_language_switch_refuses_to_leave_the_site(db: Any, target: str) -> None:
    response = Client().get("/language/cy/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_language_switch_works_before_sign_in(db: Any) -> None:
    client = Client()
    response = client.get("/language/cy/", {"next": "/sign-in/"})
    assert response["Location"] == "/sign-in/"
    assert b'<html lang="cy"' in client.get("/sign-in/").content


def test_unknown_language_is_ignored(db: Any) -> None:
    response = Client().get("/language/fr/", {"next": "/sign-in/"})
    assert response.status_code == 302
    assert "pontio_language" not in response.cookies


def test_language_switch_only_answers_get(db: Any) -> None:
    assert Client().post("/language/cy/").status_code == 405


def test_every_page_links_to_itself_in_the_other_language(officer: User) -> None:
    html = sign_in_client(officer).get("/account/").content.decode()
    assert 'href="/language/cy/?next=%2Faccount%2F"' in html
    assert 'hreflang="cy"' in html


def test_account_language_preference_is_saved_and_audited(officer: User) -> None:
    client = sign_in_client(officer)
    response = client.post("/account/", {"preferred_language": "cy"})
    assert response.status_code == 302
    assert response.cookies["pontio_language"].value == "cy"
    officer.refresh_from_db()
    assert officer.preferred_language == "cy"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(officer.pk))
    assert event.fields == ["preferred_language"]
    assert event.change.before == {"preferred_language": "en"}
    assert event.change.after == {"preferred_language": "cy"}


# --- security headers -------------------------------------------------------------------------


def _csp(response: Any) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


@pytest.mark.parametrize("signed_in", [False, True])
def test_security_headers_on_pages(officer: User, signed_in: bool) -> None:
    client = sign_in_client(officer) if signed_in else Client()
    response = client.get("/account/" if signed_in else "/sign-in/")
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_api_responses_are_not_cached(officer: User) -> None:
    response = sign_in_client(officer).get("/api/v1/me/")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"


def test_session_and_csrf_cookies_are_http_only(officer: User) -> None:
    client = Client()
    sign_in_client(officer, client=client)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
    response = Client().get("/sign-in/")
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"]
    marker = client.cookies["pontio_signed_in"]
    assert marker["httponly"]


def test_templates_have_no_inline_script_or_style() -> None:
    """The policy forbids inline code, so none may be written (it would silently not run)."""
    root = Path(settings.SRC_DIR) / "templates"
    problems = []
    for path in root.rglob("*.html"):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.S)
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                problems.append(f"{path.name}: inline <script>")
        if re.search(r"<style\b", text):
            problems.append(f"{path.name}: <style>")
        if re.search(r"\sstyle=\"", text):
            problems.append(f"{path.name}: style attribute")
        if re.search(r"\son[a-z]+=\"", text):
            problems.append(f"{path.name}: event handler attribute")
    assert problems == []


def test_health_check(db: Any) -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_accessibility_statement_is_public(db: Any) -> None:
    response = Client().get("/accessibility/")
    assert response.status_code == 200
    assert b"<h1" in response.content


# --- errors -----------------------------------------------------------------------------------


def test_forbidden_page_is_explained_and_audited(officer: User) -> None:
    response = sign_in_client(officer).get("/users/")
    assert response.status_code == 403
    assert b"You do not have permission to do this" in response.content
    assert b"Traceback" not in response.content
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert event.reason == "forbidden: /users/"
    assert event.actor_id == officer.pk


def test_not_found_page_in_welsh(officer: User) -> None:
    client = sign_in_client(officer)
    client.cookies["pontio_language"] = "cy"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b'<html lang="cy"' in response.content


def _forging_client(user: User, language: str | None = None) -> Client:
    honest = sign_in_client(user)
    forger = Client(enforce_csrf_checks=True)
    forger.cookies = honest.cookies
    if language:
        forger.cookies["pontio_language"] = language
    return forger


def test_forged_form_is_refused_explained_and_audited(officer: User) -> None:
    client = _forging_client(officer)
    assert client.get("/account/").status_code == 200  # the session works
    response = client.post("/account/", {"preferred_language": "cy"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "This form could not be accepted" in html
    assert "nothing was saved" in html
    officer.refresh_from_db()
    assert officer.preferred_language == "en"
    event = AuditEvent.objects.get(action=AuditAction.CSRF_FAILURE)
    assert event.actor_id == officer.pk
    assert "CSRF" in event.reason
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_forged_form_page_is_in_welsh_for_welsh_users(officer: User) -> None:
    client = _forging_client(officer, language="cy")
    response = client.post("/account/sign-out-everywhere/")
    assert response.status_code == 403
    assert b'<html lang="cy"' in response.content
    assert AuditEvent.objects.filter(action=AuditAction.CSRF_FAILURE).count() == 1
    # Nothing happened: the session still works.
    assert client.get("/account/").status_code == 200
    assert not AuditEvent.objects.filter(action=AccountEvent.SIGN_OUT_EVERYWHERE).exists()


def test_form_with_its_token_is_accepted(officer: User) -> None:
    client = _forging_client(officer)
    page = client.get("/account/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post("/account/", {"preferred_language": "cy", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.preferred_language == "cy"


def test_forged_sign_in_is_refused(officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": officer.username, "password": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.CSRF_FAILURE, actor_id=None).count() == 1
    assert not AuditEvent.objects.filter(action=AccountEvent.SIGN_IN_FAILED).exists()


# --- home dashboard ---------------------------------------------------------------------------


def test_home_shows_the_administrator_panel_to_administrators(db: Any) -> None:
    admin = UserFactory(roles=[Role.ADMINISTRATOR], force_wide=True, with_device=True)
    UserFactory(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE])  # not yet set up
    html = sign_in_client(admin).get("/").content.decode()
    assert "accounts locked out" in html  # none: plural in English
    # One account without an authenticator (every demo user has one): singular.
    assert "account not yet set up" in html and "accounts not yet set up" not in html
    assert "break-glass accesses to review" not in html
    nav = html.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/users/"' in nav
    assert 'href="/organisations/"' in nav
    assert 'href="/reference/counties/"' in nav
    assert 'href="/audit/"' not in nav


def test_home_shows_the_auditor_panel_to_auditors(db: Any) -> None:
    auditor = UserFactory(roles=[Role.AUDITOR], force_wide=True, with_device=True)
    html = sign_in_client(auditor).get("/").content.decode()
    assert "break-glass accesses to review" in html
    assert "log not verified this week" in html
    assert "accounts locked out" not in html
    nav = html.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/audit/"' in nav
    assert 'href="/users/"' not in nav


def test_home_for_an_officer_has_neither_panel(officer: User) -> None:
    html = sign_in_client(officer).get("/").content.decode()
    assert "Welcome, " in html
    assert "accounts locked out" not in html
    assert "break-glass accesses to review" not in html
    # The officer's own panels (referrals, people) are shown, so the "nothing is waiting"
    # fallback is not: it would contradict them.
    assert "unread alert" in html
    assert "Nothing is waiting for you yet" not in html


def test_administrator_panel_counts_locked_and_not_set_up_accounts(db: Any) -> None:
    admin = UserFactory(roles=[Role.ADMINISTRATOR], force_wide=True, with_device=True)
    officer = UserFactory(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE], with_device=True)
    UserFactory(roles=[Role.OFFICER], counties=[CARMARTHENSHIRE])  # no authenticator
    for _ in range(5):
        Client().post("/sign-in/", {"username": officer.username, "password": "wrong-one-12345"})
    html = sign_in_client(admin).get("/").content.decode()
    counts = {
        label.strip(): int(count)
        for count, label in re.findall(r'pontio-card__count">(\d+)</span><a[^>]*>([^<]+)</a>', html)
    }
    assert counts["account locked out"] == 1
    assert counts["account not yet set up"] == 1
