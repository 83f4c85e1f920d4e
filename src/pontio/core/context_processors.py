"""Template context for every page: navigation of the user's roles and the language switch."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from pontio.core.navigation import items_for


def language_switch_links(request: HttpRequest) -> list[dict[str, Any]]:
    """Links to the same page in each language (GOV.UK language navigation)."""
    current = (get_language() or "en")[:2]
    here = request.get_full_path()
    links = []
    for code, name in settings.LANGUAGES:
        links.append(
            {
                "code": code,
                "name": name,
                "current": code == current,
                "url": reverse("core:language", kwargs={"code": code})
                + "?"
                + urlencode({"next": here}),
            }
        )
    return links


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    found: list[tuple[dict[str, Any], str, bool]] = []
    if user is not None and user.is_authenticated:
        for item in items_for(user):
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            prefix = item.section_prefix or url
            matches = request.path == url if url == "/" else request.path.startswith(prefix)
            found.append(({"label": item.label, "url": url, "current": False}, prefix, matches))
    # Only the most specific section is current (/stop-search/reviews/ over /stop-search/).
    best = max((len(prefix) for _entry, prefix, matches in found if matches), default=0)
    for entry, prefix, matches in found:
        entry["current"] = matches and len(prefix) == best
    nav = [entry for entry, _prefix, _matches in found]
    return {
        "service_navigation": nav,
        "language_links": language_switch_links(request),
        "language_offer": language_offer(request),
        "service_name": settings.PONTIO_SERVICE_NAME,
    }


def language_offer(request: HttpRequest) -> dict[str, Any] | None:
    """When a signed-in user reads Pontio in a language their account does not name (they
    chose it on the sign-in page, or with the switch), offer to save it to the account.
    Worked out from the request alone: showing it writes nothing."""
    user = getattr(request, "user", None)
    preferred = getattr(user, "preferred_language", "") if user is not None else ""
    if not preferred or not getattr(user, "is_authenticated", False):
        return None
    current = (get_language() or "en")[:2]
    if current == preferred or current not in dict(settings.LANGUAGES):
        return None
    return {
        "code": current,
        "name": dict(settings.LANGUAGES)[current],
        "next": request.get_full_path(),
    }
