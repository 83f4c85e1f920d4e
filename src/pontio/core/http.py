"""Request helpers that must behave the same everywhere (audit, lockout, logs)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def normalised_ip(value: str | None) -> str | None:
    """An IP address in the canonical text the database stores (or None if not an address).

    The audit hash covers the address, so it must be hashed in the same notation that
    PostgreSQL gives back (lower-case, compressed IPv6); anything else is not an address.
    """
    if not value:
        return None
    try:
        return ipaddress.ip_address(value.strip()).compressed
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address: REMOTE_ADDR, or the right X-Forwarded-For entry behind proxies.

    Only as many forwarded entries are trusted as there are proxies we run
    (PONTIO_TRUSTED_PROXIES), so a caller cannot forge its address by sending the header.
    A forwarded entry that is not a plain address (a port, "unknown") is ignored.
    """
    proxies = settings.PONTIO_TRUSTED_PROXIES
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            address = normalised_ip(forwarded[-proxies])
            if address is not None:
                return address
    return normalised_ip(request.META.get("REMOTE_ADDR"))
