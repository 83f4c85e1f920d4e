"""Service navigation by role: each app registers its sections; the header shows the allowed ones.

Apps register in ``AppConfig.ready`` so a new capability adds its link without touching the
base template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from pontio.core.permissions import has_permission


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str
    order: int = 100
    # URL prefix that marks the item as current (defaults to the item's own URL).
    section_prefix: str = ""


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def items_for(user: Any) -> list[NavItem]:
    return [item for item in _ITEMS if has_permission(user, item.permission)]


# Home dashboard panels: (permission, callable(user) -> dict for the panel template).
PanelBuilder = Callable[[Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    permission: str
    build: PanelBuilder
    order: int = 100
    # Shown only when no other panel has anything for the user (e.g. "nothing is waiting
    # for you yet"), so it never contradicts a panel that has work in it.
    fallback: bool = False


_PANELS: list[Panel] = []


def register_panel(panel: Panel) -> None:
    _PANELS.append(panel)
    _PANELS.sort(key=lambda p: p.order)


def panels_for(user: Any) -> list[dict[str, Any]]:
    """The dashboard panels of this user's roles, each with the work waiting for them."""
    built: list[dict[str, Any]] = []
    fallbacks: list[dict[str, Any]] = []
    for panel in _PANELS:
        if has_permission(user, panel.permission):
            content = panel.build(user)
            if content is not None:
                (fallbacks if panel.fallback else built).append(content)
    return built or fallbacks
