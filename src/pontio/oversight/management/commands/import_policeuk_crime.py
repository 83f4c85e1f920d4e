"""Import police.uk street-level crime files into the drug crime trend's counts.

    manage.py import_policeuk_crime 2026-09-dyfed-powys-street.csv [more files]

Each file is all or nothing, and importing a file again replaces its counts
(``oversight.services.policeuk_crime``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pontio.oversight.services.policeuk_crime import CrimeFileRefused, import_crime_path


class Command(BaseCommand):
    help = "Import police.uk street-level crime CSV files (counts by month, county and type)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        failed = []
        for path in options["files"]:
            if not path.is_file():
                failed.append(f"{path}: no such file")
                continue
            try:
                result = import_crime_path(path=path)
            except CrimeFileRefused as refused:
                failed.append(f"{path.name}: {refused}")
                continue
            self.stdout.write(
                f"{result.source_file}: {result.crimes} crimes in {result.counts} counts "
                f"({result.in_counties} in Pontio's counties; {result.replaced} earlier "
                "counts replaced)"
            )
        if failed:
            raise CommandError("Not imported:\n" + "\n".join(failed))
