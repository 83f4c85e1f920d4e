"""Import police.uk monthly CSV files (stop and search, street crime) and print a summary.

    manage.py import_policeuk 2016-11-dyfed-powys-stop-and-search.csv ...
    manage.py import_policeuk search.csv --force dyfed-powys --month 2016-11

Each file is one batch, handled as on the upload page (see ``stopsearch.policeuk``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pontio.stopsearch import policeuk
from pontio.stopsearch.models import ImportBatch


class Command(BaseCommand):
    help = "Import police.uk stop-and-search or street CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--force", default="", help="police.uk force id, e.g. dyfed-powys")
        parser.add_argument("--month", default="", help="YYYY-MM, if the file name does not say")
        parser.add_argument(
            "--kind",
            default="",
            choices=["", *ImportBatch.Kind.values],
            help="stop_search or street, if the file name does not say",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        month = None
        if options["month"]:
            month = policeuk.parse_month(options["month"])
            if month is None:
                raise CommandError("--month must be YYYY-MM")
        refused = []
        for path in options["files"]:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: {error}") from error
            batch = policeuk.import_file(
                str(path), data, force=options["force"], month=month, kind=options["kind"]
            )
            self.stdout.write(
                f"{batch.file_name}: {batch.get_state_display()}; read {batch.rows_read}, "
                f"imported {batch.imported}, already present {batch.already_present}, "
                f"rejected {batch.rejected}"
            )
            for problem in batch.errors:
                where = f"row {problem['row']}" if problem.get("row") else "file"
                column = f", {problem['column']}" if problem.get("column") else ""
                self.stdout.write(f"  {where}{column}: {problem['message']}")
            if batch.state == ImportBatch.State.FAILED:
                refused.append(batch.file_name)
        if refused:
            raise CommandError(f"Not imported: {', '.join(refused)}")
