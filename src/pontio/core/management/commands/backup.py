"""``manage.py backup FILE``: the whole database into one file (pg_dump -Fc on PostgreSQL,
the sqlite3 online backup on SQLite). See docs/operations.md, "Backups"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pontio.core import backups


class Command(BaseCommand):
    help = "Back up the whole database into FILE (PostgreSQL: pg_dump custom format)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="Where to write the backup.")
        parser.add_argument("--force", action="store_true", help="Overwrite FILE if it exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backups.backup(options["file"], overwrite=options["force"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the {done.engine} database {done.database} ({done.tables} tables) "
            f"to {done.path} ({done.size:,} bytes)."
        )
