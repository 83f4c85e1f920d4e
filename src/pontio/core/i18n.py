"""Language helpers shared by the language switch, sign-in and account pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.translation import get_language


def set_language_cookie(response: HttpResponseBase, code: str) -> None:
    """Remember the language for this browser (read by Django's LocaleMiddleware)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# Set by the language switch before sign-in: the language the person chose on the sign-in
# page, which the session then starts in (whatever an earlier user of the browser chose).
CHOSEN_BEFORE_SIGN_IN_COOKIE = "pontio_language_chosen"
CHOSEN_BEFORE_SIGN_IN_SECONDS = 3600


def remember_choice_before_sign_in(response: HttpResponseBase, code: str) -> None:
    response.set_cookie(
        CHOSEN_BEFORE_SIGN_IN_COOKIE,
        code,
        max_age=CHOSEN_BEFORE_SIGN_IN_SECONDS,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def in_active_language(english: str, welsh: str) -> str:
    """The Welsh text when the page is in Welsh and there is one; otherwise the English."""
    if welsh and (get_language() or "en").startswith("cy"):
        return welsh
    return english
