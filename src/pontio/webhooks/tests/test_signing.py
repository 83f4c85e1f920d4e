"""Signing and verifying: each way a request can be refused, and rotation. No database."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from pontio.webhooks import signing

SECRET = "a" * 64
BODY = json.dumps({"id": "3f2c8c1e-0000-4000-8000-000000000001", "type": "referral.created"})
RAW = BODY.encode()
T = 1_800_000_000


def test_the_signature_is_the_hmac_of_the_timestamp_and_the_body() -> None:
    expected = hmac.new(SECRET.encode(), f"{T}.{BODY}".encode(), hashlib.sha256).hexdigest()
    assert signing.sign(SECRET, RAW, T) == f"t={T},v1={expected}"


def test_a_good_signature_is_accepted_and_gives_its_timestamp() -> None:
    assert signing.verify(SECRET, RAW, signing.sign(SECRET, RAW, T), now=T + 10) == T


@pytest.mark.parametrize("header", [None, "", "   "])
def test_a_missing_header_is_refused(header: str | None) -> None:
    with pytest.raises(signing.MissingSignature):
        signing.verify(SECRET, RAW, header, now=T)


@pytest.mark.parametrize(
    "header",
    [
        "v1=" + "0" * 64,  # no timestamp
        f"t={T}",  # no signature
        f"t=soon,v1={'0' * 64}",
        f"t={T},t={T},v1={'0' * 64}",
        f"t={T},v1=xyz",
        f"t={T},v1={'A' * 64}",
        f"t={T};v1={'0' * 64}",
        "garbage",
    ],
)
def test_a_malformed_header_is_refused(header: str) -> None:
    with pytest.raises(signing.MalformedSignature):
        signing.verify(SECRET, RAW, header, now=T)


def test_a_tampered_body_is_refused() -> None:
    header = signing.sign(SECRET, RAW, T)
    with pytest.raises(signing.WrongSignature):
        signing.verify(SECRET, RAW.replace(b"created", b"amended"), header, now=T)


def test_another_secret_is_refused() -> None:
    header = signing.sign("b" * 64, RAW, T)
    with pytest.raises(signing.WrongSignature):
        signing.verify(SECRET, RAW, header, now=T)


def test_a_changed_timestamp_breaks_the_signature() -> None:
    value = signing.sign(SECRET, RAW, T).split(",")[1]
    with pytest.raises(signing.WrongSignature):
        signing.verify(SECRET, RAW, f"t={T + 1},{value}", now=T)


@pytest.mark.parametrize("now", [T + 301, T - 301, T + 86_400])
def test_a_timestamp_outside_the_window_is_refused(now: int) -> None:
    with pytest.raises(signing.TimestampOutOfTolerance):
        signing.verify(SECRET, RAW, signing.sign(SECRET, RAW, T), now=now)


def test_the_window_edges_and_a_narrower_tolerance() -> None:
    header = signing.sign(SECRET, RAW, T)
    assert signing.verify(SECRET, RAW, header, now=T + 300) == T
    assert signing.verify(SECRET, RAW, header, now=T - 300) == T
    with pytest.raises(signing.TimestampOutOfTolerance):
        signing.verify(SECRET, RAW, header, now=T + 61, tolerance=60)


def test_an_event_id_already_seen_is_refused() -> None:
    seen: set[str] = set()

    def remember(event_id: str) -> bool:
        if event_id in seen:
            return True
        seen.add(event_id)
        return False

    header = signing.sign(SECRET, RAW, T)
    signing.verify(SECRET, RAW, header, now=T, seen=remember)
    with pytest.raises(signing.ReplayedEvent):
        signing.verify(SECRET, RAW, header, now=T, seen=remember)


def test_a_forged_request_is_not_remembered_as_seen() -> None:
    asked: list[str] = []
    with pytest.raises(signing.WrongSignature):
        signing.verify(SECRET, RAW, f"t={T},v1={'0' * 64}", now=T, seen=asked.append)  # type: ignore[arg-type]
    assert asked == []


def test_an_event_id_header_that_differs_from_the_signed_body_is_refused() -> None:
    header = signing.sign(SECRET, RAW, T)
    with pytest.raises(signing.MismatchedEventId):
        signing.verify(SECRET, RAW, header, now=T, event_id="another-id")


def test_replays_cannot_be_checked_on_a_body_without_an_id() -> None:
    body = b'{"type":"referral.created"}'
    with pytest.raises(signing.MissingEventId):
        signing.verify(SECRET, body, signing.sign(SECRET, body, T), now=T, seen=lambda _: False)


def test_either_of_two_secrets_is_accepted_while_one_is_rotated() -> None:
    new = "c" * 64
    header = signing.sign([SECRET, new], RAW, T)
    assert header.count("v1=") == 2
    assert signing.verify(SECRET, RAW, header, now=T) == T
    assert signing.verify(new, RAW, header, now=T) == T
    with pytest.raises(signing.WrongSignature):
        signing.verify("d" * 64, RAW, header, now=T)


def test_an_unknown_scheme_is_ignored_beside_v1() -> None:
    header = signing.sign(SECRET, RAW, T) + ",v2=whatever"
    assert signing.verify(SECRET, RAW, header, now=T) == T


def test_every_refusal_is_a_signature_error() -> None:
    for error in (
        signing.MissingSignature,
        signing.MalformedSignature,
        signing.WrongSignature,
        signing.TimestampOutOfTolerance,
        signing.ReplayedEvent,
        signing.MissingEventId,
        signing.MismatchedEventId,
    ):
        assert issubclass(error, signing.SignatureError)
