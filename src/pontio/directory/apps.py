from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "pontio.directory"
    label = "directory"
    verbose_name = _("Service directory")

    def ready(self) -> None:
        from pontio.core.navigation import NavItem, register
        from pontio.directory import policies  # noqa: F401  (registers the scope policies)

        register(
            NavItem(
                _("Service directory"),
                "directory:search",
                "directory.search",
                order=30,
                section_prefix="/directory/",
            )
        )
