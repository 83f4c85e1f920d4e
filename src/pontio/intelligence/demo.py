"""Demo drug intelligence (demo and tests only, never production).

Six months of reports across the four counties, made through the real services at the
moment they would have happened (``time_machine.travel``): from the public (the anonymous
form's service), from officers and from provider staff; most graded under 3x5x2 by the demo
intelligence officer within days, a few entered as legacy 5x5x5 grades exactly as recorded;
sanitised, prioritised with a reason, some actioned with results; and, for each county,
approved "you said, we did" lines in English and Welsh.

What a tester walks by hand: the queue holds ungraded reports (the last fortnight's) above
graded ones by priority; each county's public page has lines by month.

Idempotent: the demo texts are the key; if any demo report exists, nothing is made again.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.intelligence import services
from pontio.intelligence.models import ReportOriginal

SEED = 18
CONTEXT = AuditContext.system("seed_intelligence")
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"
PLACES = {
    CARMS: ["Llanelli town centre", "Carmarthen bus station", "Ammanford", "Burry Port"],
    CERED: ["Aberystwyth seafront", "Cardigan", "Lampeter"],
    PEMBS: ["Haverfordwest", "Pembroke Dock", "Milford Haven"],
    POWYS: ["Newtown", "Welshpool", "Brecon", "Llandrindod Wells"],
}
TEXTS = [
    "Demo: cars stop outside a house for a few minutes at a time, late every evening.",
    "Demo: young people are being paid to carry packages between two towns by train.",
    "Demo: needles left in the children's play area most mornings.",
    "Demo: a flat is being used by people from out of the area to sell drugs.",
    "Demo: someone sells cannabis outside the school gates at home time.",
    "Demo: a van parks in the car park and people queue at its side door.",
    "Demo: a vulnerable neighbour has people staying who deal from his home.",
    "Demo: drugs are passed over the counter in a takeaway after closing.",
    "Demo: phone numbers for drug deals are handed out at the skate park.",
    "Demo: a group deals on the footpath by the river most afternoons.",
]
SANITISED = [
    "Suspected drug supply from a residential address, evenings.",
    "Possible county-lines courier activity by rail between two towns.",
    "Discarded drug paraphernalia reported in a public play area.",
    "Suspected cuckooing: an address used by outsiders for supply.",
    "Suspected cannabis supply near a school at the end of the day.",
    "Suspected supply from a vehicle in a public car park.",
]
ACTIONS = [
    ("Increased patrols at the location", "Two people stopped and searched; drugs seized"),
    ("Passed to the neighbourhood policing team", "Address visited; safeguarding referral made"),
    ("Warrant executed", "One arrest for possession with intent to supply"),
    ("Council asked to clear the area", "Area cleared and sharps bin fitted"),
]
LINES = {
    "en": [
        (
            "You told us about drug dealing from a house in {place}.",
            "We visited the address, made an arrest and offered support to the tenant.",
        ),
        (
            "You told us about needles left in a play area in {place}.",
            "The council cleared the area and patrols were increased.",
        ),
        (
            "You told us about dealing from a car park in {place}.",
            "We stopped and searched two people and seized drugs.",
        ),
    ],
    "cy": [
        (
            "Dywedoch wrthym am werthu cyffuriau o dŷ yn {place}.",
            "Aethom i'r cyfeiriad, arestio un person a chynnig cymorth i'r tenant.",
        ),
        (
            "Dywedoch wrthym am nodwyddau mewn man chwarae yn {place}.",
            "Cliriodd y cyngor y man chwarae a chynyddwyd patrolau.",
        ),
        (
            "Dywedoch wrthym am werthu cyffuriau o faes parcio yn {place}.",
            "Cafodd dau berson eu stopio a'u chwilio, a chafodd cyffuriau eu hatafaelu.",
        ),
    ],
}


@dataclass
class SeedResult:
    created: int = 0
    graded: int = 0
    legacy: int = 0
    actioned: int = 0
    summaries: int = 0
    skipped: bool = False


def _refuse_in_production() -> None:
    if settings.PONTIO_ENV not in {"demo", "test"}:
        raise ImproperlyConfigured("Demo data can only be loaded with PONTIO_ENV=demo or test.")


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randint(8, 22), rng.randint(0, 59)))
    )


def seed_intelligence(count: int = 60) -> SeedResult:
    _refuse_in_production()
    result = SeedResult()
    if ReportOriginal.objects.filter(text__in=TEXTS).exists():
        result.skipped = True
        return result
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    officer = User.objects.get(username="intelligence")
    submitters = list(
        User.objects.filter(
            username__in=["officer", "powys.officer", "caseworker", "powys.caseworker"]
        )
    )
    counties = {c.ons_code: c for c in County.objects.all()}
    today = timezone.localdate()
    start = today - dt.timedelta(days=182)
    for n in range(count):
        day = start + dt.timedelta(days=int(n * 182 / count) + rng.randint(0, 2))
        day = min(day, today)
        code = rng.choice(list(PLACES))
        place = rng.choice(PLACES[code])
        at = min(_moment(rng, day), timezone.now() - dt.timedelta(minutes=count - n))
        with time_machine.travel(at, tick=False):
            channel = rng.random()
            kwargs: dict[str, Any] = {
                "county": counties[code],
                "area": place,
                "what": TEXTS[n % len(TEXTS)],
                "when_seen": rng.choice(["today", "this_week", "this_month", "ongoing"]),
                "how_known": rng.choice(["saw", "told", "suspect"]),
            }
            if channel < 0.6 or not submitters:
                report, _secret = services.report_submit_public(context=CONTEXT, **kwargs)
            else:
                report = services.report_submit(
                    actor=rng.choice(submitters), context=CONTEXT, **kwargs
                )
        result.created += 1
        if (today - day).days < 14 and rng.random() < 0.7:
            continue  # the last fortnight's: still waiting in the queue
        graded_at = min(at + dt.timedelta(days=rng.randint(0, 3), hours=2), timezone.now())
        with time_machine.travel(graded_at, tick=False):
            legacy = n % 12 == 5
            if legacy:  # an old 5x5x5 grade entered exactly as recorded: never converted
                codes = ("5x5x5", rng.choice("BC"), rng.choice("23"), rng.choice("14"))
                result.legacy += 1
            else:
                codes = ("3x5x2", rng.choice("122"), rng.choice("ABBC"), rng.choice("PPPC"))
            report = services.report_grade(
                actor=officer,
                context=CONTEXT,
                report_id=report.pk,
                version=report.version,
                scheme=codes[0],
                source_code=codes[1],
                information_code=codes[2],
                handling_code=codes[3],
            )
            result.graded += 1
            report = services.report_sanitise(
                actor=officer,
                context=CONTEXT,
                report_id=report.pk,
                version=report.version,
                text=SANITISED[n % len(SANITISED)],
            )
            priority = rng.choice(["high", "medium", "medium", "low", "low"])
            reason = {
                "high": "Risk of serious harm to a vulnerable person.",
                "medium": "Time-critical: a regular pattern at a known place.",
                "low": "Background intelligence for the area.",
            }[priority]
            report = services.report_prioritise(
                actor=officer,
                context=CONTEXT,
                report_id=report.pk,
                version=report.version,
                priority=priority,
                reason=reason,
            )
        if legacy or rng.random() < 0.4:
            continue
        acted_at = min(graded_at + dt.timedelta(days=rng.randint(1, 10)), timezone.now())
        with time_machine.travel(acted_at, tick=False):
            action, outcome = rng.choice(ACTIONS)
            services.action_record(
                actor=officer, context=CONTEXT, report_id=report.pk, action=action, result=outcome
            )
        result.actioned += 1
    result.summaries = _seed_summaries(officer, counties, rng, today)
    return result


def _seed_summaries(
    officer: User, counties: dict[str, County], rng: random.Random, today: dt.date
) -> int:
    made = 0
    for code, county in counties.items():
        if code not in PLACES:
            continue
        for months_ago in (4, 2, 0):
            month = (today.replace(day=1) - dt.timedelta(days=months_ago * 30)).replace(day=1)
            place = rng.choice(PLACES[code])
            i = rng.randrange(len(LINES["en"]))
            at = timezone.make_aware(
                dt.datetime.combine(max(month, today - dt.timedelta(days=180)), dt.time(10))
            )
            at = min(at, timezone.now())
            with time_machine.travel(at, tick=False):
                summary = services.summary_draft(
                    actor=officer,
                    context=CONTEXT,
                    county=county,
                    month=month,
                    you_said_en=LINES["en"][i][0].format(place=place),
                    you_said_cy=LINES["cy"][i][0].format(place=place),
                    we_did_en=LINES["en"][i][1],
                    we_did_cy=LINES["cy"][i][1],
                )
                services.summary_approve(
                    actor=officer, context=CONTEXT, summary_id=summary.pk, version=summary.version
                )
            made += 1
    return made
