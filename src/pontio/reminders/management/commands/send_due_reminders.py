"""Queue the sending of the messages due to referred people (cron, every minute):

    * * * * * cd /srv/pontio && .venv/bin/python manage.py send_due_reminders

The worker (``manage.py db_worker``) sends them; ``--now`` sends in this process instead
(for an operator checking a queue by hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from pontio.reminders import sending
from pontio.reminders.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Queue the appointment confirmations and reminders that are due (run every minute)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send here, not on the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            count = sending.send_due(timezone.now())
            self.stdout.write(f"Handled {count} messages.")
            return
        send_due_reminders.enqueue()
        self.stdout.write("Queued the due messages for the worker.")
