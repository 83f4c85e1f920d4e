from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustodyConfig(AppConfig):
    name = "pontio.custody"
    label = "custody"
    verbose_name = _("Custody: drug testing and required assessment")
