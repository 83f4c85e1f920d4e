"""The kernel's own entries in the service navigation: home and reference data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pontio.core.navigation import NavItem, register

register(NavItem(_("Home"), "core:home", "api.use", order=0))
register(
    NavItem(
        _("Reference data"),
        "core:county-list",
        "core.manage_reference_data",
        order=90,
        section_prefix="/reference/",
    )
)
