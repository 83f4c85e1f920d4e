from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExaminationsConfig(AppConfig):
    name = "pontio.examinations"
    label = "examinations"
    verbose_name = _("Digital media examination")
