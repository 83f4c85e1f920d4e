"""The database side of the durability tests, run as a separate process against the private
PostgreSQL cluster (never inside pytest's own test database):

    python -m tests.durability.world seed --people 3 --users officer,caseworker [--no-world]
    python -m tests.durability.world check ACKS.json
    python -m tests.durability.world fill --backup-to FILE

``seed`` loads the test world (as tests/conftest.py does), makes a few people and one
signed-in session per user, and prints them as JSON. ``check`` reads what the load driver
was told had been saved and prints, as JSON, every way the database disagrees with it.
``fill`` puts rows into every app (for the backup test) and backs the database up.

The environment names the database (DATABASE_URL), PONTIO_ENV=test and the SECRET_KEY that
the web server uses too (session cookies and their auth hashes are signed with it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for entry in (str(ROOT / "src"), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)


def _setup() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pontio.settings")
    import django

    django.setup()


def signed_in_session(username: str) -> str:
    """A session key for ``username`` as if both factors had been passed: what
    ``accounts.services.sign_in_complete`` leaves in the session, without the pages (the
    production server refuses the demo password, and the load driver only needs a cookie)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pontio.accounts.models import User
    from pontio.accounts.services import SESSION_SIGNED_IN_AT

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    assert device is not None, f"{username} has no confirmed authenticator"
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_SIGNED_IN_AT] = timezone.now().isoformat()
    session.create()
    assert session.session_key is not None
    return session.session_key


def seed(people: int, usernames: list[str], *, with_world: bool = True) -> dict[str, Any]:
    from django.test.utils import override_settings

    from pontio.accounts.demo import seed_accounts
    from pontio.directory.demo import seed_directory
    from pontio.referrals.tests.helpers import make_person

    if with_world:  # not when the database is a copy of one that has it
        # Argon2 hashes every demo password; the world needs none of them to be strong.
        fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        with override_settings(PASSWORD_HASHERS=fast):
            seed_accounts()
        seed_directory()
    made = [make_person(given=f"Durable{n}", family="Prawf").pk for n in range(people)]
    return {
        "people": made,
        "sessions": {name: signed_in_session(name) for name in usernames},
    }


def fill(backup_to: Path | None) -> dict[str, Any]:
    """A row or more in every app's tables, through the services (so the audit log, the
    outbox and the links between apps are filled as in real use); then, with
    ``backup_to``, ``manage.py backup`` of the result."""
    from django.core.management import call_command

    from pontio.accounts.models import User
    from pontio.audit.services import AuditContext
    from pontio.custody.tests.helpers import positive
    from pontio.referrals.services import notes
    from pontio.referrals.tests.helpers import make_person, refer
    from pontio.stopsearch.tests.helpers import record

    officer = User.objects.get(username="officer")
    person = make_person(given="Backup", family="Prawf")
    referral = refer(officer, person)
    notes.note_add(
        context=AuditContext.system("backup test"),
        actor=officer,
        referral_id=referral.pk,
        category="general",
        text="Kept through a backup and a restore: ŵ ŷ.",
        notify_other_side=True,
    )
    record(officer)
    positive(User.objects.get(username="custody.officer"), person)
    signed_in_session("officer")
    if backup_to is not None:
        call_command("backup", str(backup_to))
    return {"person": person.pk, "referral": referral.pk}


def check(acks: dict[str, Any]) -> dict[str, Any]:
    """Every acknowledged write is there as acknowledged, nothing is half-written, and the
    audit chain holds. Returns {"problems": [...], "counts": {...}}."""
    from pontio.audit.chain import verify_chain
    from pontio.audit.models import AuditEvent
    from pontio.core.recording import AuditAction
    from pontio.referrals.models import CaseNote, Referral, ReferralAmendment, ReferralEvent

    problems: list[str] = []
    referrals = {r.pk: r for r in Referral.objects.all()}
    amendments = {a.pk: a for a in ReferralAmendment.objects.all()}
    notes = {n.pk: n for n in CaseNote.objects.all()}

    def audited(action: str, model: type[Any]) -> Counter[str]:
        rows = AuditEvent.objects.filter(action=action, object_type=model._meta.label_lower)
        return Counter(rows.values_list("object_id", flat=True))

    created_audit = audited(AuditAction.CREATE, Referral)
    updated_audit = audited(AuditAction.UPDATE, Referral)
    amendment_audit = audited(AuditAction.CREATE, ReferralAmendment)
    note_audit = audited(AuditAction.CREATE, CaseNote)
    first_events = Counter(
        ReferralEvent.objects.filter(from_status="", to_status="requested").values_list(
            "referral_id", flat=True
        )
    )
    amendments_of = Counter(a.referral_id for a in amendments.values())

    # 1. What the clients were told.
    first_version: dict[int, int] = {}
    for ack in acks.get("created", []):
        referral = referrals.get(ack["id"])
        if referral is None:
            problems.append(f"acknowledged referral {ack['id']} is missing")
            continue
        first_version[referral.pk] = ack["version"]
        if referral.reference != ack["reference"] or referral.person_id != ack["person"]:
            problems.append(f"referral {ack['id']} differs from its acknowledgement")
        if referral.idempotency_key != ack["key"]:
            problems.append(f"referral {ack['id']} has another idempotency key")
    keys = Counter((r.referred_by_id, r.idempotency_key) for r in referrals.values())
    problems += [f"idempotency key {key} used twice" for key, n in keys.items() if key[1] and n > 1]
    for ack in acks.get("amended", []):
        amendment = amendments.get(ack["id"])
        if amendment is None:
            problems.append(f"acknowledged amendment {ack['id']} is missing")
            continue
        if amendment.referral_id != ack["referral"] or not any(
            c["field"] == "contact_phone" and c["after"] == ack["phone"] for c in amendment.changes
        ):
            problems.append(f"amendment {ack['id']} differs from its acknowledgement")
        referral = referrals.get(ack["referral"])
        if referral is not None and referral.version < ack["version"]:
            problems.append(f"referral {referral.pk} is older than an acknowledged amendment")
    for ack in acks.get("noted", []):
        note = notes.get(ack["id"])
        if note is None:
            problems.append(f"acknowledged note {ack['id']} is missing")
        elif note.referral_id != ack["referral"] or note.text != ack["text"]:
            problems.append(f"note {ack['id']} differs from its acknowledgement")

    # 2. No half-written record: what each service writes in one transaction is all there.
    for pk, referral in referrals.items():
        if first_events[pk] != 1:
            problems.append(f"referral {pk} has {first_events[pk]} creation events")
        if created_audit[str(pk)] != 1:
            problems.append(f"referral {pk} has {created_audit[str(pk)]} creation audit events")
        if referral.reference.startswith("new-"):
            problems.append(f"referral {pk} kept its temporary reference")
        if pk not in first_version:
            continue  # not the load driver's: other tests move these on in other ways
        # The load driver only amends its referrals: one audited update and one version
        # each, or none of the three.
        if updated_audit[str(pk)] != amendments_of[pk]:
            problems.append(f"referral {pk}: {amendments_of[pk]} amendments, audit says otherwise")
        if referral.version != first_version[pk] + amendments_of[pk]:
            problems.append(
                f"referral {pk} is at version {referral.version} after "
                f"{amendments_of[pk]} amendments from version {first_version[pk]}"
            )
    for pk in amendments:
        if amendment_audit[str(pk)] != 1:
            problems.append(f"amendment {pk} has {amendment_audit[str(pk)]} audit events")
    for pk in notes:
        if note_audit[str(pk)] != 1:
            problems.append(f"note {pk} has {note_audit[str(pk)]} audit events")

    # 3. The audit log's chain.
    report = verify_chain()
    if not report.intact:
        problems.append(f"audit chain broken at {report.broken_at}: {report.problem}")
    return {
        "problems": problems,
        "counts": {
            "referrals": len(referrals),
            "amendments": len(amendments),
            "notes": len(notes),
            "audit_events_checked": report.checked,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed")
    seeding.add_argument("--people", type=int, default=3)
    seeding.add_argument("--users", default="officer")
    seeding.add_argument("--no-world", action="store_true", help="The world is there already.")
    filling = commands.add_parser("fill")
    filling.add_argument("--backup-to", type=Path, default=None)
    checking = commands.add_parser("check")
    checking.add_argument("acks", type=Path)
    args = parser.parse_args(argv)
    _setup()
    if args.command == "seed":
        names = [u for u in args.users.split(",") if u]
        result = seed(args.people, names, with_world=not args.no_world)
    elif args.command == "fill":
        result = fill(args.backup_to)
    else:
        result = check(json.loads(args.acks.read_text()))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
