"""Session rules: sign-in required by default, idle and absolute timeouts, expiry notices.

Every page needs a fully signed-in user (password and one-time code) unless its view is
marked ``@login_not_required`` (Django 5.1+). The API is left to DRF's permission classes
so that it answers with JSON, not a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.events import AccountEvent
from pontio.accounts.services import SESSION_SIGNED_IN_AT
from pontio.audit.services import AuditContext, audit_record

Handler = Callable[[HttpRequest], HttpResponse]

# A signed cookie saying "this browser had a session for user N": when the session has
# gone but the cookie is still here, the session expired (rather than never existing).
MARKER_COOKIE = "pontio_signed_in"
MARKER_SALT = "pontio.accounts.session-marker"


def set_marker(response: HttpResponse, user_id: int) -> None:
    response.set_signed_cookie(
        MARKER_COOKIE,
        str(user_id),
        salt=MARKER_SALT,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def clear_marker(response: HttpResponse) -> None:
    response.delete_cookie(MARKER_COOKIE, samesite="Lax")


def _expired_session_user(request: HttpRequest) -> int | None:
    try:
        value = request.get_signed_cookie(MARKER_COOKIE, salt=MARKER_SALT)
    except (KeyError, signing.BadSignature):
        return None
    return int(value) if value and value.isdigit() else None


SESSION_REFRESHED_AT = "pontio_refreshed_at"


def refresh_idle_expiry(request: HttpRequest) -> None:
    """Mark the session for saving (which moves its expiry) when its last save is old.

    Saving on every request would make every page view a database write; saving at most
    once per refresh interval keeps the idle timeout to within that interval (D62).
    """
    session = request.session
    if session.modified:
        session[SESSION_REFRESHED_AT] = timezone.now().isoformat()
        return
    last = session.get(SESSION_REFRESHED_AT)
    interval = timedelta(seconds=settings.PONTIO_SESSION_REFRESH_SECONDS)
    if not last or timezone.now() - datetime.fromisoformat(last) >= interval:
        session[SESSION_REFRESHED_AT] = timezone.now().isoformat()


class SessionPolicyMiddleware:
    """Ends sessions past the absolute limit and tells the user when a session has ended."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ended_for: int | None = None
        user = request.user
        if user.is_authenticated:
            started = request.session.get(SESSION_SIGNED_IN_AT)
            limit = timedelta(hours=settings.PONTIO_SESSION_ABSOLUTE_HOURS)
            if not started or timezone.now() - datetime.fromisoformat(started) > limit:
                ended_for = user.pk
                logout(request)
        elif MARKER_COOKIE in request.COOKIES:
            ended_for = _expired_session_user(request)

        if ended_for is not None:
            audit_record(
                context=AuditContext.from_request(request),
                action=AccountEvent.SESSION_EXPIRED,
                object_type="accounts.user",
                object_id=str(ended_for),
            )
            messages.info(
                request,
                _(
                    "Your session has ended, either because it was not used for a while or "
                    "because you signed out on another device. Sign in again."
                ),
            )

        response = self.get_response(request)
        if getattr(request, "partner_token", None) is not None:
            return response  # a partner token's call has no session (accounts.tokens_auth)
        if request.user.is_authenticated:
            refresh_idle_expiry(request)
            set_marker(response, request.user.pk)
        elif MARKER_COOKIE in request.COOKIES or ended_for is not None:
            clear_marker(response)
        return response


class RequireVerifiedStaffMiddleware:
    """Pages need a user who passed both factors, unless the view opts out."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True):
            return None
        if request.path.startswith(("/api/", settings.STATIC_URL)):
            return None
        user = request.user
        if user.is_authenticated and user.is_verified():  # type: ignore[attr-defined]
            return None
        if user.is_authenticated:
            logout(request)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")


class BreakGlassMiddleware:
    """Sends a user who may break glass to the reason form instead of a "not found" page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from pontio.core.access import BreakGlassRequired

        if not isinstance(exception, BreakGlassRequired):
            return None
        url = reverse(
            "accounts:break-glass",
            kwargs={"model_label": exception.model._meta.label_lower, "pk": exception.object_id},
        )
        return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
