from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pontio.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from pontio.core import navigation, policies  # noqa: F401  (registers scope policy)
        from pontio.core.navigation import NavItem

        navigation.register(NavItem(_("Home"), "core:home", "api.use", order=0))
        navigation.register(
            NavItem(
                _("Reference data"),
                "core:county-list",
                "core.manage_reference_data",
                order=90,
                section_prefix="/reference/",
            )
        )
