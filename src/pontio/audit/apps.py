from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pontio.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from pontio.audit import dashboard, policies  # noqa: F401  (registers the scope policy)
        from pontio.core.navigation import NavItem, Panel, register, register_panel

        register(
            NavItem(
                _("Audit log"),
                "audit:event-list",
                "audit.view_log",
                order=70,
                section_prefix="/audit/",
            )
        )
        register_panel(Panel("audit.view_log", dashboard.auditor_panel, order=70))
