"""Request helpers that must behave the same everywhere (audit, lockout, logs)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address: REMOTE_ADDR, or the right X-Forwarded-For entry behind proxies.

    Only as many forwarded entries are trusted as there are proxies we run
    (PONTIO_TRUSTED_PROXIES), so a caller cannot forge its address by sending the header.
    """
    proxies = settings.PONTIO_TRUSTED_PROXIES
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
