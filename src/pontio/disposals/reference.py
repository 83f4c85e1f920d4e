"""The disposals' reference data as first loaded (a migration); administrators keep it after.

Sources (DOMAIN.md §2, §3):

- community resolution: no statute (common-law discretion; NPCC Charging and OOCD National
  Strategy 2017-2021); admission required, victim's views sought, supervisor (sergeant or
  above) authorises; not enforceable, so a breach is recorded only; not for intimate-partner
  domestic abuse;
- adult conditional caution: Criminal Justice Act 2003 ss22-27: 18 or over, evidence to
  charge, admission, signed document; rehabilitative, reparative, restrictive and punitive
  conditions (Police and Justice Act 2006 s17), attendance capped at 20 hours in total
  excluding rehabilitative attendance; usually up to 16 weeks, exceptionally 20; authorised by
  a sergeant or above; indictable-only offences go to the CPS; breach means prosecution for
  the original offence;
- diversionary caution (PCSC Act 2022 ss98-106, not in force when the sources were read):
  upper tier, unpaid work up to 20 hours, no punitive conditions, breach means prosecution;
- community caution (PCSC Act 2022 ss107-115, not in force): lower tier, unpaid work up to
  10 hours, attendance up to 10 hours, a financial penalty condition (s110), excluded
  offences (s98(6)), breach means a financial penalty registered at court, never prosecution.

Two values are Pontio's own defaults, for the force to confirm (DOMAIN.md does not give them):
the community resolution's compliance period (8 weeks, at most 12) and the conditional
caution's financial penalty cap (GBP 250). The mapping of final gravity scores to outcomes
is configurable because the national adult mapping was not found (DOMAIN.md §2.5): the
defaults follow the outline there (1 community resolution, 2 conditional caution, 3 and 4
charge).
"""

from __future__ import annotations

from typing import Any, NamedTuple

SERGEANT_OR_ABOVE = ["custody_sergeant", "inspector"]

REHABILITATIVE = ["drug_treatment", "drug_awareness", "diversion_scheme", "attendance"]
REPARATIVE = ["apology", "repair", "compensation", "unpaid_work"]
RESTRICTIVE = ["keep_away", "no_contact"]
PUNITIVE = ["financial_penalty"]


class OffenceSpec(NamedTuple):
    code: str
    label_en: str
    label_cy: str
    group: str
    score: int
    indictable_only: bool = False


OFFENCES = [
    OffenceSpec(
        "cannabis_possession", "Possession of cannabis", "Meddu ar ganabis", "drugs_possession", 1
    ),
    OffenceSpec(
        "class_b_possession",
        "Possession of a Class B drug (not cannabis)",
        "Meddu ar gyffur Dosbarth B (nid canabis)",
        "drugs_possession",
        2,
    ),
    OffenceSpec(
        "class_a_possession",
        "Possession of a Class A drug",
        "Meddu ar gyffur Dosbarth A",
        "drugs_possession",
        2,
    ),
    OffenceSpec(
        "class_b_supply",
        "Possession of a Class B drug with intent to supply",
        "Meddu ar gyffur Dosbarth B gyda'r bwriad o'i gyflenwi",
        "drugs_supply",
        3,
    ),
    OffenceSpec(
        "class_a_supply",
        "Supplying a Class A drug",
        "Cyflenwi cyffur Dosbarth A",
        "drugs_supply",
        4,
    ),
    OffenceSpec("shoplifting", "Theft from a shop", "Dwyn o siop", "theft", 1),
    OffenceSpec("theft_other", "Theft (other)", "Dwyn (arall)", "theft", 2),
    OffenceSpec(
        "criminal_damage",
        "Criminal damage (under GBP 5,000)",
        "Difrod troseddol (llai na GBP 5,000)",
        "criminal_damage",
        2,
    ),
    OffenceSpec(
        "public_order_s5",
        "Harassment, alarm or distress (Public Order Act 1986 s5)",
        "Aflonyddu, braw neu ofid (Deddf Trefn Gyhoeddus 1986 a5)",
        "public_order",
        1,
    ),
    OffenceSpec(
        "public_order_s4",
        "Fear or provocation of violence (Public Order Act 1986 s4)",
        "Achosi ofn neu gymell trais (Deddf Trefn Gyhoeddus 1986 a4)",
        "public_order",
        2,
    ),
    OffenceSpec("common_assault", "Common assault", "Ymosodiad cyffredin", "violence", 2),
    OffenceSpec(
        "assault_abh",
        "Assault occasioning actual bodily harm",
        "Ymosodiad sy'n achosi gwir niwed corfforol",
        "violence",
        3,
    ),
    OffenceSpec(
        "assault_partner",
        "Common assault on an intimate partner",
        "Ymosodiad cyffredin ar bartner agos",
        "domestic_abuse",
        3,
    ),
    OffenceSpec(
        "bladed_article",
        "Possession of a bladed article in public",
        "Meddu ar eitem llafnog mewn man cyhoeddus",
        "weapons",
        3,
    ),
    OffenceSpec(
        "fraud_minor",
        "Fraud by false representation (low value)",
        "Twyll drwy gynrychiolaeth ffug (gwerth isel)",
        "fraud",
        2,
    ),
    OffenceSpec(
        "burglary_dwelling", "Burglary of a dwelling", "Bwrgleriaeth annedd", "burglary", 4
    ),
    OffenceSpec("robbery", "Robbery", "Lladrad", "robbery", 4, True),
]


class FactorSpec(NamedTuple):
    code: str
    label_en: str
    label_cy: str
    adjustment: int


FACTORS = [
    FactorSpec("agg_previous", "Relevant previous offending", "Troseddu blaenorol perthnasol", 1),
    FactorSpec(
        "agg_vulnerable_victim",
        "The victim was vulnerable",
        "Roedd y dioddefwr yn agored i niwed",
        1,
    ),
    FactorSpec("agg_on_bail", "Committed while on bail", "Wedi'i chyflawni tra ar fechnïaeth", 1),
    FactorSpec(
        "agg_hostility",
        "Motivated by hostility (hate)",
        "Wedi'i chymell gan elyniaeth (casineb)",
        1,
    ),
    FactorSpec(
        "agg_planned", "Planned or committed in a group", "Wedi'i chynllunio neu mewn grŵp", 1
    ),
    FactorSpec(
        "mit_remorse",
        "Genuine remorse and reparation offered",
        "Edifeirwch gwirioneddol a chynnig gwneud iawn",
        -1,
    ),
    FactorSpec("mit_single", "A single, impulsive act", "Un weithred fyrbwyll", -1),
    FactorSpec(
        "mit_minor_loss", "The loss or harm was minor", "Roedd y golled neu'r niwed yn fach", -1
    ),
    FactorSpec(
        "mit_health",
        "Linked to a health need now being addressed",
        "Yn gysylltiedig ag angen iechyd sy'n cael sylw",
        -1,
    ),
]


def _type(code: str, **values: Any) -> dict[str, Any]:
    return {"code": code, **values}


TYPES: list[dict[str, Any]] = [
    _type(
        "community_resolution",
        label_en="Community resolution",
        label_cy="Datrysiad cymunedol",
        tier="lower",
        commenced=True,
        statute_en="Common-law discretion; NPCC Charging and OOCD National Strategy",
        statute_cy=(
            "Disgresiwn cyfraith gyffredin; Strategaeth Genedlaethol NPCC ar Gyhuddo a "
            "Gwarediadau y Tu Allan i'r Llys"
        ),
        admission_required=True,
        evidence_to_charge_required=False,
        minimum_age=18,
        authoriser_roles=SERGEANT_OR_ABOVE,
        allowed_categories=[*REHABILITATIVE, "apology", "repair", "compensation"],
        unpaid_work_cap_hours=None,
        attendance_cap_hours=None,
        financial_cap_pence=None,
        default_compliance_weeks=8,
        maximum_compliance_weeks=12,
        excludes_indictable_only=True,
        breach_route="not_enforceable",
        excluded=["assault_partner"],
        sort_order=10,
    ),
    _type(
        "conditional_caution",
        label_en="Adult conditional caution",
        label_cy="Rhybuddiad amodol i oedolion",
        tier="upper",
        commenced=True,
        statute_en="Criminal Justice Act 2003, Part 3 (sections 22 to 27)",
        statute_cy="Deddf Cyfiawnder Troseddol 2003, Rhan 3 (adrannau 22 i 27)",
        admission_required=True,
        evidence_to_charge_required=True,
        minimum_age=18,
        authoriser_roles=SERGEANT_OR_ABOVE,
        allowed_categories=REHABILITATIVE + REPARATIVE + RESTRICTIVE + PUNITIVE,
        unpaid_work_cap_hours=20,
        attendance_cap_hours=20,
        financial_cap_pence=25000,
        default_compliance_weeks=16,
        maximum_compliance_weeks=20,
        excludes_indictable_only=True,
        breach_route="prosecution",
        excluded=[],
        sort_order=20,
    ),
    _type(
        "diversionary_caution",
        label_en="Diversionary caution",
        label_cy="Rhybuddiad dargyfeiriol",
        tier="upper",
        commenced=False,
        statute_en="Police, Crime, Sentencing and Courts Act 2022, sections 98 to 106",
        statute_cy="Deddf yr Heddlu, Troseddu, Dedfrydu a'r Llysoedd 2022, adrannau 98 i 106",
        admission_required=True,
        evidence_to_charge_required=True,
        minimum_age=18,
        authoriser_roles=SERGEANT_OR_ABOVE,
        allowed_categories=REHABILITATIVE + REPARATIVE + RESTRICTIVE,
        unpaid_work_cap_hours=20,
        attendance_cap_hours=None,
        financial_cap_pence=None,
        default_compliance_weeks=16,
        maximum_compliance_weeks=20,
        excludes_indictable_only=True,
        breach_route="prosecution",
        excluded=[],
        sort_order=30,
    ),
    _type(
        "community_caution",
        label_en="Community caution",
        label_cy="Rhybuddiad cymunedol",
        tier="lower",
        commenced=False,
        statute_en="Police, Crime, Sentencing and Courts Act 2022, sections 107 to 115",
        statute_cy="Deddf yr Heddlu, Troseddu, Dedfrydu a'r Llysoedd 2022, adrannau 107 i 115",
        admission_required=True,
        evidence_to_charge_required=True,
        minimum_age=18,
        authoriser_roles=SERGEANT_OR_ABOVE,
        allowed_categories=REHABILITATIVE + REPARATIVE + RESTRICTIVE + PUNITIVE,
        unpaid_work_cap_hours=10,
        attendance_cap_hours=10,
        financial_cap_pence=None,
        default_compliance_weeks=16,
        maximum_compliance_weeks=20,
        excludes_indictable_only=True,
        breach_route="financial_penalty",
        excluded=["assault_partner", "bladed_article"],
        sort_order=40,
    ),
]


OUTCOMES: list[dict[str, Any]] = [
    {
        "code": "score_1",
        "score": 1,
        "outcome": "disposal",
        "type": "community_resolution",
        "label_en": "Score 1",
        "label_cy": "Sgôr 1",
        "reason_en": "A score of 1 is the lowest gravity: the lower tier is proportionate.",
        "reason_cy": "Sgôr 1 yw'r difrifoldeb isaf: mae'r haen isaf yn gymesur.",
    },
    {
        "code": "score_2",
        "score": 2,
        "outcome": "disposal",
        "type": "conditional_caution",
        "label_en": "Score 2",
        "label_cy": "Sgôr 2",
        "reason_en": (
            "A score of 2 calls for conditions that address the offending: the upper tier, "
            "with a rehabilitative condition where drugs or alcohol are involved."
        ),
        "reason_cy": (
            "Mae sgôr 2 yn galw am amodau sy'n mynd i'r afael â'r troseddu: yr haen uchaf, "
            "gydag amod adsefydlu pan fo cyffuriau neu alcohol yn rhan o'r drosedd."
        ),
    },
    {
        "code": "score_3",
        "score": 3,
        "outcome": "charge",
        "type": None,
        "label_en": "Score 3",
        "label_cy": "Sgôr 3",
        "reason_en": (
            "A score of 3 normally means a charge; an upper-tier disposal only where the "
            "factors and the victim's views make it the better way to stop reoffending."
        ),
        "reason_cy": (
            "Mae sgôr 3 fel arfer yn golygu cyhuddiad; gwarediad haen uchaf dim ond pan fo'r "
            "ffactorau a barn y dioddefwr yn ei wneud yn well ffordd o atal aildroseddu."
        ),
    },
    {
        "code": "score_4",
        "score": 4,
        "outcome": "charge",
        "type": None,
        "label_en": "Score 4",
        "label_cy": "Sgôr 4",
        "reason_en": "A score of 4 is the highest gravity: charge.",
        "reason_cy": "Sgôr 4 yw'r difrifoldeb uchaf: cyhuddo.",
    },
]


def load_all(apps: Any = None, schema_editor: Any = None) -> None:
    """Load the rows that are missing (a migration; tests after a flush). Existing rows,
    which an administrator may have changed, are left alone."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    offence_model = apps.get_model("disposals", "GravityOffence")
    type_model = apps.get_model("disposals", "DisposalType")
    factor_model = apps.get_model("disposals", "GravityFactor")
    outcome_model = apps.get_model("disposals", "GravityOutcome")
    offences = {}
    for order, spec in enumerate(OFFENCES):
        offences[spec.code], _ = offence_model.objects.get_or_create(
            code=spec.code,
            defaults={
                "label_en": spec.label_en,
                "label_cy": spec.label_cy,
                "offence_group": spec.group,
                "base_score": spec.score,
                "indictable_only": spec.indictable_only,
                "sort_order": order,
            },
        )
    for order, factor in enumerate(FACTORS):
        factor_model.objects.get_or_create(
            code=factor.code,
            defaults={
                "label_en": factor.label_en,
                "label_cy": factor.label_cy,
                "adjustment": factor.adjustment,
                "sort_order": order,
            },
        )
    types = {}
    for type_spec in TYPES:
        values = dict(type_spec)
        excluded = values.pop("excluded")
        code = values.pop("code")
        types[code], created = type_model.objects.get_or_create(code=code, defaults=values)
        if created:
            types[code].excluded_offences.set([offences[c] for c in excluded])
    for order, outcome_spec in enumerate(OUTCOMES):
        values = dict(outcome_spec)
        type_code = values.pop("type")
        code = values.pop("code")
        values["disposal_type"] = types[type_code] if type_code else None
        outcome_model.objects.get_or_create(code=code, defaults={**values, "sort_order": order})
    scheme_model = apps.get_model("disposals", "DiversionScheme")
    scheme_model.objects.get_or_create(
        code="offender_diversion",
        defaults={
            "label_en": "Offender Diversion Scheme",
            "label_cy": "Cynllun Dargyfeirio Troseddwyr",
            "excluded_groups": ["domestic_abuse", "robbery", "burglary"],
        },
    )
