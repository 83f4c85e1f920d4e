"""Refusals of the FHIR interface, answered as OperationOutcome resources.

Every refusal names an IssueType code (``codes.ISSUE_TYPE``) and says in plain, translated
words what is wrong and how to fix it. A refusal changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError


class FhirError(Exception):
    """A request the interface refuses: HTTP status, issue code and diagnostics."""

    def __init__(
        self, status: int, code: str, diagnostics: str, expression: str | None = None
    ) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.expression = expression


def invalid(diagnostics: str, expression: str | None = None, code: str = "invalid") -> FhirError:
    return FhirError(400, code, diagnostics, expression)


def unprocessable(diagnostics: str, expression: str | None = None) -> FhirError:
    """A well-formed resource the business rules refuse (FHIR: 422 Unprocessable Entity)."""
    return FhirError(422, "business-rule", diagnostics, expression)


def not_found(resource_type: str, pk: Any) -> FhirError:
    return FhirError(
        404,
        "not-found",
        _("There is no %(type)s with id %(id)s that you may see")
        % {"type": resource_type, "id": str(pk)[:20]},
    )


def structure(resource_type: str, error: PydanticValidationError) -> FhirError:
    """fhir.resources refused the body: where and why (its own words, in English)."""
    details = []
    for row in error.errors()[:5]:
        where = ".".join(str(part) for part in row.get("loc", ()) if part != "__root__")
        message = str(row.get("msg", "")).splitlines()[0][:200]
        details.append(f"{resource_type}.{where}: {message}" if where else message)
    return FhirError(
        400,
        "structure",
        _("The body is not a valid FHIR R4 %(type)s resource: %(details)s")
        % {"type": resource_type, "details": "; ".join(details)},
    )


def from_validation(error: ValidationError) -> FhirError:
    """A referrals service refused the change: its own translated messages, joined."""
    if hasattr(error, "error_dict"):
        messages = [str(m) for errors in error.message_dict.values() for m in errors]
    else:
        messages = [str(m) for m in error.messages]
    return unprocessable(" ".join(messages) or _("The change was refused"))
