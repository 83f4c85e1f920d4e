"""``manage.py restore FILE``: a backup made by ``manage.py backup`` into the configured
database, which must be empty unless ``--force`` (then everything in it is replaced, in the
same transaction as the restore on PostgreSQL). See docs/operations.md, "Backups"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pontio.core import backups


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into the configured (empty) database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The backup to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace everything in a database that is not empty.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backups.restore(options["file"], force=options["force"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {done.path} into the {done.engine} database {done.database} "
            f"({done.tables} tables). Run `manage.py migrate` if this release is newer than "
            "the backup, then `manage.py audit_verify`."
        )
