"""Load and chaos for the kill tests: officers' clients write referrals through the API while
the web workers, the whole web server and the database are killed at random moments.

The load driver keeps every acknowledgement (a 2xx answer and what it returned); the
checker (``world.check``) then proves each one is in the database as acknowledged.
"""

from __future__ import annotations

import random
import secrets
import string
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from tests.durability.stack import Stack

KINDS = ("worker", "gunicorn", "postgres")
TIMEOUT = 10  # seconds for one request: a request stuck on a dead database gives up


def signed_in_client(base_url: str, session_key: str) -> requests.Session:
    """An HTTP client with the session cookie and a CSRF secret sent as cookie and header,
    as a browser's script would (DRF checks CSRF for session-authenticated writes)."""
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    host = urlsplit(base_url).hostname or "127.0.0.1"
    http = requests.Session()
    http.cookies.set("pontio_session", session_key, domain=host, path="/")
    http.cookies.set("csrftoken", token, domain=host, path="/")
    http.headers.update({"X-CSRFToken": token, "Accept": "application/json"})
    return http


# The production settings refuse Ofcom's drama numbers (07700 900xxx) that the demo uses, so
# the clients use ordinary mobile numbers; nothing is ever sent to them (no Notify key).
PHONE_PREFIX = "07400 "


def referral_body(person: int) -> dict[str, Any]:
    return {
        "person": person,
        "pathway": "voluntary",
        "reason": "Asked for help with cocaine use after a welfare check.",
        "substances": ["cocaine"],
        "consent_given": True,
        "preferred_language": "en",
        "contact": {
            "phone": PHONE_PREFIX + "123456",
            "channels": ["phone", "text"],
            "times": "Mornings",
        },
    }


@dataclass
class Acks:
    created: list[dict[str, Any]] = field(default_factory=list)
    amended: list[dict[str, Any]] = field(default_factory=list)
    noted: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ack: dict[str, Any]) -> None:
        with self.lock:
            getattr(self, kind).append(ack)

    def total(self) -> int:
        return len(self.created) + len(self.amended) + len(self.noted)

    def as_json(self) -> dict[str, Any]:
        return {"created": self.created, "amended": self.amended, "noted": self.noted}


class Driver:
    """``threads`` clients, all signed in as one officer, each creating referrals and then
    amending them (with the version it last saw) or writing notes on them."""

    def __init__(self, stack: Stack, username: str, threads: int, seed: int) -> None:
        self.stack = stack
        self.session_key = stack.sessions[username]
        self.acks = Acks()
        self.answers: Counter[str] = Counter()
        self.unexpected: list[str] = []
        self.stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(n, seed + n), daemon=True)
            for n in range(threads)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self._threads:
            thread.join(TIMEOUT * 3)

    def _count(self, answer: requests.Response | None) -> None:
        with self.acks.lock:
            self.answers["no answer" if answer is None else str(answer.status_code)] += 1

    def _send(
        self, http: requests.Session, method: str, path: str, **kwargs: Any
    ) -> requests.Response | None:
        try:
            answer = http.request(method, self.stack.web.url + path, timeout=TIMEOUT, **kwargs)
        except requests.RequestException:
            answer = None
        self._count(answer)
        return answer

    def _unexpected(self, what: str, answer: requests.Response) -> None:
        with self.acks.lock:
            self.unexpected.append(f"{what}: {answer.status_code} {answer.text[:300]}")

    def _run(self, number: int, seed: int) -> None:
        rng = random.Random(seed)
        http = signed_in_client(self.stack.web.url, self.session_key)
        mine: dict[int, int | None] = {}  # referral id -> the version last seen (None: unsure)
        made = 0
        while not self.stopping.is_set():
            if not mine or rng.random() < 0.3:
                made += 1
                self._create(http, rng, f"durable-{number}-{made}", mine)
            elif rng.random() < 0.6:
                self._amend(http, rng, rng.choice(list(mine)), mine)
            else:
                self._note(http, rng.choice(list(mine)), f"Note {number}-{rng.random():.12f}")

    def _create(
        self, http: requests.Session, rng: random.Random, key: str, mine: dict[int, int | None]
    ) -> None:
        person = rng.choice(self.stack.people)
        # Retried with the same key until acknowledged: the key makes the retry safe.
        while not self.stopping.is_set():
            answer = self._send(
                http,
                "POST",
                "/api/v1/referrals/",
                json=referral_body(person),
                headers={"Idempotency-Key": key},
            )
            if answer is None or answer.status_code >= 500:
                time.sleep(0.1)
                continue
            if answer.status_code not in (200, 201):
                self._unexpected("create", answer)
                return
            data = answer.json()
            if answer.status_code == 201 or data["id"] not in mine:
                self.acks.add(
                    "created",
                    {
                        "id": data["id"],
                        "reference": data["reference"],
                        "version": data["version"],
                        "person": person,
                        "key": key,
                    },
                )
            mine[data["id"]] = data["version"]
            return

    def _amend(
        self, http: requests.Session, rng: random.Random, pk: int, mine: dict[int, int | None]
    ) -> None:
        version = mine[pk]
        if version is None:
            answer = self._send(http, "GET", f"/api/v1/referrals/{pk}/")
            if answer is None or answer.status_code != 200:
                return
            version = mine[pk] = answer.json()["version"]
        phone = f"{PHONE_PREFIX}{rng.randrange(200000, 999999)}"
        answer = self._send(
            http,
            "POST",
            f"/api/v1/referrals/{pk}/amendments/",
            json={"version": version, "changes": {"contact_phone": phone}},
        )
        if answer is None or answer.status_code >= 500:
            mine[pk] = None  # it may or may not have been saved
        elif answer.status_code == 201:
            self.acks.add(
                "amended",
                {"id": answer.json()["id"], "referral": pk, "phone": phone, "version": version + 1},
            )
            mine[pk] = version + 1
        elif answer.status_code == 409:
            mine[pk] = None  # an amendment that was not acknowledged was saved after all
        elif answer.status_code == 400 and "nothing_changed" in answer.text:
            pass  # the same number drawn twice
        else:
            self._unexpected("amend", answer)

    def _note(self, http: requests.Session, pk: int, text: str) -> None:
        answer = self._send(
            http,
            "POST",
            f"/api/v1/referrals/{pk}/notes/",
            json={"category": "general", "text": text},
        )
        if answer is None or answer.status_code >= 500:
            return  # not acknowledged: may or may not be there
        if answer.status_code == 201:
            self.acks.add("noted", {"id": answer.json()["id"], "referral": pk, "text": text})
        else:
            self._unexpected("note", answer)


@dataclass
class Cycle:
    kind: str
    recovered_in: float


def wait_for_progress(driver: Driver, since: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.acks.total() > since:
            return True
        time.sleep(0.05)
    return False


def chaos(stack: Stack, driver: Driver, cycles: int, rng: random.Random) -> list[Cycle]:
    """``cycles`` kills at random moments, each kind at least once when cycles >= 3; after
    each, wait until the service answers and new writes are acknowledged again."""
    done: list[Cycle] = []
    seen = 0
    for n in range(cycles):
        kind = KINDS[n] if n < len(KINDS) else rng.choice(KINDS)
        if not wait_for_progress(driver, seen):
            raise RuntimeError(f"no write acknowledged before cycle {n + 1}")
        time.sleep(rng.uniform(0.2, 1.2))
        started = time.monotonic()
        if kind == "worker":
            stack.web.kill_worker()
        elif kind == "gunicorn":
            stack.web.kill()
            stack.web.start()
        else:
            stack.cluster.crash()
            time.sleep(rng.uniform(0, 0.5))
            stack.cluster.start()
        stack.web.wait_until_serving()
        seen = driver.acks.total()
        if not wait_for_progress(driver, seen):
            raise RuntimeError(f"no write acknowledged after the {kind} kill (cycle {n + 1})")
        done.append(Cycle(kind, time.monotonic() - started))
    return done


@dataclass
class Outcome:
    cycles: list[Cycle]
    acks: Acks
    answers: Counter[str]
    unexpected: list[str]
    report: dict[str, Any]
    seconds: float


def kill_run(stack: Stack, cycles: int, threads: int = 3, seed: int = 1) -> Outcome:
    """Drive load through ``cycles`` kills, crash the database once more at the end (what
    was acknowledged must survive recovery), then check everything."""
    started = time.monotonic()
    rng = random.Random(seed)
    driver = Driver(stack, "officer", threads, seed)
    driver.start()
    try:
        done = chaos(stack, driver, cycles, rng)
        wait_for_progress(driver, driver.acks.total())
    finally:
        driver.stop()
    stack.cluster.crash()
    stack.cluster.start()
    report = stack.check(driver.acks.as_json())
    return Outcome(
        done, driver.acks, driver.answers, driver.unexpected, report, time.monotonic() - started
    )
