"""Signing a demo user in over HTTP, through the real sign-in pages (password, then code).

Cookies are kept by hand: the production cookies are Secure and the bench speaks plain
http to gunicorn behind a pretend TLS proxy, which a cookie jar would refuse to send back.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field

from django_otp.oath import totp

DEMO_PASSWORD = "Pontio-demo-2026"  # noqa: S105 - the demo accounts' published password


def demo_code(username: str) -> str:
    """The current code of a demo user's authenticator (its key is derived from the name)."""
    key = hashlib.sha256(f"pontio-demo-totp:{username}".encode()).hexdigest()[:40]
    return f"{totp(bytes.fromhex(key)):06d}"


@dataclass
class Browser:
    """A minimal HTTP client with a cookie store, as a signed-in user's browser."""

    port: int
    origin: str
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(
        self, method: str, path: str, body: str | bytes | None = None, **headers: str
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
        sent = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "192.0.2.10",
            "Cookie": self.cookie_header(),
            **headers,
        }
        if method == "POST":
            sent.setdefault("Referer", self.origin + path)
            sent.setdefault("X-CSRFToken", self.cookies.get("csrftoken", ""))
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in ('""', ""):
                    self.cookies.pop(cookie_name, None)
                else:
                    self.cookies[cookie_name] = cookie_value
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def post_form(self, path: str, data: dict[str, str]) -> tuple[int, dict[str, str], str]:
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self.request(
            "POST",
            path,
            urllib.parse.urlencode(data),
            **{"Content-Type": "application/x-www-form-urlencoded"},
        )


def sign_in(port: int, origin: str, username: str) -> Browser:
    browser = Browser(port, origin)
    status, _, _ = browser.request("GET", "/sign-in/")
    if status != 200:
        raise RuntimeError(f"sign-in page answered {status}")
    status, headers, text = browser.post_form(
        "/sign-in/", {"username": username, "password": DEMO_PASSWORD}
    )
    if status != 302 or not headers.get("location", "").endswith("/sign-in/code/"):
        raise RuntimeError(f"{username}: password step answered {status}: {_error(text)}")
    # A code is accepted once: wait for a fresh time step if this one was used already.
    for _attempt in range(3):
        status, headers, text = browser.post_form("/sign-in/code/", {"code": demo_code(username)})
        if status == 302:
            return browser
        time.sleep(31 - time.time() % 30)
    raise RuntimeError(f"{username}: code step answered {status}: {_error(text)}")


def _error(text: str) -> str:
    found = re.search(r'class="govuk-error-summary__list".*?<a[^>]*>(.*?)</a>', text, re.S)
    return found.group(1).strip() if found else text[:200]
