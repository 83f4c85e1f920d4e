from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pontio.directory.demo import seed_directory


class Command(BaseCommand):
    help = "Create the demo service directory (demo and test environments only; idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PONTIO_ENV not in {"demo", "test"}:
            raise CommandError("seed_directory only runs when PONTIO_ENV is demo or test.")
        services = seed_directory()
        self.stdout.write(f"Directory: {len(services)} services.")
