"""The service directory in the service navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pontio.core.navigation import NavItem, register

register(
    NavItem(
        _("Service directory"),
        "directory:search",
        "directory.search",
        order=30,
        section_prefix="/directory/",
    )
)
