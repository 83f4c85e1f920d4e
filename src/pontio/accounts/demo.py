"""Demo organisations and one user per role (demo and tests only, never production).

Demo users are "enrolled" in two-factor sign-in with a TOTP key derived from their
username, so a tester can get a code with ``manage.py demo_code <username>`` or add the
printed key to an authenticator app.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from pontio.accounts.models import Organisation, RoleGrant, User
from pontio.accounts.roles import OrganisationKind, Role
from pontio.audit.services import AuditContext, audit_record
from pontio.core.models import County
from pontio.core.recording import AuditAction

DEMO_PASSWORD = "Pontio-demo-2026"  # noqa: S105 - printed for the demo, refused in production
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"
ALL = (CARMS, CERED, PEMBS, POWYS)

ORGANISATIONS = [
    ("Dyfed-Powys Police", "Heddlu Dyfed-Powys", OrganisationKind.FORCE, ALL),
    (
        "Dyfed Drug and Alcohol Service",
        "Gwasanaeth Cyffuriau ac Alcohol Dyfed",
        OrganisationKind.PROVIDER,
        (CARMS, CERED, PEMBS),
    ),
    ("Kaleidoscope Powys", "Kaleidoscope Powys", OrganisationKind.PROVIDER, (POWYS,)),
    (
        "Hywel Dda University Health Board",
        "Bwrdd Iechyd Prifysgol Hywel Dda",
        OrganisationKind.PROVIDER,
        (CARMS, CERED, PEMBS),
    ),
    (
        "Powys Teaching Health Board",
        "Bwrdd Iechyd Addysgu Powys",
        OrganisationKind.PROVIDER,
        (POWYS,),
    ),
    ("Pobl diversion service", "Gwasanaeth dargyfeirio Pobl", OrganisationKind.PROVIDER, ALL),
    (
        "Office of the Police and Crime Commissioner for Dyfed-Powys",
        "Swyddfa Comisiynydd Heddlu a Throseddu Dyfed-Powys",
        OrganisationKind.OPCC,
        ALL,
    ),
    (
        "Dyfed-Powys Independent Scrutiny Panel",
        "Panel Craffu Annibynnol Dyfed-Powys",
        OrganisationKind.PANEL,
        ALL,
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation: str
    role: str
    counties: tuple[str, ...]
    staff_number: str = ""
    language: str = "en"

    @property
    def force_wide(self) -> bool:
        return self.counties == ALL


DEMO_USERS = [
    DemoUser("officer", "Rhys", "Morgan", "Dyfed-Powys Police", Role.OFFICER, (CARMS,), "PC 1432"),
    # A second officer, in Powys: the Powys providers' referrals come from their county.
    DemoUser(
        "powys.officer", "Emyr", "Pugh", "Dyfed-Powys Police", Role.OFFICER, (POWYS,), "PC 2210"
    ),
    DemoUser(
        "custody.officer",
        "Catrin",
        "Jones",
        "Dyfed-Powys Police",
        Role.CUSTODY_OFFICER,
        (CARMS,),
        "DO 2087",
        "cy",
    ),
    DemoUser(
        "custody.sergeant",
        "Gareth",
        "Davies",
        "Dyfed-Powys Police",
        Role.CUSTODY_SERGEANT,
        (CARMS, PEMBS),
        "PS 611",
    ),
    DemoUser(
        "inspector",
        "Siân",
        "Evans",
        "Dyfed-Powys Police",
        Role.INSPECTOR,
        (CERED,),
        "Insp 77",
        "cy",
    ),
    DemoUser(
        "intelligence",
        "Owain",
        "Price",
        "Dyfed-Powys Police",
        Role.INTELLIGENCE_OFFICER,
        ALL,
        "DC 915",
    ),
    DemoUser(
        "operations", "Bethan", "Thomas", "Dyfed-Powys Police", Role.OPERATIONS_LEAD, ALL, "DI 233"
    ),
    DemoUser(
        "examiner",
        "Rhys",
        "Morgan",
        "Dyfed-Powys Police",
        Role.DIGITAL_MEDIA_EXAMINER,
        ALL,
        "DC 1402",
    ),
    DemoUser(
        "caseworker",
        "Llinos",
        "Williams",
        "Dyfed Drug and Alcohol Service",
        Role.PROVIDER_CASEWORKER,
        (CARMS,),
    ),
    DemoUser(
        "provider.manager",
        "Huw",
        "Roberts",
        "Dyfed Drug and Alcohol Service",
        Role.PROVIDER_MANAGER,
        (CARMS, CERED, PEMBS),
    ),
    DemoUser(
        "powys.caseworker",
        "Tomos",
        "Hughes",
        "Kaleidoscope Powys",
        Role.PROVIDER_CASEWORKER,
        (POWYS,),
    ),
    DemoUser(
        "navigator", "Ffion", "Lloyd", "Pobl diversion service", Role.NAVIGATOR, ALL, "", "cy"
    ),
    DemoUser(
        "panel", "Alun", "Edwards", "Dyfed-Powys Independent Scrutiny Panel", Role.PANEL_MEMBER, ALL
    ),
    DemoUser(
        "analyst",
        "Nia",
        "Lewis",
        "Office of the Police and Crime Commissioner for Dyfed-Powys",
        Role.OPCC_ANALYST,
        ALL,
    ),
    DemoUser("auditor", "Eleri", "Rees", "Dyfed-Powys Police", Role.AUDITOR, ALL, "DPO 1"),
    DemoUser("admin", "Dylan", "Parry", "Dyfed-Powys Police", Role.ADMINISTRATOR, ALL, "ADM 4"),
]


def demo_key(username: str) -> str:
    """The demo TOTP key (hex) of a demo user: derived, so tests can compute codes."""
    return hashlib.sha256(f"pontio-demo-totp:{username}".encode()).hexdigest()[:40]


def demo_secret_base32(username: str) -> str:
    return base64.b32encode(bytes.fromhex(demo_key(username))).decode()


def _refuse_in_production() -> None:
    if settings.PONTIO_ENV not in {"demo", "test"}:
        raise ImproperlyConfigured("Demo data can only be loaded with PONTIO_ENV=demo or test.")


def _bootstrap_administrator(orgs: dict[str, Organisation], counties: dict[str, County]) -> User:
    """The force and its first administrator, created directly: as with ``createsuperuser``,
    there is nobody yet to act through the services. Everything else is made by this
    administrator through the real services (``organisation_create``, ``user_create``)."""
    name, name_cy, kind, served = ORGANISATIONS[0]
    force = Organisation.objects.filter(name=name).first()
    if force is None:
        force = Organisation.objects.create(name=name, name_cy=name_cy, kind=kind)
        force.counties.set([counties[c] for c in served])
        audit_record(context=SEED, action=AuditAction.CREATE, obj=force)
    orgs[name] = force
    spec = next(s for s in DEMO_USERS if s.role == Role.ADMINISTRATOR)
    admin = User.objects.filter(username=spec.username).first()
    if admin is None:
        admin = User.objects.create(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=_email(spec),
            organisation=force,
            staff_number=spec.staff_number,
            preferred_language=spec.language,
            force_wide=True,
        )
        RoleGrant.objects.create(user=admin, role=Role.ADMINISTRATOR)
        audit_record(context=SEED, action=AuditAction.CREATE, obj=admin)
    return admin


def _email(spec: DemoUser) -> str:
    return f"{spec.username}@demo.pontio.invalid"


SEED = AuditContext.system("seed_demo")


@transaction.atomic
def seed_accounts() -> list[DemoUser]:
    """Create the demo organisations and users (idempotent), through the services."""
    from pontio.accounts.services import (
        OrganisationData,
        UserData,
        organisation_create,
        user_create,
    )

    _refuse_in_production()
    counties = {c.ons_code: c for c in County.objects.all()}
    orgs: dict[str, Organisation] = {}
    admin = _bootstrap_administrator(orgs, counties)
    for name, name_cy, kind, served in ORGANISATIONS[1:]:
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            org = organisation_create(
                context=SEED,
                actor=admin,
                data=OrganisationData(
                    name=name, name_cy=name_cy, kind=kind, counties=[counties[c] for c in served]
                ),
            )
        orgs[name] = org
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(
                context=SEED,
                actor=admin,
                data=UserData(
                    username=spec.username,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    email=_email(spec),
                    organisation=orgs[spec.organisation],
                    roles=[spec.role],
                    force_wide=spec.force_wide,
                    counties=[] if spec.force_wide else [counties[c] for c in spec.counties],
                    staff_number=spec.staff_number,
                    preferred_language=spec.language,
                ),
                invite=False,
            )
        if not user.password or not user.has_usable_password():
            # What the user would do with the invitation link: the printed demo password.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        TOTPDevice.objects.update_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": demo_key(spec.username), "confirmed": True},
        )
    return DEMO_USERS
