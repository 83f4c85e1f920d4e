"""Sections other apps add to an operation's page (a registry: the apps above operations,
such as examinations, register here from their ``dashboard.py``; operations imports none of
them). ``build(user, operation)`` gives the template's context, or None to show nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from pontio.core.permissions import has_permission

SectionBuilder = Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str
    build: SectionBuilder
    permission: str = "operations.view"
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections_for(user: Any, operation: Any) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = []
    for section in sorted(_SECTIONS.values(), key=lambda s: s.order):
        if not has_permission(user, section.permission):
            continue
        content = section.build(user, operation)
        if content is not None:
            shown.append(
                {
                    "key": section.key,
                    "title": section.title,
                    "template": section.template,
                    **content,
                }
            )
    return shown
