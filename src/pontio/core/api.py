"""API plumbing shared by every app: who may call, and errors as clear JSON.

The API uses the same session, second factor, roles and scopes as the pages; a denied call
is audited like a denied page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.core.concurrency import StaleVersionError
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction, record_request

if TYPE_CHECKING:
    from rest_framework.views import APIView

# No Pontio request body is nested deeper than a few levels (a referral's contact route is
# the deepest, at two); anything far deeper is a mistake or an attack.
MAX_JSON_DEPTH = 20


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists or objects more than ``limit`` deep (without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing (400) a body nested too deeply instead of failing with a
    RecursionError (a server error) in the decoder or in a serializer."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = _depth_exceeds(data, MAX_JSON_DEPTH)
        if too_deep:
            raise exceptions.ParseError(
                _("The request body is nested too deeply (more than %(n)s levels).")
                % {"n": MAX_JSON_DEPTH}
            )
        return data


class IsVerifiedStaff(BasePermission):
    """Signed in with both factors, active, in an organisation, and allowed the API."""

    message = _("Sign in with your password and security code to use the API.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        # A partner API token is the second factor of its service account (accounts.tokens).
        second_factor = is_partner_token(request) or getattr(user, "is_verified", lambda: False)()
        return bool(
            user and user.is_authenticated and second_factor and has_permission(user, "api.use")
        )


def is_partner_token(request: Request) -> bool:
    """Whether the request was authenticated by a partner API token (its ``request.auth``
    says so; the kernel does not import accounts)."""
    return bool(getattr(request.auth, "partner_token", False))


class TokenScope(BasePermission):
    """A partner token reaches only the parts of the API it was issued for: the view's
    ``token_scope`` ("api" unless the view says otherwise) must be among its scopes. Calls
    of signed-in people are not affected."""

    code = "token_scope"

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not is_partner_token(request):
            return True
        scope = getattr(view, "token_scope", "api")
        if scope in (getattr(request.auth, "scopes", None) or ()):
            return True
        self.message = _(
            "This API token may not be used here: it was not issued for the “%(scope)s” "
            "part of the API."
        ) % {"scope": scope}
        return False


class HasPermission(BasePermission):
    """Checks the view's ``required_permission`` in the roles table."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        permission = getattr(view, "required_permission", None)
        return permission is None or has_permission(request.user, permission)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's validation and stale-version errors; denials audited."""
    request = context.get("request")
    if isinstance(exc, StaleVersionError):
        return Response(
            {"detail": exc.messages[0], "code": "stale_version"}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    from pontio.core.access import BreakGlassRequired

    # The API has no reason form: out of scope is "not found", as on the pages.
    if isinstance(exc, (Http404, BreakGlassRequired)):
        exc = exceptions.NotFound()
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    # A partner token's refusals (unknown, expired, revoked, out of scope...) say which in
    # the body and in the audit log; the token itself is never recorded.
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    token_refusal = isinstance(code, str) and code.startswith("token_")
    if response is not None and token_refusal and isinstance(response.data, dict):
        response.data["code"] = code
    if response is not None and request is not None and response.status_code in (401, 403):
        reason = f"api: {request.path}" + (f" ({code})" if token_refusal else "")
        record_request(request, AuditAction.DENIED, reason=reason[:200])
    return response


# --- the OpenAPI description -------------------------------------------------------------

REFUSAL_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string", "nullable": True},
    },
    "required": ["detail"],
}


def document_refusals(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation says that it may answer 401
    and 429 (a partner token refused, or over its rate), 403
    (not signed in with both factors, or the role may not do this) and, where the path names
    a record, 404 (not found, or outside the caller's scope: the two look the same); a list
    in pages says 404 for a page that does not exist."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Refusal", REFUSAL_SCHEMA)
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            # Partner API tokens (accounts.tokens): a bad token is refused before anything
            # else, and a token's calls are limited per minute.
            responses.setdefault(
                "401",
                {
                    "description": str(
                        _(
                            "The partner API token is malformed, unknown, expired or revoked "
                            "(the code says which)."
                        )
                    ),
                    "content": ref,
                },
            )
            responses.setdefault(
                "429",
                {
                    "description": str(
                        _("Too many calls with this token: wait for the seconds in Retry-After.")
                    ),
                    "content": ref,
                },
            )
            responses.setdefault(
                "403",
                {
                    "description": str(
                        _("Not signed in with both factors, or your role may not do this.")
                    ),
                    "content": ref,
                },
            )
            if "{" in path:
                responses.setdefault(
                    "404",
                    {
                        "description": str(_("Not found, or outside your scope.")),
                        "content": ref,
                    },
                )
            elif _is_paged(operation):
                # DRF's page-number pagination answers a page past the end (or not a
                # number) with 404 "Invalid page."
                responses.setdefault(
                    "404",
                    {"description": str(_("No such page of the list.")), "content": ref},
                )
    return result


def _is_paged(operation: dict[str, Any]) -> bool:
    return any(
        parameter.get("in") == "query" and parameter.get("name") == "page"
        for parameter in operation.get("parameters", [])
    )


def messages_of(error: DjangoValidationError) -> dict[str, Any]:
    """A service's ValidationError as DRF-style field errors (non-field ones under
    ``non_field_errors``, with the refusal's code)."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == "__all__" else name): messages
            for name, messages in error.message_dict.items()
        }
    body: dict[str, Any] = {"non_field_errors": error.messages}
    if error.code:
        body["code"] = error.code
    return body


def refusal_codes(error: DjangoValidationError) -> str:
    """Which rules refused (their codes), never the text: for the audit."""
    if hasattr(error, "error_dict"):
        codes = [e.code or name for name, errors in error.error_dict.items() for e in errors]
    else:
        codes = [e.code or "invalid" for e in error.error_list]
    return ", ".join(sorted({str(c) for c in codes}))[:150]


def stale_version_response(current: int | None) -> Response:
    """409: the record changed since the caller read it; the body names the version now."""
    return Response(
        {
            "detail": _(
                "Someone else changed this record after you read it, so nothing was saved. "
                "Read it again, check their changes, then send your request again with "
                "version %(version)s."
            )
            % {"version": current},
            "code": "stale_version",
            "version": current,
        },
        status=status.HTTP_409_CONFLICT,
    )
