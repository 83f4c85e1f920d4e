"""Webhooks in the administrator's service navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from pontio.core.navigation import NavItem, register

register(
    NavItem(
        gettext_lazy("Webhooks"),
        "webhooks:subscription-list",
        "webhooks.manage",
        order=88,
        section_prefix="/webhooks/",
    )
)
