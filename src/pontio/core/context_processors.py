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
    nav = []
    if user is not None and user.is_authenticated:
        for item in items_for(user):
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            prefix = item.section_prefix or url
            current = request.path == url if url == "/" else request.path.startswith(prefix)
            nav.append({"label": item.label, "url": url, "current": current})
    return {
        "service_navigation": nav,
        "language_links": language_switch_links(request),
        "service_name": settings.PONTIO_SERVICE_NAME,
    }
