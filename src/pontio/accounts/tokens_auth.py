"""Partner tokens at the door: DRF authentication, the per-token rate limit, and the audit
event written for every call made with a token.

The audit event is written by a middleware (``PartnerTokenAuditMiddleware``), not by each
view: the authentication class marks the Django request with the token, and the middleware,
which sees every response whatever produced it (a view, a refusal, a throttle, an error),
records one event per call with its status code. A call refused at the door (401) never
reaches that far as a token call; the API's exception handler audits it as a denial, with
the refusal's code and never the token (``core.api.exception_handler``).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from pontio.accounts.tokens import ApiToken, TokenEvent, hash_token, parse_token
from pontio.audit.services import AuditContext, audit_record

REALM = 'Bearer realm="pontio"'
DEFAULT_RATE = "300/min"
# The Django request carries the token it was authenticated with, for the audit middleware.
REQUEST_ATTRIBUTE = "partner_token"


def _bearer(request: Any) -> str | None:
    """The credentials of an ``Authorization: Bearer ...`` header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, credentials = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


def _refuse(message: str, code: str) -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(message, code=code)


class PartnerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer pontio_<prefix>_<secret>``; returns (service account, token).

    A request without a Bearer header is left to the next class (the session), unchanged.
    """

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        credentials = _bearer(request)
        if credentials is None:
            return None
        parsed = parse_token(credentials)
        if parsed is None:
            raise _refuse(
                _(
                    "The API token is not in the right form. Send the whole token, as "
                    "'Authorization: Bearer pontio_...'."
                ),
                "token_malformed",
            )
        prefix, _secret = parsed
        token = (
            ApiToken.objects.select_related("user", "organisation").filter(prefix=prefix).first()
        )
        presented = hash_token(credentials)
        # Compared in constant time, so the response time says nothing about the hash.
        if token is None or not hmac.compare_digest(presented, token.secret_hash):
            raise _refuse(_("This API token is not recognised."), "token_unknown")
        if token.revoked_at is not None:
            raise _refuse(
                _("This API token has been revoked. Ask an administrator for a new one."),
                "token_revoked",
            )
        if token.expires_at <= timezone.now():
            raise _refuse(
                _("This API token has expired. Ask an administrator for a new one."),
                "token_expired",
            )
        if not token.user.is_active or not token.organisation.is_active:
            raise _refuse(
                _("The account or organisation of this API token is closed."), "token_inactive"
            )
        setattr(request._request, REQUEST_ATTRIBUTE, token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str | None:
        """401 with a challenge for a caller that sent a Bearer token; a caller that sent
        none keeps the session's answer (403), as before tokens existed."""
        return REALM if _bearer(request) is not None else None


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI description (registered with drf-spectacular on import)."""

    target_class = "pontio.accounts.tokens_auth.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner API token issued by a Pontio administrator: "
            "Authorization: Bearer pontio_<id>_<secret>.",
        }


class PartnerTokenThrottle(SimpleRateThrottle):
    """Calls per token, at ``settings.PONTIO_PARTNER_RATE`` (default 300 a minute); a
    signed-in person is never throttled by it. DRF answers 429 with Retry-After."""

    scope = "partner_token"

    def get_rate(self) -> str:
        return str(getattr(settings, "PONTIO_PARTNER_RATE", DEFAULT_RATE))

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        auth = request.auth
        if not getattr(auth, "partner_token", False):
            return None
        return self.cache_format % {"scope": self.scope, "ident": auth.pk}


class PartnerTokenAuditMiddleware:
    """One audit event per call made with a partner token: the service account, its
    organisation, the token's prefix, the method, the path (never the query string, which
    may carry search terms) and the status code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token: ApiToken | None = getattr(request, REQUEST_ATTRIBUTE, None)
        if token is not None:
            audit_record(
                context=AuditContext.from_request(request),
                action=TokenEvent.CALL,
                obj=token,
                reason=(
                    f"token {token.prefix}: {request.method} {request.path} {response.status_code}"
                )[:500],
            )
        return response
