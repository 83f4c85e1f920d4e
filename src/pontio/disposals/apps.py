from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisposalsConfig(AppConfig):
    name = "pontio.disposals"
    label = "disposals"
    verbose_name = _("Out-of-court disposals and the diversion scheme")
