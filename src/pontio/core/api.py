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
from rest_framework import exceptions, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.core.concurrency import StaleVersionError
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction, record_request

if TYPE_CHECKING:
    from rest_framework.views import APIView


class IsVerifiedStaff(BasePermission):
    """Signed in with both factors, active, in an organisation, and allowed the API."""

    message = _("Sign in with your password and security code to use the API.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and getattr(user, "is_verified", lambda: False)()
            and has_permission(user, "api.use")
        )


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
    if response is not None and request is not None and response.status_code in (401, 403):
        record_request(request, AuditAction.DENIED, reason=f"api: {request.path}"[:200])
    return response
