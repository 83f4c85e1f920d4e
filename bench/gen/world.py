"""The small tables, through the ORM: demo accounts and directory, and for the national size
one force, provider, service, custody suite and a few staff per force of England and Wales.

Then ``World``: the ids the bulk generators draw from (counties with their weights, the
services of each county, the staff of each organisation, codes, offences, suites).
"""

from __future__ import annotations

import csv
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# Everything comes from the repository (bench/gen/data/README.md says where from), never
# from outside it, so a clean clone generates the same rows.
REFERENCE = Path(__file__).resolve().parent / "data"
POLICEUK = Path(__file__).resolve().parents[2] / "src/pontio/stopsearch/tests/data/policeuk"
HOME_FORCE_NAME = "Dyfed-Powys"
# Principal-area populations of Dyfed-Powys (ONS mid-2021 estimates, rounded).
HOME_COUNTY_WEIGHTS = {"W06000010": 188, "W06000009": 123, "W06000008": 71, "W06000023": 133}
BENCH_OFFICERS = 20  # per home-force county: the demo officer is one referrer among many


@dataclass
class County:
    id: int
    code: str
    name: str
    weight: float
    towns: list[tuple[str, tuple[str, ...]]]


@dataclass
class Force:
    name: str
    slug: str
    organisation_id: int
    weight: float
    counties: list[County]
    officers: dict[int, list[int]] = field(default_factory=dict)  # county id -> user ids
    custody_staff: list[int] = field(default_factory=list)
    suites: dict[int, list[int]] = field(default_factory=dict)  # county id -> suite ids
    demo_officer: int | None = None


@dataclass
class World:
    forces: list[Force]
    services: dict[int, list[tuple[int, int]]]  # county id -> (service id, provider id)
    caseworkers: dict[tuple[int, int], list[int]]  # (provider id, county id) -> user ids
    codes: dict[str, tuple[int, str]]  # code -> (id, next_actor)
    offences: list[int]
    substances: list[int]


def police_slug(name: str) -> str:
    """The police.uk force identifier, e.g. "avon-and-somerset", "metropolitan"."""
    return name.lower().replace(" & ", "-and-").replace(" ", "-")


def _force_populations() -> dict[str, int]:
    with (REFERENCE / "force-demographics.csv").open(encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        next(reader)
        return {row[0]: int(row[1]) for row in reader}


# The lookup names three forces differently from the census tables.
LOOKUP_NAMES = {
    "Metropolitan Police": "Metropolitan",
    "Avon and Somerset": "Avon & Somerset",
    "London, City of": "City of London",
}


def _lads_by_force() -> dict[str, list[tuple[str, str]]]:
    path = REFERENCE
    name = next(p for p in path.iterdir() if p.name.startswith("Local_Authority_District"))
    lads: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with name.open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            force = LOOKUP_NAMES.get(row["PFA16NM"], row["PFA16NM"])
            lads[force].append((row["LAD16CD"], row["LAD16NM"]))
    return lads


def _lad_populations() -> dict[str, int]:
    path = REFERENCE / "local-authorities-demographics-with-police-force.csv"
    with path.open(encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        next(reader)
        return {row[1]: int(row[3]) for row in reader if row[2] == "Total"}


def _outward(name: str, i: int) -> tuple[str, ...]:
    letters = "".join(ch for ch in name.upper() if ch.isalpha())[:2] or "ZZ"
    return (f"{letters}{i % 20 + 1}", f"{letters}{i % 20 + 2}")


def seed_small_tables(national: bool, seed: int) -> None:
    """Demo accounts and directory (the existing functions), and the national extras."""
    from pontio.accounts.demo import seed_accounts
    from pontio.directory.demo import seed_directory

    seed_accounts()
    seed_directory()
    _seed_bench_staff()
    if national:
        _seed_national(random.Random(seed))


def _make_user(username: str, org_id: int, role: str, county_ids: list[int], first: str) -> None:
    from pontio.accounts.models import RoleGrant, User

    user = User.objects.create(
        username=username,
        email=f"{username}@bench.invalid",
        first_name=first,
        last_name="Bench",
        organisation_id=org_id,
        force_wide=not county_ids,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    RoleGrant.objects.create(user=user, role=role)
    if county_ids:
        user.counties.set(county_ids)


def _seed_bench_staff() -> None:
    from pontio.accounts.models import Organisation
    from pontio.accounts.roles import Role
    from pontio.core.models import County as CountyRow

    force = Organisation.objects.get(name="Dyfed-Powys Police")
    for county in CountyRow.objects.order_by("ons_code"):
        for i in range(BENCH_OFFICERS):
            _make_user(
                f"bench.{county.ons_code}.{i:02d}", force.pk, Role.OFFICER, [county.pk], "PC"
            )
    for org in Organisation.objects.filter(kind="provider").order_by("pk"):
        for county in org.counties.order_by("ons_code"):
            _make_user(
                f"bench.cw.{org.pk}.{county.ons_code}",
                org.pk,
                Role.PROVIDER_CASEWORKER,
                [county.pk],
                "Caseworker",
            )


def _seed_national(rng: random.Random) -> None:
    from pontio.accounts.models import Organisation
    from pontio.accounts.roles import OrganisationKind, Role
    from pontio.core.models import County as CountyRow
    from pontio.custody.models import CustodySuite
    from pontio.directory.models import DirectoryOrganisation, Service

    template_service = Service.objects.filter(name="Kaleidoscope Newtown").first()
    assert template_service is not None
    substances = list(template_service.substances.all())
    template_directory = template_service.organisation
    lads = _lads_by_force()
    for force_name in sorted(_force_populations()):
        if force_name == HOME_FORCE_NAME:
            continue
        counties = []
        for code, name in sorted(lads.get(force_name, [])):
            county, _created = CountyRow.objects.get_or_create(
                ons_code=code, defaults={"code": code, "label_en": name, "label_cy": name}
            )
            counties.append(county)
        police = Organisation.objects.create(
            name=f"{force_name} Police", name_cy=f"Heddlu {force_name}", kind=OrganisationKind.FORCE
        )
        police.counties.set(counties)
        provider = Organisation.objects.create(
            name=f"{force_name} Recovery Service",
            name_cy=f"Gwasanaeth Adfer {force_name}",
            kind=OrganisationKind.PROVIDER,
        )
        provider.counties.set(counties)
        directory = DirectoryOrganisation.objects.get(pk=template_directory.pk)
        directory.pk = None
        directory.hsds_id = uuid.UUID(int=rng.getrandbits(128))
        directory.name = provider.name
        directory.name_cy = provider.name_cy
        directory.owner = provider
        directory.save()
        service = Service.objects.get(pk=template_service.pk)
        service.pk = None
        service.hsds_id = uuid.UUID(int=rng.getrandbits(128))
        service.name = f"{force_name} drug and alcohol service"
        service.name_cy = f"Gwasanaeth cyffuriau ac alcohol {force_name}"
        service.organisation = directory
        service.save()
        service.counties.set(counties)
        service.substances.set(substances)
        slug = police_slug(force_name)
        for i, county in enumerate(counties[:3]):
            CustodySuite.objects.create(
                code=f"{slug[:20].upper()}-{i + 1}",
                label_en=f"{county.label_en} custody suite",
                label_cy=f"Dalfa {county.label_en}",
                county=county,
            )
        for i in range(3):
            _make_user(f"bench.{slug}.officer{i}", police.pk, Role.OFFICER, [], "PC")
        _make_user(f"bench.{slug}.custody", police.pk, Role.CUSTODY_OFFICER, [], "DO")
        _make_user(f"bench.{slug}.cw", provider.pk, Role.PROVIDER_CASEWORKER, [], "Caseworker")


def load_world(national: bool) -> World:
    from pontio.accounts.models import Organisation, User
    from pontio.accounts.roles import Role
    from pontio.core.models import County as CountyRow
    from pontio.custody.models import CustodySuite, Offence
    from pontio.directory.models import Service, Substance
    from pontio.people.demo.generated import TOWNS
    from pontio.referrals.models import ReferralCode

    populations = _force_populations()
    lad_people = _lad_populations()
    lads = _lads_by_force()
    by_code = {c.ons_code: c for c in CountyRow.objects.all()}
    forces: list[Force] = []
    for force_name in sorted(populations):
        if not national and force_name != HOME_FORCE_NAME:
            continue
        home = force_name == HOME_FORCE_NAME
        org = Organisation.objects.get(
            name="Dyfed-Powys Police" if home else f"{force_name} Police"
        )
        counties = []
        if home:
            for code, people in HOME_COUNTY_WEIGHTS.items():
                row = by_code[code]
                counties.append(County(row.pk, code, row.label_en, people, TOWNS[code]))
        else:
            for i, (code, name) in enumerate(sorted(lads[force_name])):
                row = by_code[code]
                weight = lad_people.get(name, 150_000) / 1000
                counties.append(County(row.pk, code, name, weight, [(name, _outward(name, i))]))
        forces.append(
            Force(force_name, police_slug(force_name), org.pk, populations[force_name], counties)
        )
    for force in forces:
        staff = User.objects.filter(organisation_id=force.organisation_id).prefetch_related(
            "role_grants", "counties"
        )
        for user in staff.order_by("pk"):
            roles = {g.role for g in user.role_grants.all()}
            areas = [c.pk for c in user.counties.all()] or [c.id for c in force.counties]
            if Role.OFFICER in roles:
                for county_id in areas:
                    force.officers.setdefault(county_id, []).append(user.pk)
                if user.username == "officer":
                    force.demo_officer = user.pk
            if roles & {Role.CUSTODY_OFFICER, Role.CUSTODY_SERGEANT}:
                force.custody_staff.append(user.pk)
        for county in force.counties:
            # An officer somewhere in the force covers a county without its own.
            force.officers.setdefault(
                county.id, sorted({u for v in force.officers.values() for u in v})
            )
        for suite in CustodySuite.objects.filter(county_id__in=[c.id for c in force.counties]):
            force.suites.setdefault(suite.county_id, []).append(suite.pk)
    services: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for service in (
        Service.objects.filter(
            accepts_pontio_referrals=True, diversion_scheme=False, maximum_age=None
        )
        .select_related("organisation")
        .prefetch_related("counties")
        .order_by("pk")
    ):
        provider_id = service.organisation.owner_id
        assert provider_id is not None, service
        for served in service.counties.all():
            services[served.pk].append((service.pk, provider_id))
    caseworkers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for user in (
        User.objects.filter(role_grants__role=Role.PROVIDER_CASEWORKER)
        .prefetch_related("counties")
        .order_by("pk")
    ):
        areas = [c.pk for c in user.counties.all()]
        if not areas:
            areas = [c.id for f in forces for c in f.counties]
        for county_id in areas:
            if user.organisation_id is not None:
                caseworkers[(user.organisation_id, county_id)].append(user.pk)
    codes = {c.code: (c.pk, c.next_actor) for c in ReferralCode.objects.all()}
    return World(
        forces=forces,
        services=dict(services),
        caseworkers=dict(caseworkers),
        codes=codes,
        offences=list(Offence.objects.order_by("pk").values_list("pk", flat=True)),
        substances=list(Substance.objects.order_by("pk").values_list("pk", flat=True)),
    )
