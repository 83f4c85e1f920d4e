"""Compile the Welsh catalogue (.po → .mo) with polib, so no system gettext is needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every django.po under LOCALE_PATHS into django.mo (fails on fuzzy or empty)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-incomplete",
            action="store_true",
            help="Compile even if some messages are untranslated or fuzzy.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/django.po")):
                catalogue = polib.pofile(str(po_path))
                missing = [e.msgid for e in catalogue.untranslated_entries()]
                fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
                if (missing or fuzzy) and not options["allow_incomplete"]:
                    sample = "; ".join((missing + fuzzy)[:5])
                    raise CommandError(
                        f"{po_path}: {len(missing)} untranslated and {len(fuzzy)} fuzzy "
                        f"messages (for example: {sample})"
                    )
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                self.stdout.write(f"compiled {po_path} ({catalogue.percent_translated()}%)")
        if not compiled:
            raise CommandError("No catalogues found under LOCALE_PATHS.")
