from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pontio.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from pontio.accounts import dashboard, policies  # noqa: F401  (registers scope policies)
        from pontio.core.navigation import NavItem, Panel, register, register_panel

        register(NavItem(_("Users"), "accounts:user-list", "accounts.view_team", order=80))
        register(
            NavItem(
                _("Organisations"),
                "accounts:organisation-list",
                "accounts.manage_organisations",
                order=85,
            )
        )
        register_panel(Panel("accounts.manage_users", dashboard.administrator_panel, order=80))
        register_panel(Panel("api.use", dashboard.your_account_panel, order=1000))
