from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pontio.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from pontio.accounts.events import AccountEvent
        from pontio.accounts.models import active_grant_ids
        from pontio.core.recording import register_kinds
        from pontio.core.scopes import register_grant_source

        register_kinds(AccountEvent.choices, alarms=(AccountEvent.LOCKED_OUT,))
        register_grant_source(active_grant_ids)
