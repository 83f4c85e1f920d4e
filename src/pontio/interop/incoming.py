"""Incoming FHIR bodies: parsed by fhir.resources, codes checked here, turned into the values
the referrals services take. Nothing is written here.

A Task update may change only what the provider decides: ``status``, ``statusReason`` (a
Pontio reason code, needed for a rejection, hold or closure; its ``text`` is the provider's
words), and ``output`` (the outcome for the police, and the assessment and treatment start
dates a planned completion needs). The other elements are Pontio's: a body that changes
what the Task is for (``for``, ``focus``, ``basedOn``, ``intent``) is refused.

A PATCH is applied to the Task as Pontio holds it (a JSON Patch, RFC 6902, or a partial
Task whose elements replace Pontio's), then checked as a full update.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from pontio.interop import codes
from pontio.interop.errors import FhirError, invalid, structure, unprocessable
from pontio.interop.resources import MODELS
from pontio.referrals import lifecycle
from pontio.referrals.models import OutcomeAgainstReason


def parsed(body: Any, resource_type: str) -> dict[str, Any]:
    """``body`` as a ``resource_type`` resource, validated by fhir.resources (raw dict)."""
    if not isinstance(body, dict):
        raise invalid(_("The body must be one FHIR resource as a JSON object"), code="structure")
    found = body.get("resourceType")
    if found != resource_type:
        raise invalid(
            _("The body must be a %(expected)s resource, not “%(found)s”")
            % {"expected": resource_type, "found": str(found)[:40]},
            expression="resourceType",
        )
    try:
        MODELS[resource_type].model_validate(body)
    except PydanticValidationError as error:
        raise structure(resource_type, error) from error
    return body


def check_id(body: dict[str, Any], pk: int, resource_type: str) -> None:
    """An update names the resource it updates (FHIR RESTful API, update)."""
    if str(body.get("id", "")) != str(pk):
        raise invalid(
            _("The %(type)s's id must be %(id)s, the id in the address")
            % {"type": resource_type, "id": pk},
            expression=f"{resource_type}.id",
        )


def _codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, dict)]


def pontio_code(concept: Any, system_name: str, expression: str) -> str | None:
    """The code of the coding in Pontio's ``system_name`` code system; None if absent."""
    codings = _codings(concept)
    if not codings:
        return None
    wanted = codes.code_system(system_name)
    for coding in codings:
        if coding.get("system") == wanted and coding.get("code"):
            return str(coding["code"])
    raise invalid(
        _("Use a coding with system %(system)s") % {"system": wanted},
        expression=expression,
        code="code-invalid",
    )


@dataclass(frozen=True)
class TaskChange:
    status: str
    code: str | None
    reason: str
    outcome: str
    summary: str
    assessed_on: dt.date | None
    treatment_started_on: dt.date | None


REFERENCE_ELEMENTS = ("for", "focus")


def _check_same(body: dict[str, Any], current: dict[str, Any]) -> None:
    for name in REFERENCE_ELEMENTS:
        given = body.get(name)
        if given is not None and (given or {}).get("reference") != current[name]["reference"]:
            raise unprocessable(
                _("%(element)s cannot change: it must be %(reference)s")
                % {"element": f"Task.{name}", "reference": current[name]["reference"]},
                expression=f"Task.{name}",
            )
    based_on = body.get("basedOn")
    if based_on is not None:
        references = [(b or {}).get("reference") for b in based_on]
        if references != [b["reference"] for b in current["basedOn"]]:
            raise unprocessable(
                _("%(element)s cannot change: it must be %(reference)s")
                % {"element": "Task.basedOn", "reference": current["basedOn"][0]["reference"]},
                expression="Task.basedOn",
            )


def _date(value: Any, expression: str) -> dt.date:
    day = parse_date(value) if isinstance(value, str) else None
    if day is None:
        raise invalid(_("Give a date as YYYY-MM-DD"), expression=expression)
    return day


def _outputs(body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for index, row in enumerate(body.get("output") or []):
        where = f"Task.output[{index}]"
        kind = pontio_code(row.get("type"), codes.TASK_OUTPUT, f"{where}.type")
        if kind not in codes.OUTPUT_TYPES:
            raise invalid(
                _("Task.output type “%(code)s” is not one of %(codes)s")
                % {"code": str(kind)[:40], "codes": ", ".join(sorted(codes.OUTPUT_TYPES))},
                expression=f"{where}.type",
                code="code-invalid",
            )
        if kind in found:
            raise invalid(
                _("Give the Task.output “%(code)s” once") % {"code": kind}, expression=where
            )
        if kind == codes.OUTPUT_OUTCOME:
            value = pontio_code(row.get("valueCodeableConcept"), codes.OUTCOME, where)
            if value not in OutcomeAgainstReason.values:
                raise invalid(
                    _("The outcome must be one of %(codes)s")
                    % {"codes": ", ".join(OutcomeAgainstReason.values)},
                    expression=f"{where}.valueCodeableConcept",
                    code="code-invalid",
                )
            found[kind] = value
        elif kind == codes.OUTPUT_SUMMARY:
            if not isinstance(row.get("valueString"), str):
                raise invalid(
                    _("The summary for the police is a valueString"),
                    expression=f"{where}.valueString",
                )
            found[kind] = row["valueString"]
        else:
            found[kind] = _date(row.get("valueDate"), f"{where}.valueDate")
    return found


def task_change(
    body: Any, pk: int, current: dict[str, Any], current_code: str | None
) -> TaskChange:
    """A full Task from the provider, checked, as the change it asks for."""
    body = parsed(body, "Task")
    check_id(body, pk, "Task")
    status = body.get("status")
    if not codes.is_code("Task.status", status):
        raise invalid(
            _("“%(code)s” is not a FHIR R4 Task status") % {"code": str(status)[:40]},
            expression="Task.status",
            code="code-invalid",
        )
    if status in codes.UNUSED_TASK_STATUS:
        raise unprocessable(
            _("Pontio does not use the Task status “%(code)s”") % {"code": status},
            expression="Task.status",
        )
    intent = body.get("intent")
    if not codes.is_code("Task.intent", intent):
        raise invalid(
            _("“%(code)s” is not a FHIR R4 Task intent") % {"code": str(intent)[:40]},
            expression="Task.intent",
            code="code-invalid",
        )
    if intent != "order":
        raise unprocessable(_("Task.intent must be “order”"), expression="Task.intent")
    _check_same(body, current)
    reason = body.get("statusReason") or {}
    code = pontio_code(reason, codes.REFERRAL_CODE, "Task.statusReason")
    if (
        code is not None
        and code == current_code
        and (status == current["status"] or status not in lifecycle.NEEDS_CODE)
    ):
        code = None  # the reason already recorded, sent back unchanged with the Task
    words = str(reason.get("text") or "") if code is not None else ""
    if words and words == reason_label(reason):
        words = ""  # the code's own label, as Pontio wrote it, is not the provider's words
    outputs = _outputs(body)
    return TaskChange(
        status=str(status),
        code=code,
        reason=words,
        outcome=outputs.get(codes.OUTPUT_OUTCOME, ""),
        summary=outputs.get(codes.OUTPUT_SUMMARY, ""),
        assessed_on=outputs.get(codes.OUTPUT_ASSESSMENT),
        treatment_started_on=outputs.get(codes.OUTPUT_TREATMENT_START),
    )


def reason_label(concept: dict[str, Any]) -> str:
    codings = _codings(concept)
    return str(codings[0].get("display") or "") if codings else ""


# --- PATCH -------------------------------------------------------------------------------

_POINTER = re.compile(r"^(/[^/]*)+$")


def _tokens(path: Any) -> list[str]:
    if not isinstance(path, str) or not _POINTER.match(path):
        raise invalid(_("“%(path)s” is not a JSON Pointer") % {"path": str(path)[:60]})
    return [t.replace("~1", "/").replace("~0", "~") for t in path.split("/")[1:]]


def _parent(document: Any, tokens: list[str], path: str) -> tuple[Any, str]:
    target = document
    for token in tokens[:-1]:
        try:
            target = target[int(token)] if isinstance(target, list) else target[token]
        except (KeyError, IndexError, ValueError, TypeError) as error:
            raise invalid(_("The path %(path)s does not exist") % {"path": path[:60]}) from error
    return target, tokens[-1]


def json_patch(document: dict[str, Any], operations: Any) -> dict[str, Any]:
    """Apply a JSON Patch (RFC 6902: add, remove, replace, test) to a copy of ``document``."""
    if not isinstance(operations, list) or not operations:
        raise invalid(_("A JSON Patch is a list of operations"))
    result = copy.deepcopy(document)
    for operation in operations:
        if not isinstance(operation, dict) or operation.get("op") not in (
            "add",
            "remove",
            "replace",
            "test",
        ):
            raise invalid(_("Each JSON Patch operation must be add, remove, replace or test"))
        path = str(operation.get("path", ""))
        tokens = _tokens(operation.get("path"))
        if not tokens or tokens[0] in ("id", "resourceType", "meta"):
            raise unprocessable(_("The path %(path)s cannot be changed") % {"path": path[:60]})
        parent, key = _parent(result, tokens, path)
        op = operation["op"]
        if op != "remove" and "value" not in operation:
            raise invalid(
                _("The JSON Patch operation on %(path)s needs a value") % {"path": path[:60]}
            )
        try:
            if isinstance(parent, list):
                index = len(parent) if key == "-" else int(key)
                if op == "add":
                    parent.insert(index, operation["value"])
                elif op == "remove":
                    del parent[index]
                elif op == "replace":
                    parent[index] = operation["value"]
                elif parent[index] != operation["value"]:
                    raise FhirError(
                        409, "conflict", _("The test on %(path)s failed") % {"path": path[:60]}
                    )
            elif isinstance(parent, dict):
                if op in ("remove", "replace", "test") and key not in parent:
                    raise KeyError(key)
                if op == "remove":
                    del parent[key]
                elif op in ("add", "replace"):
                    parent[key] = operation["value"]
                elif parent[key] != operation["value"]:
                    raise FhirError(
                        409, "conflict", _("The test on %(path)s failed") % {"path": path[:60]}
                    )
            else:
                raise TypeError(key)
        except (KeyError, IndexError, ValueError, TypeError) as error:
            raise invalid(_("The path %(path)s does not exist") % {"path": path[:60]}) from error
    return result


def merge_partial(document: dict[str, Any], partial: Any, resource_type: str) -> dict[str, Any]:
    """A partial resource (``{"resourceType": "Task", "status": "accepted"}``): its elements
    replace Pontio's."""
    if not isinstance(partial, dict) or partial.get("resourceType") != resource_type:
        raise invalid(
            _("Send a JSON Patch (application/json-patch+json) or a partial %(type)s")
            % {"type": resource_type},
            expression="resourceType",
        )
    result = copy.deepcopy(document)
    for key, value in partial.items():
        if key == "meta":
            continue  # Pontio's (the version is named by If-Match)
        if key == "id" and str(value) != str(document.get("id")):
            raise unprocessable(_("The path %(path)s cannot be changed") % {"path": "/id"})
        result[key] = value
    return result
