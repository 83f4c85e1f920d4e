"""How the referrals API answers a refusal: 400 with the service's messages by field, 409 for
a stale version (saying which version to send), 422 for a reused Idempotency-Key; each
refusal audited as a denial, like on the pages. Also the documented answers of every
operation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.accounts.models import User
from pontio.core.api import messages_of, stale_version_response
from pontio.core.concurrency import StaleVersionError
from pontio.core.models import VersionedModel
from pontio.referrals import selectors
from pontio.referrals.api.serializers import ErrorSerializer, StaleSerializer
from pontio.referrals.models import Referral
from pontio.referrals.refusals import audit_refusal
from pontio.referrals.services import CONTACT_FIELDS

# --- the documented answers -------------------------------------------------------------

IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    description=(
        "A key you make for this referral (for example a UUID), at most 80 characters. "
        "Sending the same key again with the same referral returns the referral already "
        "made (200) instead of making another; the same key with a different referral is "
        "refused (422)."
    ),
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Not found, or outside your scope.")
PAGE_NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such page of the list.")
REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Refused: the service's messages, by field."
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Your role may not do this.")
STALE = OpenApiResponse(
    StaleSerializer, description="Someone else changed the record: read it again."
)
KEY_REUSED = OpenApiResponse(
    ErrorSerializer,
    description="The Idempotency-Key was already used for a different referral "
    "(code idempotency_key_reused).",
)

# --- answers ------------------------------------------------------------------------------


def user_of(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def refused(request: Request, referral: Referral, error: ValidationError) -> Response:
    audit_refusal(request, error, referral=referral)
    return Response(messages_of(error), status=status.HTTP_400_BAD_REQUEST)


def stale(
    request: Request,
    referral: Referral,
    error: StaleVersionError,
    record: VersionedModel | None = None,
) -> Response:
    audit_refusal(request, error, referral=referral)
    record = record or referral
    current = selectors.version_of(type(record), record.pk, user_of(request))
    return stale_version_response(current)


def key_refused(error: ValidationError) -> Response | None:
    """The answer to a refused Idempotency-Key (missing, too long: 400; reused: 422)."""
    if hasattr(error, "error_dict") or not error.code or not error.code.startswith("idempotency"):
        return None
    reused = error.code == "idempotency_key_reused"
    answer = status.HTTP_422_UNPROCESSABLE_ENTITY if reused else status.HTTP_400_BAD_REQUEST
    return Response({"detail": error.messages[0], "code": error.code}, status=answer)


# The create service's field names, where they appear in the request body (``contact.*``).
CONTACT_ERRORS = {kept: name for name, kept in CONTACT_FIELDS.items()} | {"contact_times": "times"}


def create_errors(error: ValidationError) -> dict[str, Any]:
    """The create service's field names mapped onto the request body (``contact.*``)."""
    body = messages_of(error)
    contact: dict[str, Any] = {}
    for service_name, api_name in CONTACT_ERRORS.items():
        if service_name in body:
            contact[api_name] = body.pop(service_name)
    # The route as a whole (no phone, address or release plan) is a contact error too.
    if "non_field_errors" in body and hasattr(error, "error_dict"):
        contact["non_field_errors"] = body.pop("non_field_errors")
    if contact:
        body["contact"] = contact
    return body
