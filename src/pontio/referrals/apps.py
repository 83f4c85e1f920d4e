from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "pontio.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from pontio.referrals import policies  # noqa: F401  (registers scope policies)
