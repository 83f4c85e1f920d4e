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


@transaction.atomic
def seed_accounts() -> list[DemoUser]:
    """Create the demo organisations and users (idempotent)."""
    _refuse_in_production()
    counties = {c.ons_code: c for c in County.objects.all()}
    context = AuditContext.system("seed_demo")
    orgs: dict[str, Organisation] = {}
    for name, name_cy, kind, served in ORGANISATIONS:
        org, created = Organisation.objects.get_or_create(
            name=name, defaults={"name_cy": name_cy, "kind": kind}
        )
        if created:
            org.counties.set([counties[c] for c in served])
            audit_record(context=context, action=AuditAction.CREATE, obj=org)
        orgs[name] = org
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@demo.pontio.invalid",
                organisation=orgs[spec.organisation],
                staff_number=spec.staff_number,
                preferred_language=spec.language,
                force_wide=spec.force_wide,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            RoleGrant.objects.create(user=user, role=spec.role)
            if not spec.force_wide:
                user.counties.set([counties[c] for c in spec.counties])
            audit_record(context=context, action=AuditAction.CREATE, obj=user)
        TOTPDevice.objects.update_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": demo_key(spec.username), "confirmed": True},
        )
    return DEMO_USERS
