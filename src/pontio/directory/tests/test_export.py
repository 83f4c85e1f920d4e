"""The Open Referral UK export validates against the vendored HSDS 3 JSON schemas."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.directory.demo import SERVICES
from pontio.directory.models import Service
from pontio.directory.selectors import hsds_export

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "hsds-3"


def _registry() -> Registry:
    """Every vendored schema, addressed by its file name (the form its $refs use)."""
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text())
        resources.append(
            (path.name, Resource.from_contents(contents, default_specification=DRAFT202012))
        )
    return Registry().with_resources(resources)


def service_validator() -> Any:
    schema = json.loads((SCHEMAS / "service.json").read_text())
    cls = validator_for(schema, default=Draft202012Validator)
    return cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)


def errors_of(service: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in service_validator().iter_errors(service)
    ]


def test_the_registry_resolves_every_reference() -> None:
    registry = _registry()
    for name in ("organization.json", "phone.json", "schedule.json", "address.json"):
        assert registry.contents(name)["type"] == "object"


def test_every_exported_service_is_valid_hsds3(directory: dict[str, Any]) -> None:
    exported = hsds_export(directory["officer"])
    assert len(exported) == len(SERVICES)
    for service in exported:
        assert errors_of(service) == [], service["name"]


def test_the_export_carries_the_directory(directory: dict[str, Any]) -> None:
    exported = {s["name"]: s for s in hsds_export(directory["officer"])}
    llanelli = exported["DDAS Llanelli"]
    assert llanelli["alternate_name"] == "GCAD Llanelli"
    assert llanelli["organization"]["name"] == "Dyfed Drug and Alcohol Service"
    assert llanelli["minimum_age"] == 18 and "maximum_age" not in llanelli
    assert "Accepts referrals through Pontio" in llanelli["eligibility_description"]
    assert llanelli["phones"][0]["number"] == "01632 960101"
    (sal,) = llanelli["service_at_locations"]
    address = sal["location"]["addresses"][0]
    assert (address["city"], address["postal_code"], address["country"]) == (
        "Llanelli",
        "SA15 3AS",
        "GB",
    )
    assert address["state_province"] == "Carmarthenshire"
    assert [s["byday"] for s in sal["schedules"]] == ["MO", "TU", "WE", "TH", "FR"]
    assert [a["extent"] for a in llanelli["service_areas"]] == ["W06000010"]
    (contact,) = llanelli["contacts"]
    assert (contact["name"], contact["title"]) == ("Referrals team", "Duty worker")
    assert contact["service_id"] == llanelli["id"]
    young = exported["DDAS young people's service"]
    assert (young["minimum_age"], young["maximum_age"]) == (11, 25)
    assert young["service_at_locations"] == [] and len(young["schedules"]) == 5


@pytest.mark.parametrize(
    "break_it",
    [
        lambda s: s.pop("name"),
        lambda s: s.update(status="open"),
        lambda s: s.update(id="not-a-uuid"),
        lambda s: s["phones"][0].pop("number"),
        lambda s: s["service_at_locations"][0]["location"]["addresses"][0].pop("postal_code"),
        lambda s: s["service_at_locations"][0]["location"].update(location_type="house"),
        lambda s: s["schedules"].append({"id": s["id"], "freq": "DAILY"}),
        lambda s: s["organization"].pop("description"),
        lambda s: s.update(minimum_age="eighteen"),
        lambda s: s["contacts"][0].update(id=1),
    ],
)
def test_the_validation_catches_a_broken_export(directory: dict[str, Any], break_it: Any) -> None:
    exported = {s["name"]: s for s in hsds_export(directory["officer"])}
    broken = copy.deepcopy(exported["DDAS Llanelli"])
    break_it(broken)
    assert errors_of(broken) != []


def test_export_download(directory: dict[str, Any]) -> None:
    response = demo_sign_in("caseworker").get("/directory/export.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert len(data) == len(SERVICES)
    assert all(errors_of(service) == [] for service in data)
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="directory.service"
    ).exists()


def test_inactive_services_are_exported_as_inactive(directory: dict[str, Any]) -> None:
    Service.objects.filter(name="DDAS Llanelli").update(status=Service.Status.INACTIVE)
    exported = {s["name"]: s for s in hsds_export(directory["officer"])}
    assert exported["DDAS Llanelli"]["status"] == "inactive"
    assert errors_of(exported["DDAS Llanelli"]) == []


def test_api_lists_hsds_services(directory: dict[str, Any]) -> None:
    response = demo_sign_in("officer").get("/api/v1/directory/services/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(SERVICES)
    assert all(errors_of(service) == [] for service in body["results"])


def test_api_refuses_anonymous_callers(directory: dict[str, Any]) -> None:
    response = Client().get("/api/v1/directory/services/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
