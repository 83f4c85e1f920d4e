"""Builders and checks shared by the FHIR interface tests."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from pontio.interop import codes
from pontio.interop.resources import MODELS
from pontio.referrals.models import Referral
from pontio.referrals.tests.helpers import make_person, refer

BASE = "/fhir/R4"
FHIR = codes.FHIR_JSON


def new_referral(users: dict[str, Any], **changes: Any) -> Referral:
    """A referral by the demo officer of a person in Carmarthenshire (to DDAS)."""
    person = make_person(**changes.pop("person", {}))
    return refer(users["officer"], person, **changes)


# Every code element of a resource, checked against its R4 value set (codes.py).
CODE_PATHS: dict[str, list[tuple[str, str]]] = {
    "Task": [("status", "Task.status"), ("intent", "Task.intent")],
    "ServiceRequest": [("status", "ServiceRequest.status"), ("intent", "ServiceRequest.intent")],
    "Appointment": [("status", "Appointment.status")],
    "Patient": [("gender", "Patient.gender")],
    "Bundle": [("type", "Bundle.type")],
    "OperationOutcome": [],
    "CapabilityStatement": [],
}


def check_resource(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` is a valid R4 resource (fhir.resources) whose codes are in their value sets."""
    kind = data["resourceType"]
    MODELS[kind].model_validate(data)
    for element, value_set in CODE_PATHS[kind]:
        if element in data:
            assert codes.is_code(value_set, data[element]), (value_set, data[element])
    if kind == "Appointment":
        for participant in data["participant"]:
            assert codes.is_code("Appointment.participant.status", participant["status"])
    if kind == "OperationOutcome":
        for issue in data["issue"]:
            assert codes.is_code("OperationOutcome.issue.severity", issue["severity"])
            assert codes.is_code("OperationOutcome.issue.code", issue["code"])
    if kind == "Bundle":
        for entry in data.get("entry", []):
            assert codes.is_code("Bundle.entry.search.mode", entry["search"]["mode"])
            check_resource(entry["resource"])
    return data


def body(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith(FHIR), response["Content-Type"]
    return check_resource(json.loads(response.content))


def put(client: Client, url: str, data: Any, version: Any = None, **headers: Any) -> Any:
    if version is not None:
        headers["HTTP_IF_MATCH"] = f'W/"{version}"'
    return client.put(url, json.dumps(data), content_type=FHIR, **headers)


def patch(
    client: Client, url: str, data: Any, version: Any = None, content_type: str = FHIR
) -> Any:
    headers = {"HTTP_IF_MATCH": f'W/"{version}"'} if version is not None else {}
    return client.patch(url, json.dumps(data), content_type=content_type, **headers)


def post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type=FHIR)


def issue(response: Any) -> dict[str, Any]:
    data = body(response)
    assert data["resourceType"] == "OperationOutcome"
    return dict(data["issue"][0])


def token_client(
    users: dict[str, Any],
    organisation_name: str = "Dyfed Drug and Alcohol Service",
    scopes: tuple[str, ...] = ("fhir",),
) -> Client:
    """A client calling as a provider organisation's system: a partner API token (issued by
    the demo administrator) with the provider manager's role, in the Authorization header."""
    import datetime as dt

    from django.utils import timezone

    from pontio.accounts.models import Organisation
    from pontio.accounts.roles import Role
    from pontio.accounts.tokens import token_create

    _token, plaintext = token_create(
        actor=users["admin"],
        organisation=Organisation.objects.get(name=organisation_name),
        name=f"{organisation_name[:20]} case system",
        scopes=list(scopes),
        role=Role.PROVIDER_MANAGER,
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
