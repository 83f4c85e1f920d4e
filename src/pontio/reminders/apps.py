from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "pontio.reminders"
    label = "reminders"
    verbose_name = _("Appointment reminders")

    def ready(self) -> None:
        from pontio.reminders.signals import connect

        connect()
