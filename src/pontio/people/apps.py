from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "pontio.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from pontio.core.navigation import NavItem, Panel, register, register_panel
        from pontio.people import dashboard, policies  # noqa: F401  (registers scope policies)

        register(
            NavItem(
                _("People"),
                "people:list",
                "people.view_person",
                order=20,
                section_prefix="/people/",
            )
        )
        register_panel(Panel("people.view_person", dashboard.flags_panel, order=20))
