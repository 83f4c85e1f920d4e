from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pontio.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from pontio.audit.models import LogEvent
        from pontio.audit.services import audit_record
        from pontio.core.recording import register_kinds, register_recorder

        register_kinds(LogEvent.choices)
        # Every read, change and denial the kernel reports is written to the chain here.
        register_recorder(audit_record)
