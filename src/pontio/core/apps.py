from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pontio.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from pontio.core import registry

        registry.autodiscover()
