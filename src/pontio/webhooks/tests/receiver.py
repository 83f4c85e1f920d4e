"""A tiny webhook receiver, as a partner would write one: a real HTTP server on 127.0.0.1
that checks every request with ``signing.verify`` and the subscription's secret, refuses
what fails, and answers the accepted ones with the next planned status code."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pontio.webhooks import signing


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    outcome: str  # "accepted", or the name of the SignatureError that refused it
    status: int


@dataclass
class Receiver:
    secret: str = ""
    # Status codes for the next verified requests (then 200); a refusal is always 400/409.
    plan: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    accepted_ids: set[str] = field(default_factory=set)

    def start(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, _outcome = owner.handle(dict(self.headers.items()), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/pontio"

    def handle(self, headers: dict[str, str], body: bytes) -> tuple[int, str]:
        try:
            signing.verify(
                self.secret,
                body,
                headers.get(signing.SIGNATURE_HEADER),
                now=time.time(),
                event_id=headers.get(signing.EVENT_ID_HEADER),
                seen=lambda event_id: event_id in self.accepted_ids,
            )
        except signing.ReplayedEvent:
            status, outcome = 409, "ReplayedEvent"
        except signing.SignatureError as error:
            status, outcome = 400, type(error).__name__
        else:
            status = self.plan.pop(0) if self.plan else 200
            outcome = "accepted" if status < 300 else "failed"
            if status < 300:
                self.accepted_ids.add(self._id(body))
        self.received.append(Received(headers, body, outcome, status))
        return status, outcome

    @staticmethod
    def _id(body: bytes) -> str:
        import json

        return str(json.loads(body)["id"])

    def outcomes(self) -> list[str]:
        return [r.outcome for r in self.received]
