"""Scopes of the kernel's models.

- Reference data (counties): everyone signed in reads it; administrators change it.
- The Notify outbox: a message is its recipient's to see (a link only), and every one is
  the administrators' (``core.view_notifications``); nobody changes one through a page (the
  task worker sends them).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from pontio.core.models import County, Notification
from pontio.core.permissions import has_permission
from pontio.core.scopes import scope_policy


@scope_policy(County)
def county_scope(user: Any, action: str) -> Q | None:
    if action == "view":
        return Q()
    if action == "change" and has_permission(user, "core.manage_reference_data"):
        return Q()
    return None


@scope_policy(Notification)
def notification_scope(user: Any, action: str) -> Q | None:
    if action == "view":
        # Administrators read every one in the outbox (local mode records them there).
        if has_permission(user, "core.view_notifications"):
            return Q()
        return Q(recipient_user_id=user.pk)
    return None
