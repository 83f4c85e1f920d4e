"""Protecting the public form: rate limits, the form token and the honeypot.

No third-party CAPTCHA (it would send the public's browsers to another company and fails
without JavaScript). Instead:

- a per-address counter in Django's cache, in fixed windows. The address is never kept: the
  key is an HMAC of it with the site secret, so the cache holds no address either;
- a signed token in the form, holding when the form was shown and a one-time nonce: a post
  sooner than ``MIN_SECONDS`` after the form was shown (a script), older than
  ``MAX_SECONDS``, or replayed (the nonce already used) is refused quietly;
- a honeypot field, hidden from people (and from assistive technology) but filled by bots.

The cache must be shared between web processes in production (Redis: PONTIO_REDIS_URL);
with the in-process default each process counts alone, which only loosens the limit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

TOKEN_SALT = "pontio.intelligence.public-form"  # noqa: S105 - a salt, not a secret
MIN_SECONDS = 3
MAX_SECONDS = 2 * 60 * 60
HONEYPOT_FIELD = "website"


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    window: int  # seconds


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def submission_limit() -> Limit:
    return Limit(
        "submit",
        _setting("PONTIO_INTEL_SUBMISSIONS_PER_WINDOW", 5),
        _setting("PONTIO_INTEL_SUBMISSION_WINDOW", 60 * 60),
    )


def lookup_limit() -> Limit:
    return Limit(
        "status",
        _setting("PONTIO_INTEL_LOOKUPS_PER_WINDOW", 10),
        _setting("PONTIO_INTEL_LOOKUP_WINDOW", 10 * 60),
    )


def address_key(address: str | None) -> str:
    """The HMAC of the client's address: what is counted, never the address itself."""
    key = hashlib.sha256(f"intelligence-address:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:32]


def hit(limit: Limit, address: str | None, *, now: float | None = None) -> bool:
    """Count one attempt; ``True`` while the address is within its limit."""
    now = time.time() if now is None else now
    window = int(now // limit.window)
    key = f"intel:rl:{limit.name}:{address_key(address)}:{window}"
    cache.add(key, 0, timeout=limit.window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.window + 5)
        count = 1
    return count <= limit.count


def form_token(*, issued_at: float | None = None) -> str:
    issued = time.time() if issued_at is None else issued_at
    return signing.dumps({"t": int(issued), "n": secrets.token_hex(8)}, salt=TOKEN_SALT)


def check_token(token: str, *, now: float | None = None) -> str:
    """``""`` if the token is good (and now used), else why it is refused (for the log)."""
    now = time.time() if now is None else now
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT)
        issued, nonce = int(data["t"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "bad_token"
    age = now - issued
    if age < MIN_SECONDS:
        return "too_fast"
    if age > MAX_SECONDS:
        return "expired_token"
    if not cache.add(f"intel:nonce:{nonce}", 1, timeout=MAX_SECONDS + 60):
        return "replayed"
    return ""


def new_secret() -> str:
    """A one-time secret the submitter keeps: 12 characters without look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_secret(secret: str) -> str:
    return "".join(ch for ch in (secret or "").upper() if ch.isalnum())


def secret_hash(reference: str, secret: str) -> str:
    """HMAC-SHA256 of the secret, bound to its reference (the secret itself is never kept)."""
    key = hashlib.sha256(f"intelligence-secret:{settings.SECRET_KEY}".encode()).digest()
    message = f"{reference}:{normalise_secret(secret)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
