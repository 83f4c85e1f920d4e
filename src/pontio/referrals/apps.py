from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "pontio.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from pontio.core.navigation import NavItem, Panel, register, register_panel
        from pontio.referrals import dashboard, policies  # noqa: F401  (registers scope policies)

        register(
            NavItem(
                _("Referrals"),
                "referrals:inbox",
                "referrals.view",
                order=25,
                section_prefix="/referrals/",
            )
        )
        register_panel(Panel("referrals.create", dashboard.police_panel, order=15))
        from pontio.referrals import dashboard_metrics

        dashboard_metrics.register()
