"""Signing and verifying webhook requests: pure functions, no Django.

The scheme is the one most webhook senders use (Stripe, GitHub, Standard Webhooks): an
HMAC-SHA256 (RFC 2104, FIPS 198-1) over ``"<unix seconds>.<raw body>"`` with the
subscription's shared secret, sent as ``Pontio-Signature: t=<seconds>,v1=<hex>``. The
timestamp bounds replays in time; the event id (``Pontio-Event-Id``), remembered by the
receiver, stops a replay inside the window. Several ``v1=`` values may be sent so a
receiver can accept either of two secrets while one is rotated.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable

SIGNATURE_HEADER = "Pontio-Signature"
EVENT_ID_HEADER = "Pontio-Event-Id"
EVENT_TYPE_HEADER = "Pontio-Event-Type"
SCHEME = "v1"
DEFAULT_TOLERANCE = 300


class SignatureError(Exception):
    """The request must be refused (the subclass says why)."""


class MissingSignature(SignatureError):
    """No ``Pontio-Signature`` header (or an empty one)."""


class MissingEventId(SignatureError):
    """Replays are checked but the signed body carries no event id."""


class MismatchedEventId(SignatureError):
    """The ``Pontio-Event-Id`` header is not the id in the signed body (tampered header)."""


class MalformedSignature(SignatureError):
    """The header is not ``t=<seconds>,v1=<hex>[,v1=<hex>...]``."""


class WrongSignature(SignatureError):
    """No ``v1`` value matches the body signed with the secret."""


class TimestampOutOfTolerance(SignatureError):
    """The timestamp is too old or too far in the future (outside the replay window)."""


class ReplayedEvent(SignatureError):
    """The event id has already been accepted (a replay inside the window)."""


def _key(secret: str | bytes) -> bytes:
    return secret.encode() if isinstance(secret, str) else secret


def signature(secret: str | bytes, body: bytes, timestamp: int) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(_key(secret), message, hashlib.sha256).hexdigest()


def sign(secret: str | bytes | Iterable[str | bytes], body: bytes, timestamp: int) -> str:
    """The ``Pontio-Signature`` header value; several secrets give several ``v1`` values."""
    secrets = [secret] if isinstance(secret, str | bytes) else list(secret)
    parts = [f"t={int(timestamp)}"]
    parts += [f"{SCHEME}={signature(s, body, timestamp)}" for s in secrets]
    return ",".join(parts)


def parse(header: str | None) -> tuple[int, list[str]]:
    """(timestamp, v1 signatures) of a header; raise Missing/MalformedSignature."""
    if header is None or not header.strip():
        raise MissingSignature("the Pontio-Signature header is missing")
    timestamp: int | None = None
    values: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep or not value:
            raise MalformedSignature("each part must be name=value")
        if name == "t":
            if timestamp is not None or not (value.isascii() and value.isdigit()):
                raise MalformedSignature("t must be one whole number of seconds")
            timestamp = int(value)
        elif name == SCHEME:
            if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
                raise MalformedSignature("v1 must be 64 lower-case hex digits")
            values.append(value)
        # Other schemes (a future v2) are ignored, so senders can add one without breaking us.
    if timestamp is None:
        raise MalformedSignature("no t= timestamp")
    if not values:
        raise MalformedSignature("no v1= signature")
    return timestamp, values


def verify(
    secret: str | bytes,
    body: bytes,
    header: str | None,
    *,
    now: int | float,
    tolerance: int = DEFAULT_TOLERANCE,
    event_id: str | None = None,
    seen: Callable[[str], bool] | None = None,
) -> int:
    """Check a request; return its timestamp, or raise a ``SignatureError`` subclass.

    ``seen(event_id)`` answers whether the id was already accepted (and should remember it
    when it was not); it is asked only once the signature and the time are good, so a
    forged request cannot fill the receiver's memory. The id checked is the one inside the
    signed body (the ``Pontio-Event-Id`` header is not signed): pass the header as
    ``event_id`` to have a different one refused.
    """
    timestamp, values = parse(header)
    expected = signature(secret, body, timestamp)
    # compare_digest on every value, without stopping early, so timing tells nothing.
    matched = False
    for value in values:
        matched |= hmac.compare_digest(expected, value)
    if not matched:
        raise WrongSignature("no v1 signature matches")
    if abs(float(now) - timestamp) > tolerance:
        raise TimestampOutOfTolerance("the timestamp is outside the tolerance")
    if event_id is not None or seen is not None:
        signed_id = _body_event_id(body)
        if event_id is not None and event_id != signed_id:
            raise MismatchedEventId("the event id header differs from the signed body")
        if seen is not None:
            if not signed_id:
                raise MissingEventId("the signed body has no event id")
            if seen(signed_id):
                raise ReplayedEvent("this event id has already been received")
    return timestamp


def _body_event_id(body: bytes) -> str:
    """The ``id`` of the (already verified) JSON body; "" when there is none."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    value = document.get("id") if isinstance(document, dict) else None
    return value if isinstance(value, str) else ""
