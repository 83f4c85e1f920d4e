"""Demo directory: the Dyfed-Powys service landscape (DOMAIN.md §7), fictional contacts.

Organisations and services are real names from public material; addresses are plausible
streets in the real towns, and every telephone number is in an Ofcom drama range
(01632 960xxx, 07700 900xxx), so nobody is ever rung by mistake. Demo and tests only.
Written through the directory services, as an administrator would.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from pontio.accounts.models import Organisation, User
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.core.phones import normalise_uk_phone
from pontio.core.scopes import restrict
from pontio.directory.models import DirectoryOrganisation, Service, Substance
from pontio.directory.services import (
    OpeningHours,
    OrganisationData,
    ServiceData,
    directory_organisation_save,
    service_create,
    service_data_of,
    service_update,
)

# The demo user who keeps the directory (accounts.demo).
ADMINISTRATOR = "admin"

CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"
ALL_SUBSTANCES = (
    "alcohol",
    "opioids",
    "cocaine",
    "crack",
    "cannabis",
    "benzodiazepines",
    "amphetamines",
    "nps",
    "other",
)


def _weekdays(opens: str, closes: str, days: range = range(1, 6)) -> tuple[OpeningHours, ...]:
    o, c = dt.time.fromisoformat(opens), dt.time.fromisoformat(closes)
    return tuple(OpeningHours(day, o, c) for day in days)


@dataclass(frozen=True)
class DemoOrg:
    name: str
    name_cy: str
    description: str
    description_cy: str
    website: str


@dataclass(frozen=True)
class DemoService:
    org: str
    name: str
    name_cy: str
    description: str
    description_cy: str
    how_to_refer: str
    how_to_refer_cy: str
    counties: tuple[str, ...]
    phone: str
    location: tuple[str, str, str, str, str, str] | None  # name, name_cy, line 1, town, pc, county
    hours: tuple[OpeningHours, ...]
    substances: tuple[str, ...] = ALL_SUBSTANCES
    minimum_age: int | None = 18
    maximum_age: int | None = None
    pontio: bool = True
    criminal_justice: bool = True
    diversion: bool = False
    email: str = ""


DDAS = "Dyfed Drug and Alcohol Service"
KALEIDOSCOPE = "Kaleidoscope Powys"
HYWEL_DDA = "Hywel Dda University Health Board"
POWYS_THB = "Powys Teaching Health Board"
POBL = "Pobl diversion service"

ORGANISATIONS = [
    DemoOrg(
        DDAS,
        "Gwasanaeth Cyffuriau ac Alcohol Dyfed",
        "Adult drug and alcohol treatment and harm reduction in Carmarthenshire, Ceredigion "
        "and Pembrokeshire: assessment, prescribing, needle and syringe programme, naloxone "
        "and WEDINOS drug sampling.",
        "Triniaeth cyffuriau ac alcohol a lleihau niwed i oedolion yn Sir Gaerfyrddin, "
        "Ceredigion a Sir Benfro: asesu, rhagnodi, rhaglen nodwyddau a chwistrelli, naloxone a "
        "samplu cyffuriau WEDINOS.",
        "https://www.example.org/ddas",
    ),
    DemoOrg(
        KALEIDOSCOPE,
        "Kaleidoscope Powys",
        "Drug and alcohol treatment, social support and a criminal justice service across "
        "Powys, run with Adferiad.",
        "Triniaeth cyffuriau ac alcohol, cymorth cymdeithasol a gwasanaeth cyfiawnder troseddol "
        "ledled Powys, mewn partneriaeth ag Adferiad.",
        "https://www.example.org/kaleidoscope-powys",
    ),
    DemoOrg(
        HYWEL_DDA,
        "Bwrdd Iechyd Prifysgol Hywel Dda",
        "The NHS health board for Carmarthenshire, Ceredigion and Pembrokeshire.",
        "Bwrdd iechyd y GIG ar gyfer Sir Gaerfyrddin, Ceredigion a Sir Benfro.",
        "https://www.example.org/hywel-dda",
    ),
    DemoOrg(
        POWYS_THB,
        "Bwrdd Iechyd Addysgu Powys",
        "The NHS health board for Powys.",
        "Bwrdd iechyd y GIG ar gyfer Powys.",
        "https://www.example.org/powys-thb",
    ),
    DemoOrg(
        POBL,
        "Gwasanaeth dargyfeirio Pobl",
        "Pobl runs the Dyfed-Powys out-of-court drug diversion scheme: an education session "
        "instead of prosecution for possession of drugs for personal use.",
        "Mae Pobl yn rhedeg cynllun dargyfeirio cyffuriau y tu allan i'r llys Dyfed-Powys: "
        "sesiwn addysg yn lle erlyniad am feddu ar gyffuriau at ddefnydd personol.",
        "https://www.example.org/pobl-diversion",
    ),
]

DDAS_REFER = (
    "Send a referral through Pontio, or the person can call or walk in during opening hours.",
    "Anfonwch atgyfeiriad drwy Pontio, neu gall yr unigolyn ffonio neu alw heibio yn ystod yr "
    "oriau agor.",
)
KALEIDOSCOPE_REFER = (
    "Send a referral through Pontio or call the team. Self-referrals are welcome.",
    "Anfonwch atgyfeiriad drwy Pontio neu ffoniwch y tîm. Croesewir hunangyfeirio.",
)


def _ddas(
    town: str, town_cy: str, line_1: str, postcode: str, county: str, phone: str
) -> DemoService:
    return DemoService(
        DDAS,
        f"DDAS {town}",
        f"GCAD {town_cy}",
        f"Drug and alcohol assessment, treatment and harm reduction for adults in and around "
        f"{town}. Needle and syringe programme, naloxone kits and WEDINOS sampling.",
        f"Asesu, trin a lleihau niwed cyffuriau ac alcohol i oedolion yn {town_cy} a'r cylch. "
        f"Rhaglen nodwyddau a chwistrelli, pecynnau naloxone a samplu WEDINOS.",
        *DDAS_REFER,
        counties=(county,),
        phone=phone,
        location=(f"DDAS {town}", f"GCAD {town_cy}", line_1, town, postcode, county),
        hours=_weekdays("09:00", "17:00"),
    )


def _kaleidoscope(town: str, town_cy: str, line_1: str, postcode: str, phone: str) -> DemoService:
    return DemoService(
        KALEIDOSCOPE,
        f"Kaleidoscope {town}",
        f"Kaleidoscope {town_cy}",
        f"Drug and alcohol treatment, social support and criminal justice work in {town} "
        f"and the surrounding area.",
        f"Triniaeth cyffuriau ac alcohol, cymorth cymdeithasol a gwaith cyfiawnder troseddol "
        f"yn {town_cy} a'r ardal gyfagos.",
        *KALEIDOSCOPE_REFER,
        counties=(POWYS,),
        phone=phone,
        location=(f"Kaleidoscope {town}", f"Kaleidoscope {town_cy}", line_1, town, postcode, POWYS),
        hours=_weekdays("09:00", "17:00", range(1, 5)) + _weekdays("09:00", "16:30", range(5, 6)),
    )


# Each demo service names its referrals team (a post, never a private person).
CONTACT_NAME = "Referrals team"
CONTACT_TITLE = "Duty worker"

SERVICES = [
    _ddas("Llanelli", "Llanelli", "14 Vaughan Street", "SA15 3AS", CARMS, "01632 960101"),
    _ddas("Carmarthen", "Caerfyrddin", "27 Lammas Street", "SA31 3AL", CARMS, "01632 960102"),
    _ddas("Aberystwyth", "Aberystwyth", "9 Queen's Road", "SY23 2HN", CERED, "01632 960103"),
    _ddas("Haverfordwest", "Hwlffordd", "5 Hill Street", "SA61 1QF", PEMBS, "01632 960104"),
    DemoService(
        DDAS,
        "DDAS young people's service",
        "Gwasanaeth pobl ifanc GCAD",
        "Support for young people aged 11 to 25 who are worried about their own drug or "
        "alcohol use. Meets young people at school, at home or in town.",
        "Cymorth i bobl ifanc 11 i 25 oed sy'n poeni am eu defnydd eu hunain o gyffuriau neu "
        "alcohol. Yn cwrdd â phobl ifanc yn yr ysgol, gartref neu yn y dref.",
        "Call the team or send a referral through Pontio with the young person's agreement.",
        "Ffoniwch y tîm neu anfonwch atgyfeiriad drwy Pontio gyda chytundeb yr unigolyn ifanc.",
        counties=(CARMS, CERED, PEMBS),
        phone="07700 900101",
        location=None,
        hours=_weekdays("10:00", "18:00"),
        substances=("alcohol", "cannabis", "cocaine", "nps", "other"),
        minimum_age=11,
        maximum_age=25,
    ),
    _kaleidoscope("Newtown", "Y Drenewydd", "6 Broad Street", "SY16 2LU", "01632 960201"),
    _kaleidoscope("Brecon", "Aberhonddu", "22 The Struet", "LD3 7LS", "01632 960202"),
    _kaleidoscope(
        "Llandrindod Wells", "Llandrindod", "3 Station Crescent", "LD1 5BB", "01632 960203"
    ),
    DemoService(
        HYWEL_DDA,
        "Community Drug and Alcohol Team (Hywel Dda)",
        "Tîm Cyffuriau ac Alcohol Cymunedol (Hywel Dda)",
        "NHS specialist team for people with complex needs: substitute prescribing, "
        "detoxification, and mental and physical health alongside drug or alcohol use.",
        "Tîm arbenigol y GIG ar gyfer pobl ag anghenion cymhleth: rhagnodi amnewid, dadwenwyno, "
        "ac iechyd meddwl a chorfforol ochr yn ochr â defnyddio cyffuriau neu alcohol.",
        "Referral from a GP, DDAS or another health professional. Police cannot refer directly.",
        "Atgyfeiriad gan feddyg teulu, GCAD neu weithiwr iechyd proffesiynol arall. Ni all yr "
        "heddlu atgyfeirio'n uniongyrchol.",
        counties=(CARMS, CERED, PEMBS),
        phone="01632 960301",
        location=("Ty Myrddin", "Tŷ Myrddin", "Old Road", "Carmarthen", "SA31 3HB", CARMS),
        hours=_weekdays("09:00", "17:00"),
        substances=("alcohol", "opioids", "benzodiazepines", "crack", "other"),
        pontio=False,
        criminal_justice=False,
    ),
    DemoService(
        POWYS_THB,
        "Powys Substance Misuse Service (NHS)",
        "Gwasanaeth Camddefnyddio Sylweddau Powys (GIG)",
        "NHS prescribing, detoxification and nurse-led clinics across Powys, working with "
        "Kaleidoscope.",
        "Rhagnodi, dadwenwyno a chlinigau dan arweiniad nyrsys y GIG ledled Powys, gan weithio "
        "gyda Kaleidoscope.",
        "Referral from a GP or Kaleidoscope.",
        "Atgyfeiriad gan feddyg teulu neu Kaleidoscope.",
        counties=(POWYS,),
        phone="01632 960401",
        location=(
            "Llandrindod Wells Hospital",
            "Ysbyty Llandrindod",
            "Temple Street",
            "Llandrindod Wells",
            "LD1 5HF",
            POWYS,
        ),
        hours=_weekdays("09:00", "17:00"),
        substances=("alcohol", "opioids", "benzodiazepines", "other"),
        pontio=False,
        criminal_justice=False,
    ),
    DemoService(
        POBL,
        "Drug diversion scheme",
        "Cynllun dargyfeirio cyffuriau",
        "An out-of-court alternative for adults found with drugs for personal use: a "
        "one-to-one education and harm reduction session, with onward referral if wanted.",
        "Dewis arall y tu allan i'r llys i oedolion a geir â chyffuriau at ddefnydd personol: "
        "sesiwn addysg a lleihau niwed un-i-un, gydag atgyfeiriad ymlaen os dymunir.",
        "Officers refer through Pontio when the disposal is given; the navigator contacts the "
        "person within two working days.",
        "Mae swyddogion yn atgyfeirio drwy Pontio pan roddir y gwarediad; mae'r llywiwr yn "
        "cysylltu â'r unigolyn o fewn dau ddiwrnod gwaith.",
        counties=(CARMS, CERED, PEMBS, POWYS),
        phone="07700 900401",
        location=None,
        hours=_weekdays("08:30", "18:00"),
        substances=("cannabis", "cocaine", "amphetamines", "nps", "other"),
        diversion=True,
    ),
]


def _ensure_substances() -> None:
    """The substances come from a data migration; reload them if a test flush removed them."""
    from django.apps import apps

    if not Substance.objects.exists():
        migration = importlib.import_module("pontio.directory.migrations.0002_substances")
        migration.seed(apps, None)


def _service_data(
    item: DemoService, substances: dict[str, Substance], counties: dict[str, County]
) -> ServiceData:
    location = item.location
    return ServiceData(
        name=item.name,
        name_cy=item.name_cy,
        description=item.description,
        description_cy=item.description_cy,
        how_to_refer=item.how_to_refer,
        how_to_refer_cy=item.how_to_refer_cy,
        accepts_pontio_referrals=item.pontio,
        accepts_criminal_justice_referrals=item.criminal_justice,
        diversion_scheme=item.diversion,
        minimum_age=item.minimum_age,
        maximum_age=item.maximum_age,
        email=item.email,
        substances=tuple(substances[code] for code in item.substances),
        counties=tuple(counties[code] for code in item.counties),
        location_name=location[0] if location else "",
        location_name_cy=location[1] if location else "",
        address_1=location[2] if location else "",
        city=location[3] if location else "",
        postcode=location[4] if location else "",
        location_county=counties[location[5]] if location else None,
        phone=item.phone,
        contact_name=CONTACT_NAME,
        contact_title=CONTACT_TITLE,
        hours=item.hours,
    )


def _comparable(data: ServiceData) -> ServiceData:
    """``data`` as stored: the phone in E.164, substances and counties in a stable order."""
    return replace(
        data,
        phone=normalise_uk_phone(data.phone) if data.phone else "",
        postcode=data.postcode.strip().upper(),
        substances=tuple(sorted(data.substances, key=lambda s: s.pk)),
        counties=tuple(sorted(data.counties, key=lambda c: c.pk)),
    )


def seed_directory() -> list[Service]:
    """Create the demo directory, or bring it up to date (idempotent: a service already as
    given is left alone). Demo and test environments only.

    Everything is written through the directory services by the demo administrator (run
    ``seed_accounts`` first), so the rules are checked and each change is audited.
    """
    if settings.PONTIO_ENV not in {"demo", "test"}:
        raise ImproperlyConfigured("Demo directory data is only for demo and test environments.")
    admin = User.objects.filter(username=ADMINISTRATOR).first()
    if admin is None:
        raise ImproperlyConfigured("Load the demo users first (seed_accounts).")
    context = AuditContext.system("seed_directory")
    _ensure_substances()
    counties = {c.ons_code: c for c in restrict(County.objects.all(), admin, "view")}
    substances = {s.code: s for s in restrict(Substance.objects.all(), admin, "view")}
    owners = {
        o.name: o
        for o in restrict(Organisation.objects.all(), admin, "view").filter(
            name__in=[spec.name for spec in ORGANISATIONS]
        )
    }
    seeded: list[Service] = []
    with transaction.atomic():
        orgs: dict[str, DirectoryOrganisation] = {}
        for spec in ORGANISATIONS:
            orgs[spec.name] = directory_organisation_save(
                context=context,
                actor=admin,
                data=OrganisationData(
                    name=spec.name,
                    name_cy=spec.name_cy,
                    description=spec.description,
                    description_cy=spec.description_cy,
                    website=spec.website,
                    owner=owners.get(spec.name),
                ),
            )
        existing = {
            (s.organisation_id, s.name): s
            for s in restrict(Service.objects.all(), admin, "change").filter(
                organisation__in=orgs.values()
            )
        }
        for item in SERVICES:
            org = orgs[item.org]
            data = _service_data(item, substances, counties)
            service = existing.get((org.pk, item.name))
            if service is None:
                service = service_create(
                    context=context, actor=admin, organisation_id=org.pk, data=data
                )
            elif _comparable(service_data_of(service)) != _comparable(data):
                service = service_update(
                    context=context,
                    actor=admin,
                    service_id=service.pk,
                    expected_version=service.version,
                    data=data,
                )
            seeded.append(service)
    return seeded
