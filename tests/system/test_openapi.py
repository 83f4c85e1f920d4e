"""The OpenAPI description says what each operation may answer, refusals included."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
    ]


def test_every_operation_lists_the_403_answer(schema: dict[str, Any]) -> None:
    missing = [
        f"{m.upper()} {p}" for p, m, op in _operations(schema) if "403" not in op["responses"]
    ]
    assert missing == []


def test_every_operation_on_a_record_lists_the_404_answer(schema: dict[str, Any]) -> None:
    missing = [
        f"{m.upper()} {p}"
        for p, m, op in _operations(schema)
        if "{" in p and "404" not in op["responses"]
    ]
    assert missing == []


def test_the_refusal_schema_is_described(schema: dict[str, Any]) -> None:
    refusal = schema["components"]["schemas"]["Refusal"]
    assert refusal["required"] == ["detail"]
