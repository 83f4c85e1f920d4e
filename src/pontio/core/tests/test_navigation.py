"""Home panels: a fallback panel shows only when no other panel has something to say."""

from __future__ import annotations

from typing import Any

import pytest

from pontio.core import navigation
from pontio.core.navigation import Panel


class Someone:
    is_authenticated = True
    is_active = True
    organisation_id = 1
    role_set = frozenset({"officer"})


@pytest.fixture
def panels(monkeypatch: pytest.MonkeyPatch) -> list[Panel]:
    registered: list[Panel] = []
    monkeypatch.setattr(navigation, "_PANELS", registered)
    monkeypatch.setattr(navigation, "has_permission", lambda user, permission: True)
    return registered


def _panel(title: str) -> Any:
    return lambda user: {"title": title, "items": []}


def test_the_fallback_is_shown_when_nothing_else_is(panels: list[Panel]) -> None:
    navigation.register_panel(Panel("api.use", _panel("Your account"), fallback=True))
    assert [p["title"] for p in navigation.panels_for(Someone())] == ["Your account"]


def test_the_fallback_is_left_out_beside_another_panel(panels: list[Panel]) -> None:
    navigation.register_panel(Panel("api.use", _panel("Your account"), order=1000, fallback=True))
    navigation.register_panel(Panel("referrals.view", _panel("Referrals"), order=10))
    assert [p["title"] for p in navigation.panels_for(Someone())] == ["Referrals"]


def test_a_panel_that_builds_nothing_does_not_hide_the_fallback(panels: list[Panel]) -> None:
    navigation.register_panel(Panel("api.use", _panel("Your account"), fallback=True))
    navigation.register_panel(Panel("referrals.view", lambda user: None))
    assert [p["title"] for p in navigation.panels_for(Someone())] == ["Your account"]
