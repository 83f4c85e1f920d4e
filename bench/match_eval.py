"""Evaluate the person matcher (pontio.people.matching) on a generated population.

Usage (from the repository root):

    .venv/bin/python bench/match_eval.py                      # seed 7, 5000 people
    .venv/bin/python bench/match_eval.py --seed 1 --people 2000 --queries 1000
    .venv/bin/python bench/match_eval.py --write-docs         # also refresh docs/matching.md

Method (see docs/matching.md): a seeded synthetic population of Welsh and English names,
dates of birth 1950-2008, PNC IDs on ~60 % of people and postcodes in real Dyfed-Powys
outward codes. Half the queries are the same person re-entered with realistic corruptions
(typos, nicknames, Welsh/English spellings, swapped day and month, missing date of birth,
a move, no PNC ID, a surname change recorded as an alias); the other half are different
people chosen to be hard (same name and different date of birth, twins, siblings, father and
son at one address, common names). Every query is blocked against the population exactly
as the service does (phonetic key of the family name OR date of birth OR PNC ID) and every
candidate in the block is scored. An offer is a candidate whose score is at or above the
threshold; it is a true positive only if it is the query's own record.

No database and no Django settings are needed: matching.py only uses gettext_lazy, which
stays lazy until a label is rendered.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from pontio.people import matching  # noqa: E402
from pontio.people.matching import (  # noqa: E402
    Identity,
    compare,
    normalise_pnc,
    phonetic_key,
    rank,
)

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
# fmt: on

# fmt: off
MALE_NAMES: list[tuple[str, float]] = [
    ("David", 30), ("John", 22), ("Michael", 14), ("Paul", 12), ("Mark", 12),
    ("Andrew", 11), ("Gareth", 10), ("Rhys", 10), ("Christopher", 10), ("Stephen", 9),
    ("Richard", 9), ("Robert", 9), ("Thomas", 9), ("Daniel", 9), ("Matthew", 8),
    ("James", 10), ("William", 7), ("Anthony", 6), ("Jonathan", 6), ("Ryan", 6),
    ("Liam", 5), ("Jack", 5), ("Joshua", 5), ("Callum", 4), ("Kieran", 4), ("Dafydd", 6),
    ("Dylan", 5), ("Rhodri", 3), ("Huw", 4), ("Owain", 4), ("Gwilym", 2), ("Llywelyn", 2),
    ("Ioan", 3), ("Iwan", 3), ("Ieuan", 2), ("Tomos", 3), ("Aled", 3), ("Geraint", 3),
    ("Hywel", 2), ("Emyr", 2), ("Gethin", 3), ("Osian", 2), ("Steffan", 2), ("Sion", 2),
    ("Gruffudd", 1), ("Elis", 1), ("Joseph", 4), ("Nicholas", 4), ("Alexander", 3),
    ("Peter", 5), ("Kevin", 4), ("Lee", 4), ("Craig", 4), ("Dean", 3), ("Wayne", 3),
]
# fmt: on

# fmt: off
FEMALE_NAMES: list[tuple[str, float]] = [
    ("Sarah", 14), ("Emma", 10), ("Rebecca", 8), ("Jennifer", 6), ("Claire", 8),
    ("Lisa", 8), ("Nicola", 8), ("Samantha", 7), ("Laura", 7), ("Amy", 7), ("Hannah", 6),
    ("Chloe", 6), ("Jessica", 5), ("Katherine", 4), ("Catherine", 4), ("Elizabeth", 6),
    ("Margaret", 5), ("Mary", 4), ("Susan", 5), ("Karen", 5), ("Julie", 5), ("Helen", 5),
    ("Sian", 6), ("Siân", 5), ("Catrin", 5), ("Megan", 6), ("Ffion", 5), ("Nia", 4),
    ("Carys", 4), ("Angharad", 3), ("Bethan", 5), ("Eleri", 3), ("Rhiannon", 4),
    ("Lowri", 4), ("Elin", 4), ("Manon", 3), ("Cerys", 4), ("Seren", 3), ("Mair", 2),
    ("Gwenllian", 1), ("Sioned", 2), ("Alexandra", 2), ("Victoria", 4), ("Deborah", 3),
    ("Michelle", 4), ("Kelly", 4), ("Gemma", 5), ("Stacey", 3), ("Zoe", 3),
]
# fmt: on

WELSH_MIDDLE = ["Wyn", "Rhys", "Glyn", "Mai", "Haf", "Eluned", "Ann", "Lee", "John", "Elen"]

# Real Dyfed-Powys outward codes (Carmarthenshire, Ceredigion, Pembrokeshire, Powys).
# fmt: off
OUTWARD_CODES = [
    "SA14", "SA15", "SA16", "SA17", "SA18", "SA19", "SA20", "SA31", "SA32", "SA33",
    "SA34", "SA35", "SA38", "SA39", "SA40", "SA41", "SA42", "SA43", "SA44", "SA45",
    "SA46", "SA47", "SA48", "SA61", "SA62", "SA63", "SA64", "SA65", "SA66", "SA67",
    "SA68", "SA69", "SA70", "SA71", "SA72", "SA73", "SY16", "SY17", "SY18", "SY19",
    "SY20", "SY21", "SY22", "SY23", "SY10", "SY15", "SY5", "LD1", "LD2", "LD3", "LD4",
    "LD5", "LD6", "LD7", "LD8", "NP8",
]
# fmt: on
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward code

# How people actually give or record their names. Written independently of names.py so
# the evaluation does not simply replay the matcher's own table.
# fmt: off
GIVEN_VARIANTS: dict[str, list[str]] = {
    "David": ["Dave", "Dai", "Dafydd", "Davey"], "Dafydd": ["David", "Dai", "Dafyd"],
    "John": ["Johnny", "Jon", "Ioan", "Sion", "Jack"], "Ioan": ["John", "Ion"],
    "Michael": ["Mike", "Mick", "Micky"], "Richard": ["Rich", "Rick", "Dick", "Richie"],
    "Robert": ["Rob", "Bob", "Robbie", "Bobby"], "Thomas": ["Tom", "Tommy", "Tomos"],
    "Tomos": ["Thomas", "Tom", "Twm"], "William": ["Will", "Bill", "Billy", "Gwilym"],
    "Gwilym": ["William", "Wil", "Gwil"], "Llywelyn": ["Llewellyn", "Llew", "Llewelyn"],
    "Huw": ["Hugh"], "Owain": ["Owen"], "Rhys": ["Rees", "Reece"], "Sion": ["Siôn", "John"],
    "Gruffudd": ["Griffith", "Gruff", "Gruffydd"], "Elis": ["Ellis"], "Iwan": ["Evan"],
    "Ieuan": ["Evan", "Ifan"], "Anthony": ["Tony", "Ant"], "Christopher": ["Chris"],
    "Stephen": ["Steve", "Steven", "Steffan"], "Steffan": ["Stephen", "Steff"],
    "Jonathan": ["Jon", "Jonny"], "Daniel": ["Dan", "Danny"], "Matthew": ["Matt", "Mathew"],
    "Joseph": ["Joe"], "Nicholas": ["Nick"], "Alexander": ["Alex"], "James": ["Jim", "Jamie"],
    "Andrew": ["Andy"], "Peter": ["Pete"], "Kevin": ["Kev"], "Gareth": ["Gaz"],
    "Joshua": ["Josh"], "Callum": ["Calum"], "Kieran": ["Kieron", "Ciaran"],
    "Rebecca": ["Becky", "Becca"], "Samantha": ["Sam", "Sammy"], "Jennifer": ["Jen", "Jenny"],
    "Katherine": ["Kathryn", "Katie", "Kate"], "Catherine": ["Cath", "Kate", "Catrin"],
    "Catrin": ["Catherine", "Cat"], "Elizabeth": ["Liz", "Beth", "Lizzie", "Betty"],
    "Margaret": ["Maggie", "Meg", "Peggy"], "Megan": ["Meg"], "Mary": ["Mair"],
    "Mair": ["Mary"], "Sian": ["Siân", "Shan", "Jane"], "Siân": ["Sian", "Shan"],
    "Susan": ["Sue", "Suzy"], "Victoria": ["Vicky", "Vicki"], "Jessica": ["Jess"],
    "Deborah": ["Debbie", "Debs"], "Alexandra": ["Alex"], "Rhiannon": ["Rhi"],
    "Helen": ["Elin"], "Elin": ["Helen"], "Nicola": ["Nicky", "Nikki"], "Laura": ["Lowri"],
    "Lowri": ["Laura"], "Cerys": ["Ceri"], "Bethan": ["Beth"], "Sioned": ["Sian", "Janet"],
}
# fmt: on

# fmt: off
FAMILY_VARIANTS: dict[str, list[str]] = {
    "Llewellyn": ["Llywelyn", "Llewelyn", "Lewellyn"], "Lloyd": ["Llwyd", "Loyd"],
    "Griffiths": ["Griffith", "Gruffydd"], "Price": ["Pryce"],
    "Rees": ["Rhys", "Reece"], "Davies": ["Davis"], "Phillips": ["Philips"],
    "Pritchard": ["Prichard"], "Powell": ["Powel"], "Vaughan": ["Vaughn", "Fychan"],
    "Bevan": ["Beavan"], "Meredith": ["Meredydd"], "Hughes": ["Hughs"], "Owen": ["Owens"],
    "Jenkins": ["Jenkin"], "Howells": ["Howell", "Hywel"], "Harries": ["Harris"],
    "Rowlands": ["Rowland"], "Edwards": ["Edward"], "Gwynne": ["Gwyn", "Wynne"],
    "McCarthy": ["MacCarthy"], "MacDonald": ["McDonald", "Mcdonald"], "McLean": ["MacLean"],
    "O'Brien": ["OBrien", "O Brien"], "Mathias": ["Matthias"], "Probert": ["Probyn"],
}
# fmt: on

# fmt: off
COMMON_FULL_NAMES = [("David", "Jones"), ("John", "Jones"), ("David", "Davies"),
                     ("John", "Davies"), ("Sarah", "Jones"), ("David", "Williams"),
                     ("Gareth", "Jones"), ("Rhys", "Jones"), ("Sian", "Jones"),
                     ("John", "Williams"), ("Mark", "Evans"), ("Emma", "Thomas")]

KEYBOARD = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij",
    "i": "uok", "o": "ipl", "p": "ol", "a": "qsz", "s": "adwx", "d": "sfe", "f": "dgr",
    "g": "fht", "h": "gjy", "j": "hku", "k": "jli", "l": "ko", "z": "xa", "x": "zcs",
    "c": "xvd", "v": "cbf", "b": "vng", "n": "bmh", "m": "nj",
}
# fmt: on


@dataclass
class Person:
    identity: Identity
    sex: str


@dataclass
class Query:
    identity: Identity
    truth: int | None  # index of the same person in the population, None for a new person
    tags: list[str] = field(default_factory=list)


def _pick(rng: random.Random, table: list[tuple[str, float]]) -> str:
    names, weights = zip(*table, strict=True)
    return rng.choices(names, weights=weights)[0]


def _postcode(rng: random.Random, outward: str | None = None) -> str:
    outward = outward or rng.choice(OUTWARD_CODES)
    return f"{outward} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def _pnc(rng: random.Random) -> str:
    year = rng.randint(80, 125) % 100
    return f"{year:02d}/{rng.randint(1, 999999)}{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}"


def _dob(rng: random.Random) -> dt.date:
    start, end = dt.date(1950, 1, 1), dt.date(2008, 12, 31)
    # More younger adults than older ones, as in criminal-justice contacts.
    span = (end - start).days
    return start + dt.timedelta(days=int(span * (1 - rng.random() ** 1.6)))


def _given(rng: random.Random, sex: str) -> str:
    return _pick(rng, MALE_NAMES if sex == "m" else FEMALE_NAMES)


def make_person(rng: random.Random) -> Person:
    sex = rng.choice("mf")
    given = _given(rng, sex)
    if rng.random() < 0.15:
        given = f"{given} {rng.choice(WELSH_MIDDLE)}"
    family = _pick(rng, FAMILY_NAMES)
    aliases: tuple[tuple[str, str], ...] = ()
    if rng.random() < (0.12 if sex == "f" else 0.03):
        aliases = ((given.split()[0], _pick(rng, FAMILY_NAMES)),)
    identity = Identity(
        given_name=given,
        family_name=family,
        date_of_birth=_dob(rng),
        pnc_id=_pnc(rng) if rng.random() < 0.6 else "",
        postcode=_postcode(rng) if rng.random() < 0.95 else "",
        aliases=aliases,
    )
    return Person(identity=identity, sex=sex)


# ---------------------------------------------------------------------------
# Corruptions


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


def _format_postcode(rng: random.Random, postcode: str) -> str:
    return rng.choice([postcode, postcode.replace(" ", ""), postcode.lower()])


def _shout(rng: random.Random, name: str) -> str:
    return rng.choice([name, name, name.upper(), name.lower()])


SCENARIOS = [
    ("given_nickname", 3),
    ("given_typo", 2),
    ("family_typo", 2),
    ("family_variant", 2),
    ("family_double_barrel", 0.5),
    ("dob_transposed", 2),
    ("dob_typo", 1.5),
    ("dob_missing", 1.5),
    ("moved", 2),
    ("surname_change", 1),
    ("clean", 1.5),
    ("middle_name", 0.5),
]


def _apply(rng: random.Random, scenario: str, fields: dict, person: Person) -> bool:
    """Apply one corruption in place; False when it does not apply to this person."""
    given_first = fields["given"].split()[0]
    if scenario == "given_nickname":
        options = GIVEN_VARIANTS.get(given_first)
        if not options:
            return False
        fields["given"] = rng.choice(options)
    elif scenario == "given_typo":
        fields["given"] = typo(rng, given_first)
    elif scenario == "family_typo":
        fields["family"] = typo(rng, fields["family"])
    elif scenario == "family_variant":
        base = fields["family"]
        options = FAMILY_VARIANTS.get(base)
        if not options:
            return False
        fields["family"] = rng.choice(options)
    elif scenario == "family_double_barrel":
        parts = re.split(r"[- ]", fields["family"])
        if len(parts) < 2:
            return False
        fields["family"] = rng.choice([parts[-1], parts[0], " ".join(parts)])
    elif scenario == "dob_transposed":
        dob = fields["dob"]
        if dob is None or dob.day > 12 or dob.day == dob.month:
            return False
        fields["dob"] = dt.date(dob.year, dob.day, dob.month)
    elif scenario == "dob_typo":
        dob = fields["dob"]
        if dob is None:
            return False
        for _ in range(10):
            digits = list(dob.strftime("%d%m%Y"))
            pos = rng.choice([0, 1, 6, 7])  # day or the last two year digits
            digits[pos] = str(rng.randrange(10))
            try:
                new = dt.datetime.strptime("".join(digits), "%d%m%Y").date()  # noqa: DTZ007
            except ValueError:
                continue
            if new != dob and 1930 <= new.year <= 2010:  # impossible dates are refused on entry
                fields["dob"] = new
                return True
        return False
    elif scenario == "dob_missing":
        fields["dob"] = None
    elif scenario == "moved":
        fields["postcode"] = _postcode(rng)
    elif scenario == "surname_change":
        ident = person.identity
        if ident.aliases and rng.random() < 0.5:
            # Officer records the other (previous or later) name the record holds as an alias.
            fields["family"] = ident.aliases[0][1]
        else:
            # New surname given; the old one is recorded on the query as "also known as".
            new = _pick(rng, FAMILY_NAMES)
            if new == fields["family"]:
                return False
            fields["aliases"] = ((given_first, fields["family"]),)
            fields["family"] = new
    elif scenario == "middle_name":
        parts = fields["given"].split()
        if len(parts) < 2:
            return False
        fields["given"] = rng.choice([parts[0], parts[1] if rng.random() < 0.3 else parts[0]])
    return True


def make_duplicate(rng: random.Random, person: Person, index: int) -> Query:
    ident = person.identity
    fields: dict = {
        "given": ident.given_name,
        "family": ident.family_name,
        "dob": ident.date_of_birth,
        "pnc": "",
        "postcode": ident.postcode,
        "aliases": (),
    }
    tags: list[str] = []
    # Background: officers often lack the PNC ID at first contact and may drop middle names.
    if ident.pnc_id and rng.random() < 0.4:
        fields["pnc"] = _format_pnc(rng, ident.pnc_id)
        if rng.random() < 0.02:
            fields["pnc"] = _pnc(rng)  # mistyped PNC ID: conflicts with the record
            tags.append("pnc_mistyped")
    if fields["pnc"]:
        tags.append("with_pnc")
    if rng.random() < 0.5:
        fields["given"] = fields["given"].split()[0]
    if rng.random() < 0.1:
        fields["postcode"] = ""
    names, weights = zip(*SCENARIOS, strict=True)
    wanted = 1 + (rng.random() < 0.35) + (rng.random() < 0.1)
    attempts = 0
    while len([t for t in tags if t in names]) < wanted and attempts < 20:
        attempts += 1
        scenario = rng.choices(names, weights=weights)[0]
        if scenario in tags:
            continue
        if scenario == "clean":
            if not tags or tags == ["with_pnc"]:
                tags.append("clean")  # re-entered as recorded: no other corruption
                break
            continue
        if _apply(rng, scenario, fields, person):
            tags.append(scenario)
    identity = Identity(
        given_name=_shout(rng, fields["given"]),
        family_name=_shout(rng, fields["family"]),
        date_of_birth=fields["dob"],
        pnc_id=fields["pnc"],
        postcode=_format_postcode(rng, fields["postcode"]) if fields["postcode"] else "",
        aliases=fields["aliases"],
    )
    return Query(identity=identity, truth=index, tags=tags)


NEGATIVES = [
    ("same_name_other_dob", 3),
    ("father_son", 1.5),
    ("twin", 1.5),
    ("sibling", 1.5),
    ("common_name", 2),
    ("same_name_near_dob", 1),
]


def make_non_duplicate(rng: random.Random, population: list[Person]) -> Query:
    person = rng.choice(population)
    ident = person.identity
    kind = rng.choices(*zip(*NEGATIVES, strict=True))[0]
    given, family = ident.given_name.split()[0], ident.family_name
    dob: dt.date | None = _dob(rng)
    postcode = _postcode(rng)
    if kind == "same_name_other_dob":
        if rng.random() < 0.3:
            postcode = _postcode(rng, ident.postcode.split()[0] if ident.postcode else None)
    elif kind == "father_son" and ident.date_of_birth:
        years = rng.randint(20, 35) * rng.choice([-1, 1])
        dob = dt.date(ident.date_of_birth.year + years, rng.randint(1, 12), rng.randint(1, 28))
        postcode = ident.postcode
    elif kind in ("twin", "sibling"):
        for _ in range(20):
            other = _given(rng, person.sex)
            if other.split()[0] != given:
                given = other
                break
        postcode = ident.postcode
        if kind == "twin":
            dob = ident.date_of_birth
        elif ident.date_of_birth:
            dob = ident.date_of_birth + dt.timedelta(days=rng.randint(365, 3650))
    elif kind == "common_name":
        given, family = rng.choice(COMMON_FULL_NAMES)
    elif kind == "same_name_near_dob" and ident.date_of_birth:
        dob = ident.date_of_birth + dt.timedelta(days=rng.choice([-1, 1]) * rng.randint(2, 60))
    pnc = _pnc(rng) if rng.random() < 0.4 * 0.6 else ""
    identity = Identity(
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        pnc_id=pnc,
        postcode=postcode or "",
    )
    return Query(identity=identity, truth=None, tags=[kind])


# ---------------------------------------------------------------------------
# Evaluation


def _block_keys(identity: Identity) -> set[tuple[str, object]]:
    keys: set[tuple[str, object]] = set()
    for family in [identity.family_name, *(f for _g, f in identity.aliases)]:
        key = phonetic_key(family)
        if key:
            keys.add(("f", key))
    if identity.date_of_birth:
        keys.add(("d", identity.date_of_birth))
    if identity.pnc_id:
        keys.add(("p", normalise_pnc(identity.pnc_id)))
    return keys


@dataclass
class Result:
    seed: int
    people: int
    queries: int
    duplicates: int
    thresholds: list[tuple[float, float, float, float, int, int]]  # t, P, R, F1, TP, FP
    blocked_recall: float
    top1: float
    mean_block: float
    recall_by_tag: dict[str, tuple[int, int]]
    false_alarm_by_kind: dict[str, tuple[int, int]]
    seconds: float


def generate(seed: int, people: int, queries: int) -> tuple[list[Person], list[Query]]:
    rng = random.Random(seed)
    population = [make_person(rng) for _ in range(people)]
    dup_count = queries // 2
    qs = [
        make_duplicate(rng, population[i], i)
        for i in rng.sample(range(people), min(dup_count, people))
    ]
    qs += [make_non_duplicate(rng, population) for _ in range(queries - len(qs))]
    rng.shuffle(qs)
    return population, qs


def evaluate(
    seed: int = 7,
    people: int = 5000,
    queries: int = 2000,
    thresholds: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99),
) -> Result:
    start = time.perf_counter()
    population, qs = generate(seed, people, queries)
    index: dict[tuple[str, object], list[int]] = defaultdict(list)
    for i, person in enumerate(population):
        for key in _block_keys(person.identity):
            index[key].append(i)
    if matching.LIKELY_THRESHOLD not in thresholds:
        thresholds = tuple(sorted({*thresholds, matching.LIKELY_THRESHOLD}))
    tp: Counter[float] = Counter()
    fp: Counter[float] = Counter()
    blocked = top1 = block_total = 0
    recall_by_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    alarm_by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    duplicates = sum(q.truth is not None for q in qs)
    for query in qs:
        candidate_ids = sorted({i for key in _block_keys(query.identity) for i in index[key]})
        block_total += len(candidate_ids)
        scores = {i: compare(query.identity, population[i].identity).score for i in candidate_ids}
        for t in thresholds:
            offered = [i for i, s in scores.items() if s >= t]
            hit = query.truth is not None and query.truth in offered
            tp[t] += hit
            fp[t] += len(offered) - hit
        likely = {i for i, s in scores.items() if s >= matching.LIKELY_THRESHOLD}
        if query.truth is not None:
            blocked += query.truth in scores
            ranked = rank(
                query.identity, ((i, population[i].identity) for i in candidate_ids), limit=1
            )
            top1 += bool(ranked) and ranked[0][0] == query.truth
            for tag in query.tags:
                recall_by_tag[tag][0] += query.truth in likely
                recall_by_tag[tag][1] += 1
        else:
            alarm_by_kind[query.tags[0]][0] += bool(likely)
            alarm_by_kind[query.tags[0]][1] += 1
    rows = []
    for t in thresholds:
        precision = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 1.0
        recall = tp[t] / duplicates if duplicates else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((t, precision, recall, f1, tp[t], fp[t]))
    return Result(
        seed=seed,
        people=people,
        queries=len(qs),
        duplicates=duplicates,
        thresholds=rows,
        blocked_recall=blocked / duplicates if duplicates else 0.0,
        top1=top1 / duplicates if duplicates else 0.0,
        mean_block=block_total / len(qs) if qs else 0.0,
        recall_by_tag={k: (v[0], v[1]) for k, v in sorted(recall_by_tag.items())},
        false_alarm_by_kind={k: (v[0], v[1]) for k, v in sorted(alarm_by_kind.items())},
        seconds=time.perf_counter() - start,
    )


def at_threshold(result: Result) -> tuple[float, float, float, float, int, int]:
    return next(r for r in result.thresholds if r[0] == matching.LIKELY_THRESHOLD)


def report(result: Result) -> str:
    t, p, r, f1, tp, fp = at_threshold(result)
    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with "
        f"`bench/match_eval.py --seed {result.seed} --people {result.people} "
        f"--queries {result.queries}` ({result.duplicates} true duplicates, "
        f"{result.queries - result.duplicates} hard non-duplicates; "
        f"{result.seconds:.1f} s).",
        "",
        f"At LIKELY_THRESHOLD = {t}: **precision {p:.3f}, recall {r:.3f}, F1 {f1:.3f}** "
        f"({tp} true offers, {fp} false offers).",
        "",
        f"- Blocking kept the true record in the candidate set for {result.blocked_recall:.3f} "
        f"of duplicates (mean candidate set {result.mean_block:.0f} records).",
        f"- Top-1 accuracy of `rank` over the blocked set: {result.top1:.3f} of duplicates "
        "had their own record ranked first.",
        "",
        "| threshold | precision | recall | F1 | true offers | false offers |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {t:.2f} | {p:.3f} | {r:.3f} | {f1:.3f} | {tp} | {fp} |"
        for t, p, r, f1, tp, fp in result.thresholds
    ]
    lines += [
        "",
        "Recall at the threshold by corruption (a query can carry several):",
        "",
        "| corruption | found | of | recall |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {tag} | {hit} | {n} | {hit / n:.3f} |" for tag, (hit, n) in result.recall_by_tag.items()
    ]
    lines += [
        "",
        "Non-duplicates wrongly offered as likely, by kind:",
        "",
        "| kind | queries with a false offer | of | rate |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {kind} | {hit} | {n} | {hit / n:.3f} |"
        for kind, (hit, n) in result.false_alarm_by_kind.items()
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument(
        "--write-docs", action="store_true", help="replace the measured section of docs/matching.md"
    )
    args = parser.parse_args()
    result = evaluate(seed=args.seed, people=args.people, queries=args.queries)
    text = report(result)
    print(text)
    if args.write_docs:
        write_docs(text)
        print("\nwrote docs/matching.md")


if __name__ == "__main__":
    main()
