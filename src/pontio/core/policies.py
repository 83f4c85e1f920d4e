"""Scope of reference data: everyone signed in reads it; administrators change it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from pontio.core.models import County
from pontio.core.permissions import has_permission
from pontio.core.scopes import scope_policy


@scope_policy(County)
def county_scope(user: Any, action: str) -> Q | None:
    if action == "view":
        return Q()
    if action == "change" and has_permission(user, "core.manage_reference_data"):
        return Q()
    return None
