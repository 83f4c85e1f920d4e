"""Print the current security code of a demo user (demo only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp

from pontio.accounts.demo import DEMO_USERS, demo_key


class Command(BaseCommand):
    help = "Print the current 6-digit security code of a demo user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PONTIO_ENV not in {"demo", "test"}:
            raise CommandError("Only available with PONTIO_ENV=demo.")
        username = options["username"]
        if username not in {u.username for u in DEMO_USERS}:
            raise CommandError(f"{username} is not a demo user.")
        self.stdout.write(f"{totp(bytes.fromhex(demo_key(username))):06d}")
