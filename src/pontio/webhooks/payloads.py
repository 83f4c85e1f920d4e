"""The body of a webhook: thin, with no personal data.

It says what happened to which referral and where to read it; the receiver then fetches
the detail through the API with its own token, so what it may see is decided there, by the
same scopes as everywhere else (data minimisation, UK GDPR Art. 5(1)(c)).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse


def _absolute(path: str) -> str:
    return settings.PONTIO_BASE_URL.rstrip("/") + path


def referral_links(referral_id: int) -> dict[str, str]:
    return {
        "url": _absolute(reverse("api-referral-detail", args=[referral_id])),
        "fhir_task": _absolute(f"/fhir/R4/Task/{referral_id}"),
    }


def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build(
    *,
    event_id: uuid.UUID,
    event_type: str,
    created: dt.datetime,
    referral_id: int,
    reference: str,
    status: str,
    appointment_id: int | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "referral": {
            "id": referral_id,
            "reference": reference,
            "status": status,
            **referral_links(referral_id),
        }
    }
    if appointment_id is not None:
        data["appointment"] = {"id": appointment_id}
    return {"id": str(event_id), "type": event_type, "created": iso_utc(created), "data": data}


def body_of(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed: the same for every attempt of one delivery."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def pretty(payload: dict[str, Any]) -> str:
    """The payload indented for the delivery page."""
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False)
