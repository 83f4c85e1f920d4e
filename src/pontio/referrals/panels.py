"""What other apps show on the provider's referral page: sections registered by those apps.

Referrals is below every process built on it (custody, disposals...), so the referral page
cannot ask them for their rows. Instead each registers, from its ``dashboard.py``, a
``ReferralPanel``: a template and a builder ``(user, referral) -> context``. Builders read
through ``restrict``, so a section shows only what the user may see; a builder that returns
``None`` shows nothing (a referral that did not come from that process).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReferralPanel:
    key: str
    template: str
    build: Callable[[Any, Any], dict[str, Any] | None]  # (user, referral) -> template context
    order: int = 100


_PANELS: dict[str, ReferralPanel] = {}


def register_referral_panel(panel: ReferralPanel) -> None:
    _PANELS[panel.key] = panel


def panels_for(user: Any, referral: Any) -> list[dict[str, Any]]:
    """Each registered section with its context, in order; those with nothing to show left
    out."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        content = panel.build(user, referral)
        if content is not None:
            shown.append({"template": panel.template, **content})
    return shown
