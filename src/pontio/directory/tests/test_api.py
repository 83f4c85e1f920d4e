"""The OpenAPI description of the directory API says what the list really answers."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from pontio.directory.selectors import hsds_export


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _component(schema: dict[str, Any]) -> dict[str, Any]:
    return schema["components"]["schemas"]["HsdsService"]


def test_optional_fields_are_not_required(schema: dict[str, Any]) -> None:
    required = set(_component(schema)["required"])
    optional = {"maximum_age", "minimum_age", "alternate_name", "application_process"}
    assert not optional & required


def test_every_required_field_is_in_every_exported_service(
    directory: dict[str, Any], schema: dict[str, Any]
) -> None:
    component = _component(schema)
    for service in hsds_export(directory["officer"]):
        missing = set(component["required"]) - set(service)
        assert missing == set(), service["name"]
        assert set(service) <= set(component["properties"]), service["name"]


def test_the_list_lists_its_refusals_and_parameters(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/v1/directory/services/"]["get"]
    assert {"200", "400", "403"} <= set(operation["responses"])
    parameters = {p["name"]: p["schema"]["type"] for p in operation["parameters"]}
    assert parameters == {
        "age": "integer",
        "county": "string",
        "criminal_justice_only": "boolean",
        "page": "integer",
        "place": "string",
        "pontio_only": "boolean",
        "substance": "string",
    }
