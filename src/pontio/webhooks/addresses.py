"""Which receiver URLs a subscription may have.

HTTPS only (the payload is small but the signature and the link to the API must not travel
in clear). Plain HTTP to this machine (127.0.0.1, ::1, localhost) is allowed only for
development and tests (``DEBUG`` or ``PONTIO_WEBHOOKS_ALLOW_HTTP_LOCAL``). Addresses that
would let a subscription reach inside our own network (private, loopback, link-local,
reserved IP literals: server-side request forgery, OWASP A10:2021) are always refused, for
HTTPS too; a host name is not resolved here (the egress firewall is the second line).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_URL = 500
LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def local_http_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "PONTIO_WEBHOOKS_ALLOW_HTTP_LOCAL", False))


def _internal_ip(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def check_url(raw: str) -> str:
    """The cleaned URL, or a ValidationError on ``url`` saying exactly what is wrong."""
    url = (raw or "").strip()

    def refuse(message: str, code: str) -> ValidationError:
        return ValidationError({"url": [message]}, code=code)

    if not url:
        raise refuse(_("Enter the receiver URL"), "url_required")
    if len(url) > MAX_URL:
        raise refuse(_("Enter a URL of %(max)s characters or fewer") % {"max": MAX_URL}, "url_long")
    if any(c.isspace() for c in url) or not url.isascii():
        raise refuse(_("Enter the URL without spaces or accented letters"), "url_characters")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError:
        raise refuse(
            _("Enter a real URL, like https://example.org/pontio"), "url_invalid"
        ) from None
    if parts.scheme not in ("https", "http") or not host:
        raise refuse(_("Enter a real URL, like https://example.org/pontio"), "url_invalid")
    if parts.username or parts.password:
        raise refuse(
            _("Do not put a user name or password in the URL: the signature proves the sender"),
            "url_credentials",
        )
    if parts.fragment:
        raise refuse(_("Remove the part after # from the URL"), "url_fragment")
    if host in LOCAL_HOSTS:
        if local_http_allowed():
            return url
        if parts.scheme == "http":
            raise refuse(
                _("Plain http to this machine is allowed only in development: use https"),
                "url_local_http",
            )
        raise refuse(_private_message(), "url_private")
    # Never another private, loopback, link-local or reserved address, whatever the setting.
    if _internal_ip(host):
        raise refuse(_private_message(), "url_private")
    if parts.scheme == "http":
        raise refuse(_("The receiver URL must start with https://"), "url_not_https")
    return url


def _private_message() -> str:
    return _("The URL points to a private or local network address: use a public https address")
