"""Sections of the referral page that the daily-work features add (notes, the amendment
changelog, questions to the police, transfers), shown to both sides.

Each feature registers a ``ReferralSection``: a template and a builder
``(user, referral, party) -> context``. A builder reads through ``restrict`` and returns
``None`` when it has nothing to show that side, so the page view stays the same whichever
features are present, and each feature keeps its rows and its queries to itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReferralSection:
    key: str
    template: str
    build: Callable[[Any, Any, str], dict[str, Any] | None]  # (user, referral, party)
    order: int = 100


_SECTIONS: dict[str, ReferralSection] = {}


def register_section(section: ReferralSection) -> None:
    _SECTIONS[section.key] = section


def sections_for(user: Any, referral: Any, party: str) -> list[dict[str, Any]]:
    """Each registered section with its context, in order; those with nothing left out."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: s.order):
        content = section.build(user, referral, party)
        if content is not None:
            shown.append({"template": section.template, **content})
    return shown
