"""Contributions of the diversion feature to other apps' pages (navigation, home panels)."""

from django.utils.translation import gettext_lazy as _

from pontio.core.navigation import NavItem
from pontio.core.navigation import register as register_navigation

register_navigation(
    NavItem(
        _("Diversion caseload"),
        "disposals:caseload",
        "disposals.diversion",
        order=62,
        section_prefix="/disposals/diversion",
    )
)
