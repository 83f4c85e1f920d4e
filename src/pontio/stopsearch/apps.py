from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StopSearchConfig(AppConfig):
    name = "pontio.stopsearch"
    label = "stopsearch"
    verbose_name = _("Stop and search")
