"""docs/api.md, followed step by step: its quickstart is executable.

Each request of the quickstart is an ``http`` code block in docs/api.md, preceded by a
hidden comment that says what the answer must be and what to keep from it::

    <!-- step: expect=200 save=task:entry.0.resource.id -->
    ```http
    GET /fhir/R4/Task?status=requested&_count=2
    Authorization: Bearer {token}
    ```

The test sends the blocks in order, as written, through Django's test client, with
``{name}`` replaced by what earlier steps kept (``token`` is the one an administrator
issued in the first step of the guide, made here with the same service). A guide that
drifts from the API fails here: a path renamed, a field moved, a status changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
STEP = re.compile(
    r"<!-- step:(?P<opts>[^>]*)-->\s*```http\n(?P<body>.*?)```",
    re.DOTALL,
)


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: str
    expect: int
    save: dict[str, str] = field(default_factory=dict)
    line: int = 0


def parse_steps(text: str) -> list[Step]:
    """The guide's requests, in order (the comment's options and the block's request)."""
    steps = []
    for match in STEP.finditer(text):
        options = dict(part.split("=", 1) for part in match["opts"].split() if "=" in part)
        head, _, body = match["body"].partition("\n\n")
        lines = head.strip().splitlines()
        method, path = lines[0].split(" ", 1)
        headers = dict(line.split(": ", 1) for line in lines[1:])
        save = dict(item.split(":", 1) for item in options.get("save", "").split(",") if item)
        steps.append(
            Step(
                method=method,
                path=path.strip(),
                headers=headers,
                body=body.strip(),
                expect=int(options["expect"]),
                save=save,
                line=text[: match.start()].count("\n") + 1,
            )
        )
    return steps


def dig(data: Any, dotted: str) -> Any:
    """``entry.0.resource.id`` of a decoded JSON answer."""
    for part in dotted.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def fill(text: str, saved: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match[1]
        assert name in saved, f"the guide uses {{{name}}} before a step saves it"
        return str(saved[name])

    return re.sub(r"\{([a-z_]+)\}", value, text)


def send(client: Client, step: Step, saved: dict[str, Any]) -> Any:
    headers = {k: fill(v, saved) for k, v in step.headers.items()}
    content_type = headers.pop("Content-Type", "application/json")
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    call = getattr(client, step.method.lower())
    path = fill(step.path, saved)
    if step.method in ("POST", "PUT", "PATCH"):
        return call(path, data=fill(step.body, saved), content_type=content_type, **extra)
    return call(path, **extra)


def test_the_guide_has_a_quickstart() -> None:
    steps = parse_steps(GUIDE.read_text())
    methods = {s.method for s in steps}
    # A guide that lost its steps would pass the walk below by doing nothing.
    assert len(steps) >= 8, len(steps)
    assert {"GET", "PATCH", "POST"} <= methods


def prepare(users: dict[str, Any]) -> dict[str, Any]:
    """What the guide assumes before its first step: a referral waiting for DDAS (sent by
    the demo officer) and the token an administrator issued to DDAS's system (step 0)."""
    from django.conf import settings

    from pontio.accounts.models import Organisation
    from pontio.accounts.roles import Role
    from pontio.accounts.tokens import token_create
    from pontio.referrals.tests.helpers import make_person, refer

    now = timezone.now()
    since = (now - dt.timedelta(seconds=1)).astimezone(dt.UTC)
    referral = refer(users["officer"], make_person())
    _token, plaintext = token_create(
        actor=users["admin"],
        organisation=Organisation.objects.get(name="Dyfed Drug and Alcohol Service"),
        name="DDAS case system",
        scopes=["api", "fhir"],
        role=Role.PROVIDER_CASEWORKER,
        expires_at=now + dt.timedelta(days=90),
        force_wide=True,
    )
    started = max(now - dt.timedelta(hours=1), referral.sent_at)
    return {
        "token": plaintext,
        "base": str(settings.PONTIO_BASE_URL).rstrip("/"),
        "since": _instant(since),
        "started": _instant(started.astimezone(dt.UTC)),
        "today": timezone.localdate().isoformat(),
        "referral": referral,
    }


def _instant(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


@pytest.mark.django_db
def test_a_provider_developer_follows_the_guide(demo_users: dict[str, Any]) -> None:
    from tests.conftest import demo_sign_in

    from pontio.referrals.models import Referral, Status

    saved = prepare(demo_users)
    client = Client()
    for step in parse_steps(GUIDE.read_text()):
        response = send(client, step, saved)
        where = f"docs/api.md line {step.line}: {step.method} {step.path}"
        assert response.status_code == step.expect, (where, response.content[:800])
        if step.save:
            data = json.loads(response.content)
            for name, dotted in step.save.items():
                saved[name] = dig(data, dotted)
    # The guide's first poll found the referral waiting, and its end is the police's view.
    referral = Referral.objects.get(pk=saved["referral"].pk)
    assert saved["task"] == str(referral.pk)
    assert referral.status == Status.COMPLETED
    page = demo_sign_in("officer").get(f"/referrals/{referral.pk}/")
    assert "Completed the programme and is now engaged with recovery support." in (
        page.content.decode()
    )


def guide_snippet(name: str) -> str:
    text = GUIDE.read_text()
    match = re.search(rf"<!-- snippet: {name} -->\s*```python\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/api.md has no {name} snippet"
    return match[1]


def test_the_guides_verification_code_accepts_pontios_signature_and_refuses_a_replay() -> None:
    """The receiver code a partner copies from the guide, run against Pontio's own
    signature of a delivery: accepted once, refused when replayed, tampered or unsigned."""
    import time

    from pontio.webhooks.signing import sign

    namespace: dict[str, Any] = {}
    exec(compile(guide_snippet("verify"), "docs/api.md", "exec"), namespace)  # noqa: S102
    verify = namespace["verify"]
    secret = "ab" * 32
    body = json.dumps(
        {"id": "5b0f1c9e-3d4a-4f7e-9a61-2c8d7e0b4f12", "type": "referral.status_changed"},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    header = sign(secret, body, int(time.time()))
    seen: set[str] = set()
    assert verify(secret, body, header, seen)["type"] == "referral.status_changed"
    for bad_body, bad_header in ((body, header), (body + b" ", header), (body, None)):
        with pytest.raises(ValueError):
            verify(secret, bad_body, bad_header, seen)
    old = sign(secret, body, int(time.time()) - 3600)
    with pytest.raises(ValueError, match="window"):
        verify(secret, body, old, set())
