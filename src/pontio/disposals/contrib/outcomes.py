"""Contributions of the outcomes feature to other apps' pages (navigation, home panels)."""

from django.utils.translation import gettext_lazy as _

from pontio.core.navigation import NavItem
from pontio.core.navigation import register as register_navigation

register_navigation(
    NavItem(
        _("Disposal outcomes"),
        "disposals:outcomes",
        "disposals.outcomes",
        order=63,
        section_prefix="/disposals/outcomes",
    )
)
