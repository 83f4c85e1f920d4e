"""What other apps show on a person's page: buttons and sections, registered by those apps.

People is below every capability built on it, so the person page cannot ask the referrals or
stop and search apps for their rows. Instead each of them registers, from its
``dashboard.py``, a ``PersonAction`` (a button at the top of the page, such as "Refer to
support") and a ``PersonPanel`` (a section with its own template and rows, such as the
person's referrals). The builders read through ``restrict``, so a panel shows only what the
user may see; a builder that returns ``None`` shows nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from pontio.core.permissions import has_permission


@dataclass(frozen=True)
class PersonAction:
    label: str | Promise
    permission: str
    url: Callable[[Any], str]  # person -> address
    order: int = 100
    primary: bool = False


@dataclass(frozen=True)
class PersonPanel:
    key: str
    template: str
    build: Callable[[Any, Any], dict[str, Any] | None]  # (user, person) -> template context
    order: int = 100


_ACTIONS: dict[str, PersonAction] = {}
_PANELS: dict[str, PersonPanel] = {}


def register_action(action: PersonAction) -> None:
    _ACTIONS[str(action.permission)] = action


def register_panel(panel: PersonPanel) -> None:
    _PANELS[panel.key] = panel


def buttons_for(user: Any, person: Any) -> list[dict[str, Any]]:
    """The registered buttons the user may use on an active person's page, in order. (What
    the user may do on the record itself is ``people.actions.actions_for``.)"""
    if not person.is_active:
        return []
    return [
        {"label": a.label, "url": a.url(person), "primary": a.primary}
        for a in sorted(_ACTIONS.values(), key=lambda a: a.order)
        if has_permission(user, a.permission)
    ]


def panels_for(user: Any, person: Any) -> list[dict[str, Any]]:
    """Each registered section with its rows, in order; those with nothing to show left out."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        content = panel.build(user, person)
        if content is not None:
            shown.append({"template": panel.template, **content})
    return shown
