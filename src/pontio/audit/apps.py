from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pontio.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from pontio.audit import policies  # noqa: F401  (registers the scope policy)
