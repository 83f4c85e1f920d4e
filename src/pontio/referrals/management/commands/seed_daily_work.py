"""Load the demo's daily work on referrals (PONTIO_ENV=demo or test only). Safe to run again.

Each feature's seeder (``referrals.demo.daily_<feature>.seed``) acts on the referrals that
``seed_referrals`` made, through the services, and makes nothing new when run again.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from pontio.audit.services import AuditContext
from pontio.people.demo import _refuse_in_production

# Order matters: the work due reads the appointments, notes and questions made before it.
FEATURES = ("appointments", "notes", "amend", "transfers", "drafts", "due")


class Command(BaseCommand):
    help = "Add notes, concerns, amendments, drafts, transfers and work due to the demo."

    def handle(self, *args: Any, **options: Any) -> None:
        _refuse_in_production()
        context = AuditContext.system("seed_daily_work")
        now = timezone.now()
        for name in FEATURES:
            module = import_module(f"pontio.referrals.demo.daily_{name}")
            made = module.seed(context, now)
            self.stdout.write(f"Daily work ({name}): {made} created.")
