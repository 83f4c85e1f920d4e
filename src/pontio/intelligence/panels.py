"""Sections other apps add to the assessment screen of an intelligence report.

Intelligence sits below operations (and examinations), so the assessment page cannot ask
them for their rows. Each registers a section here from its ``dashboard.py``:

    register_section("operations", _("Operations"), "operations/_intel_section.html", build)

``build(user, report)`` returns the template's context (read through ``restrict``) or
``None`` to show nothing. ``template`` may also be a callable ``(user, report) -> str`` of
ready HTML (escaped by its maker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str | Callable[[Any, Any], str]
    build: Callable[[Any, Any], dict[str, Any] | None] | None = None
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register_section(
    key: str,
    title: str | Promise,
    template: str | Callable[[Any, Any], str],
    build: Callable[[Any, Any], dict[str, Any] | None] | None = None,
    *,
    order: int = 100,
) -> None:
    _SECTIONS[key] = Section(key, title, template, build, order)


def sections_for(user: Any, report: Any) -> list[dict[str, Any]]:
    """The registered sections with their context, in order; those with nothing left out.

    Each item: ``key``, ``title`` and either ``template`` (with ``context``) or ``html``."""
    shown: list[dict[str, Any]] = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        if callable(section.template):
            html = section.template(user, report)
            if html:
                shown.append({"key": section.key, "title": section.title, "html": html})
            continue
        context = section.build(user, report) if section.build else {}
        if context is None:
            continue
        shown.append(
            {
                "key": section.key,
                "title": section.title,
                "template": section.template,
                "context": context,
            }
        )
    return shown
