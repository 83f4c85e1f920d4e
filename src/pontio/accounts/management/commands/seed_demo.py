"""Load realistic demo data and print the demo users (PONTIO_ENV=demo or test only)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.utils import translation

from pontio.accounts.demo import DEMO_PASSWORD, demo_secret_base32, seed_accounts
from pontio.accounts.roles import Role

SEED_COMMANDS = (
    "seed_directory",
    "seed_people",
    "seed_referrals",
    "seed_custody",
    "seed_stopsearch",
    # Out-of-court disposals, diversion contracts and the panel sample (on the people above).
    "seed_disposals",
    # Drug intelligence: public and officers' reports, graded, some actioned, and the
    # approved "you said, we did" lines of each county.
    "seed_intelligence",
    # Drug-disruption operations: a closed one with results, a covert one whose forecast
    # the DDAS caseworker sees on the home page.
    "seed_operations",
    # Six months of device examinations, local capacity added part-way.
    "seed_examinations",
    # The oversight tracker, commissioning, returns and crime counts (after the records
    # whose figures the facts and dashboards compute).
    "seed_oversight",
    # Notes, concerns, amendments, drafts, transfers on the referrals seeded above.
    "seed_daily_work",
    # Appointment confirmations and reminders for the appointments seeded above, recorded
    # in the outbox (the demo sends nothing), and a partner token and webhook subscription.
    "seed_reminders",
    "seed_interop",
    # Last: finds the near-duplicates among everything seeded before, for the review queue.
    "seed_duplicates",
)


class Command(BaseCommand):
    help = "Create demo organisations and one user per role; print how to sign in."

    def handle(self, *args: Any, **options: Any) -> None:
        users = seed_accounts()
        # Each capability that has demo data provides a seed_<app> command; run those here
        # so that `make demo` stays one command as apps are added.
        available = get_commands()
        for name in SEED_COMMANDS:
            if name in available:
                call_command(name, verbosity=options["verbosity"])
        translation.activate("en")
        self.stdout.write("")
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD})")
        self.stdout.write(
            "Security code: run `PONTIO_ENV=demo .venv/bin/python manage.py demo_code <username>`"
        )
        self.stdout.write("or add the key to an authenticator app.")
        self.stdout.write("")
        self.stdout.write(f"{'username':<18} {'role':<38} {'authenticator key'}")
        for spec in users:
            role = str(Role(spec.role).label)
            self.stdout.write(f"{spec.username:<18} {role:<38} {demo_secret_base32(spec.username)}")
