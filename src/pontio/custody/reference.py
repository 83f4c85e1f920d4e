"""The reference data the custody app starts with: suites, their notifications, offences.

Loaded by data migrations (``load_suites``, ``load_offences``); the functions are also
called by tests whose database was flushed (live-server tests remove migration data).
Both are idempotent: a row already there is refreshed, never duplicated, and a row an
administrator added is left alone.

Custody suites: Dyfed-Powys Police's designated suites by town. HMICFRS inspected seven in
November 2017 (DOMAIN.md §1.3); the six below are the towns the force is known to hold
detainees in and must be checked against the force's current designations.

Notifications (PACE s63B(1)(c); Drugs Act 2005 s9): DOMAIN.md §1.3 found **no evidence**
that the notification condition is met for any Dyfed-Powys suite. The demo treats every
suite except Newtown as notified from 1 April 2024 (arrest: 18 and over; charge: 14 to 17
and 18 and over; required assessment: 18 and over), so that both paths can be shown. This
is an assumption that MUST be confirmed with the force (and the notice references filled
in) before any live use; until then a live deployment should end these rows.

Offences: the trigger offences of the Criminal Justice and Court Services Act 2000 Sch 6 as
in DOMAIN.md §1.2, with a few common offences that are not trigger offences. Misuse of
Drugs Act 1971 s4, s5(2) and s5(3) trigger only where a specified Class A drug is involved
(``class_a_only``): possession of cannabis under s5(2) is not a trigger offence. The Fraud
Act 2006 offences, and attempted fraud, were added from 1 August 2007. Handling stolen goods
(Theft Act 1968 s22) was added in 2004 (SI 2004/1892; its exact commencement date is not
recorded here, so the row is undated). The Vagrancy Act 1824 s3 and s4 rows are
**unverified**: the Home Office list that names the Vagrancy Act is cut off in the source,
and the sections are given from memory (DOMAIN.md §1.2); confirm before relying on them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"


class SuiteSpec(NamedTuple):
    code: str
    label_en: str
    label_cy: str
    county: str  # ONS code
    notified: bool


SUITES: tuple[SuiteSpec, ...] = (
    SuiteSpec("ABERYSTWYTH", "Aberystwyth", "Aberystwyth", CERED, True),
    SuiteSpec("AMMANFORD", "Ammanford", "Rhydaman", CARMS, True),
    SuiteSpec("BRECON", "Brecon", "Aberhonddu", POWYS, True),
    SuiteSpec("HAVERFORDWEST", "Haverfordwest", "Hwlffordd", PEMBS, True),
    SuiteSpec("LLANELLI", "Llanelli", "Llanelli", CARMS, True),
    SuiteSpec("NEWTOWN", "Newtown", "Y Drenewydd", POWYS, False),
)

# The demo's assumed notifications (see the module docstring: to be confirmed).
NOTIFIED_FROM = dt.date(2024, 4, 1)
NOTIFIED_COHORTS: tuple[tuple[str, str], ...] = (
    ("arrest", "18_plus"),
    ("charge", "14_17"),
    ("charge", "18_plus"),
    ("assessment", "18_plus"),
)
NOTIFICATION_REFERENCE = "Demo assumption: to be confirmed with the force"


class OffenceSpec(NamedTuple):
    code: str
    label_en: str
    label_cy: str
    act: str
    section: str
    trigger: bool
    class_a_only: bool = False
    valid_from: dt.date | None = None


THEFT = "Theft Act 1968"
MDA = "Misuse of Drugs Act 1971"
FRAUD = "Fraud Act 2006"
ATTEMPTS = "Criminal Attempts Act 1981"
VAGRANCY = "Vagrancy Act 1824"
FRAUD_FROM = dt.date(2007, 8, 1)

OFFENCES: tuple[OffenceSpec, ...] = (
    OffenceSpec("TA1968_S1", "Theft", "Dwyn", THEFT, "s1", True),
    OffenceSpec("TA1968_S8", "Robbery", "Lladrata", THEFT, "s8", True),
    OffenceSpec("TA1968_S9", "Burglary", "Byrgleriaeth", THEFT, "s9", True),
    OffenceSpec(
        "TA1968_S10", "Aggravated burglary", "Byrgleriaeth waethygedig", THEFT, "s10", True
    ),
    OffenceSpec(
        "TA1968_S12",
        "Taking a conveyance without authority",
        "Cymryd cerbyd heb awdurdod",
        THEFT,
        "s12",
        True,
    ),
    OffenceSpec(
        "TA1968_S12A",
        "Aggravated vehicle-taking",
        "Cymryd cerbyd mewn modd gwaethygedig",
        THEFT,
        "s12A",
        True,
    ),
    OffenceSpec(
        "TA1968_S22", "Handling stolen goods", "Trin nwyddau wedi'u dwyn", THEFT, "s22", True
    ),
    OffenceSpec(
        "TA1968_S25",
        "Going equipped for stealing",
        "Mynd ag offer ar gyfer dwyn",
        THEFT,
        "s25",
        True,
    ),
    OffenceSpec(
        "MDA1971_S4",
        "Production or supply of a controlled drug",
        "Cynhyrchu neu gyflenwi cyffur a reolir",
        MDA,
        "s4",
        True,
        class_a_only=True,
    ),
    OffenceSpec(
        "MDA1971_S5_2",
        "Possession of a controlled drug",
        "Meddu ar gyffur a reolir",
        MDA,
        "s5(2)",
        True,
        class_a_only=True,
    ),
    OffenceSpec(
        "MDA1971_S5_3",
        "Possession of a controlled drug with intent to supply",
        "Meddu ar gyffur a reolir gyda'r bwriad o'i gyflenwi",
        MDA,
        "s5(3)",
        True,
        class_a_only=True,
    ),
    OffenceSpec("FA2006_S1", "Fraud", "Twyll", FRAUD, "s1", True, valid_from=FRAUD_FROM),
    OffenceSpec(
        "FA2006_S6",
        "Possession of articles for use in fraud",
        "Meddu ar eitemau i'w defnyddio mewn twyll",
        FRAUD,
        "s6",
        True,
        valid_from=FRAUD_FROM,
    ),
    OffenceSpec(
        "FA2006_S7",
        "Making or supplying articles for use in fraud",
        "Gwneud neu gyflenwi eitemau i'w defnyddio mewn twyll",
        FRAUD,
        "s7",
        True,
        valid_from=FRAUD_FROM,
    ),
    OffenceSpec(
        "CAA1981_THEFT", "Attempted theft", "Ceisio dwyn", ATTEMPTS, "s1(1) (Theft Act s1)", True
    ),
    OffenceSpec(
        "CAA1981_ROBBERY",
        "Attempted robbery",
        "Ceisio lladrata",
        ATTEMPTS,
        "s1(1) (Theft Act s8)",
        True,
    ),
    OffenceSpec(
        "CAA1981_BURGLARY",
        "Attempted burglary",
        "Ceisio cyflawni byrgleriaeth",
        ATTEMPTS,
        "s1(1) (Theft Act s9)",
        True,
    ),
    OffenceSpec(
        "CAA1981_HANDLING",
        "Attempted handling of stolen goods",
        "Ceisio trin nwyddau wedi'u dwyn",
        ATTEMPTS,
        "s1(1) (Theft Act s22)",
        True,
    ),
    OffenceSpec(
        "CAA1981_FRAUD",
        "Attempted fraud",
        "Ceisio cyflawni twyll",
        ATTEMPTS,
        "s1(1) (Fraud Act s1)",
        True,
        valid_from=FRAUD_FROM,
    ),
    # Unverified (see the module docstring).
    OffenceSpec("VA1824_S3", "Begging", "Cardota", VAGRANCY, "s3", True),
    OffenceSpec("VA1824_S4", "Persistent begging", "Cardota parhaus", VAGRANCY, "s4", True),
    # Common offences that are not trigger offences.
    OffenceSpec(
        "CJA1988_S39",
        "Common assault",
        "Ymosod cyffredin",
        "Criminal Justice Act 1988",
        "s39",
        False,
    ),
    OffenceSpec(
        "CDA1971_S1",
        "Criminal damage",
        "Difrod troseddol",
        "Criminal Damage Act 1971",
        "s1(1)",
        False,
    ),
    OffenceSpec(
        "POA1986_S4",
        "Fear or provocation of violence",
        "Achosi ofn neu ysgogi trais",
        "Public Order Act 1986",
        "s4",
        False,
    ),
    OffenceSpec(
        "POA1986_S5",
        "Harassment, alarm or distress",
        "Aflonyddu, codi braw neu achosi trallod",
        "Public Order Act 1986",
        "s5",
        False,
    ),
    OffenceSpec(
        "RTA1988_S5",
        "Driving with excess alcohol",
        "Gyrru â gormod o alcohol",
        "Road Traffic Act 1988",
        "s5(1)(a)",
        False,
    ),
)


def load_suites(apps: Any, schema_editor: Any) -> None:
    """Data migration step: the demo suites and their (assumed) notifications."""
    county_model = apps.get_model("core", "County")
    suite_model = apps.get_model("custody", "CustodySuite")
    notification_model = apps.get_model("custody", "SuiteNotification")
    for order, spec in enumerate(SUITES, start=1):
        county = county_model.objects.filter(ons_code=spec.county).first()
        if county is None:  # counties not loaded (a flushed test database): nothing to do
            continue
        suite, _created = suite_model.objects.update_or_create(
            code=spec.code,
            defaults={
                "label_en": spec.label_en,
                "label_cy": spec.label_cy,
                "county": county,
                "sort_order": order,
            },
        )
        if not spec.notified:
            continue
        for cohort, age_group in NOTIFIED_COHORTS:
            notification_model.objects.get_or_create(
                suite=suite,
                cohort=cohort,
                age_group=age_group,
                valid_from=NOTIFIED_FROM,
                defaults={"reference": NOTIFICATION_REFERENCE},
            )


def load_offences(apps: Any, schema_editor: Any) -> None:
    """Data migration step: the trigger offences and common non-trigger offences."""
    model = apps.get_model("custody", "Offence")
    for order, spec in enumerate(OFFENCES, start=1):
        model.objects.update_or_create(
            code=spec.code,
            defaults={
                "label_en": spec.label_en,
                "label_cy": spec.label_cy,
                "act": spec.act,
                "section": spec.section,
                "trigger": spec.trigger,
                "class_a_only": spec.class_a_only,
                "valid_from": spec.valid_from,
                "sort_order": order,
            },
        )


def load_all(apps: Any = None, schema_editor: Any = None) -> None:
    """Both steps; with no ``apps``, on the current models (tests after a flush)."""
    if apps is None:
        from django.apps import apps as installed

        apps = installed
    load_suites(apps, schema_editor)
    load_offences(apps, schema_editor)
