"""Demo oversight data: the 2019 scrutiny deep dive into the force's approach to illegal
drugs, its nine recommendations and the positions the force reported in July and September
2019, in Pontio's own words (a paraphrase of the public documents, not their text), with
two smaller reviews beside it so the tracker shows each kind of review.

Safe to run again: every row is found by its natural key before it is made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import OrganisationKind, Role
from pontio.oversight.models import (
    BackgroundPaper,
    Board,
    PositionUpdate,
    Rag,
    Recommendation,
    Review,
    ReviewKind,
)

GOLD = "Force Gold Operations Board"
CUSTODY_CJ = "Strategic Custody and Criminal Justice Board"
POWERS = "Ethical Use of Police Powers Group"
POLICING = "Policing Board"

BOARDS = (
    (
        GOLD,
        "Bwrdd Gweithrediadau Aur yr Heddlu",
        "Temporary Assistant Chief Constable",
        "Dirprwy Brif Gwnstabl Cynorthwyol Dros Dro",
        OrganisationKind.FORCE,
    ),
    (
        CUSTODY_CJ,
        "Bwrdd Strategol y Ddalfa a Chyfiawnder Troseddol",
        "Temporary Assistant Chief Constable",
        "Dirprwy Brif Gwnstabl Cynorthwyol Dros Dro",
        OrganisationKind.FORCE,
    ),
    (
        POWERS,
        "Grŵp Defnydd Moesegol o Bwerau'r Heddlu",
        "Chief Superintendent",
        "Prif Uwch-arolygydd",
        OrganisationKind.FORCE,
    ),
    (
        POLICING,
        "Bwrdd Plismona",
        "Police and Crime Commissioner",
        "Comisiynydd Heddlu a Throseddu",
        OrganisationKind.OPCC,
    ),
)

DEEP_DIVE = "Deep dive: the force's approach to tackling illegal drugs"

SECTIONS = {
    "purpose": (
        "Serious organised crime and county lines had become a concern across the force area, "
        "and residents told the Commissioner that illegal drugs worried them most. The "
        "Commissioner's office therefore examined how the force tackles illegal drugs, and "
        "gave its recommendations to the Chief Constable on 25 April 2019, who accepted all "
        "of them.\n\nThis report sets out the progress the force has made against those "
        "recommendations in the six months since.",
        "Roedd troseddu difrifol a chyfundrefnol a llinellau cyffuriau wedi dod yn bryder ar "
        "draws ardal yr heddlu, a dywedodd trigolion wrth y Comisiynydd mai cyffuriau "
        "anghyfreithlon oedd yn eu poeni fwyaf. Felly archwiliodd swyddfa'r Comisiynydd sut mae'r "
        "heddlu'n mynd i'r afael â chyffuriau anghyfreithlon, a rhoddodd ei argymhellion i'r Prif "
        "Gwnstabl ar 25 Ebrill 2019, a'u derbyniodd i gyd.\n\nMae'r adroddiad hwn yn nodi'r "
        "cynnydd a wnaed gan yr heddlu yn erbyn yr argymhellion hynny yn y chwe mis ers hynny.",
    ),
    "executive_summary": (
        "The deep dive found real strengths and a clear commitment to reducing the harm drugs "
        "do to communities. It also found that officers knew too little about, and made too "
        "little use of, the support services that break the cycle of reoffending and reduce "
        "repeat demand on the front line.\n\nIts recommendations ask the force to work with "
        "partners earlier, to make the most of stop and search and testing on arrest, to "
        "bring in new processes so that drug-related offending is dealt with well, and to "
        "learn from pilots and from other areas. Each recommendation's position follows.",
        "Canfu'r adolygiad manwl gryfderau gwirioneddol ac ymrwymiad clir i leihau'r niwed a "
        "wna cyffuriau i gymunedau. Canfu hefyd nad oedd swyddogion yn gwybod digon am y "
        "gwasanaethau cymorth sy'n torri'r cylch aildroseddu ac sy'n lleihau'r galw ailadroddus "
        "ar y rheng flaen, na'u defnyddio ddigon.\n\nMae ei argymhellion yn gofyn i'r heddlu "
        "weithio gyda phartneriaid yn gynharach, gwneud y gorau o stopio a chwilio a phrofi ar "
        "ôl arestio, cyflwyno prosesau newydd fel yr ymdrinnir yn dda â throseddu sy'n "
        "gysylltiedig â chyffuriau, a dysgu o gynlluniau peilot ac o ardaloedd eraill. Mae "
        "safbwynt pob argymhelliad yn dilyn.",
    ),
    "outcome": (
        "The force understands what illegal drugs and organised crime groups do to its "
        "communities, yet Class A drugs were no less available and demand had not fallen.\n\n"
        "Drug disruption operations aimed at Class A supply and organised crime groups had "
        "driven a rise in recorded trafficking offences between 2016 and 2018.\n\n"
        "Substance misuse services reduce both offending and substance use, but officers "
        "refer too few people to them, so repeat offenders go without treatment and keep "
        "coming back to the front line.\n\nApproaches used elsewhere, drug consumption rooms "
        "among them, deserve an honest look at the evidence.",
        "Mae'r heddlu'n deall beth mae cyffuriau anghyfreithlon a grwpiau troseddu "
        "cyfundrefnol yn ei wneud i'w gymunedau, ac eto nid oedd cyffuriau Dosbarth A ar gael "
        "yn llai ac nid oedd y galw wedi gostwng.\n\nRoedd ymgyrchoedd tarfu ar gyffuriau a "
        "oedd yn targedu cyflenwad Dosbarth A a grwpiau troseddu cyfundrefnol wedi arwain at "
        "gynnydd yn y troseddau masnachu a gofnodwyd rhwng 2016 a 2018.\n\nMae gwasanaethau "
        "camddefnyddio sylweddau yn lleihau troseddu a defnyddio sylweddau, ond mae swyddogion "
        "yn atgyfeirio rhy ychydig o bobl atynt, felly mae troseddwyr mynych heb driniaeth ac yn "
        "dal i ddod yn ôl at y rheng flaen.\n\nMae dulliau a ddefnyddir mewn mannau eraill, gan "
        "gynnwys ystafelloedd defnyddio cyffuriau, yn haeddu edrych yn onest ar y dystiolaeth.",
    ),
    "situation": (
        "The review supports three priorities of the Police and Crime Plan: tackling the harm "
        "substance misuse causes, disrupting serious and organised crime with communities and "
        "partners, and a visible and accessible service.\n\nIt looked at the force's response "
        "to illegal drug use, how well it works and how consistently the drugs policy is "
        "applied, its effect on communities, and how effective local treatment services are; "
        "it heard from the public, from people using services, from officers and staff, and "
        "from providers.",
        "Mae'r adolygiad yn cefnogi tair o flaenoriaethau'r Cynllun Heddlu a Throseddu: mynd "
        "i'r afael â'r niwed a achosir gan gamddefnyddio sylweddau, tarfu ar droseddu difrifol "
        "a chyfundrefnol gyda chymunedau a phartneriaid, a gwasanaeth gweladwy a hygyrch.\n\n"
        "Edrychodd ar ymateb yr heddlu i ddefnyddio cyffuriau anghyfreithlon, pa mor dda y mae'n "
        "gweithio a pha mor gyson y caiff y polisi cyffuriau ei gymhwyso, ei effaith ar "
        "gymunedau, a pha mor effeithiol yw gwasanaethau triniaeth lleol; clywodd gan y cyhoedd, "
        "gan bobl sy'n defnyddio gwasanaethau, gan swyddogion a staff, a chan ddarparwyr.",
    ),
}


@dataclass(frozen=True)
class Rec:
    text_en: str
    text_cy: str
    post: str
    board: str
    due: dt.date
    figures: tuple[str, ...]
    # (date, rag, English, Welsh): the July and September 2019 positions.
    positions: tuple[tuple[dt.date, str, str, str], ...]


JULY = dt.date(2019, 7, 15)
SEPTEMBER = dt.date(2019, 9, 30)
ACC = "Temporary Assistant Chief Constable"
HEAD_CJ = "Head of Criminal Justice"
HEAD_INTEL = "Head of Intelligence"

RECOMMENDATIONS: tuple[Rec, ...] = (
    Rec(
        "Bring partners in at the planning stage of drug disruption operations, Crimestoppers "
        "among them for targeted intelligence campaigns.",
        "Dod â phartneriaid i mewn ar gam cynllunio ymgyrchoedd tarfu ar gyffuriau, gan "
        "gynnwys Taclo'r Taclau ar gyfer ymgyrchoedd cudd-wybodaeth wedi'u targedu.",
        ACC,
        GOLD,
        dt.date(2019, 12, 31),
        ("operations", "trafficking"),
        (
            (
                JULY,
                Rag.AMBER,
                "A new way of engaging partners was tried during a covert operation: strategic and "
                "tactical partner meetings shared what was known about vulnerable people.",
                "Rhoddwyd cynnig ar ffordd newydd o ymgysylltu â phartneriaid yn ystod ymgyrch "
                "gudd: rhannodd cyfarfodydd partneriaid strategol a thactegol yr hyn a wyddid am "
                "bobl agored i niwed.",
            ),
            (
                SEPTEMBER,
                Rag.GREEN,
                "Partners told the operation's evaluation that they felt kept informed through "
                "enforcement, though covert work still limits how much they can be told in time "
                "to plan for referrals. Sensitive strategic briefings and tactical partner "
                "meetings are now part of every enforcement plan, and worked in the latest "
                "operation.",
                "Dywedodd partneriaid wrth werthusiad yr ymgyrch eu bod yn teimlo eu bod yn cael "
                "gwybod drwy gydol y gorfodi, er bod gwaith cudd yn dal i gyfyngu ar faint y "
                "gellir "
                "ei ddweud wrthynt mewn pryd i gynllunio ar gyfer atgyfeiriadau. Mae sesiynau "
                "briffio strategol sensitif a chyfarfodydd partneriaid tactegol bellach yn rhan o "
                "bob cynllun gorfodi, a buont yn llwyddiannus yn yr ymgyrch ddiweddaraf.",
            ),
        ),
    ),
    Rec(
        "Agree one protocol on drug supply and treatment between the force and the specialist "
        "substance misuse providers.",
        "Cytuno ar un protocol ar gyflenwi cyffuriau a thriniaeth rhwng yr heddlu a'r "
        "darparwyr camddefnyddio sylweddau arbenigol.",
        HEAD_CJ,
        GOLD,
        dt.date(2020, 3, 31),
        ("police_share",),
        (
            (
                JULY,
                Rag.AMBER,
                "The Area Planning Board's strategy from 2019 makes support for the work against "
                "county lines a priority.",
                "Mae strategaeth y Bwrdd Cynllunio Ardal o 2019 yn gwneud cefnogi'r gwaith yn "
                "erbyn llinellau cyffuriau yn flaenoriaeth.",
            ),
            (
                SEPTEMBER,
                Rag.AMBER,
                "A prevention summit co-chaired by the health board and the Commissioner is set "
                "for December 2019, and new funding supports early help for young people most at "
                "risk. Each county has local arrangements for the police and drug services to act "
                "on missed appointments; the same approach is proposed for Powys.",
                "Mae uwchgynhadledd atal a gyd-gadeirir gan y bwrdd iechyd a'r Comisiynydd wedi'i "
                "threfnu ar gyfer Rhagfyr 2019, ac mae cyllid newydd yn cefnogi cymorth cynnar i'r "
                "bobl ifanc sydd fwyaf mewn perygl. Mae gan bob sir drefniadau lleol i'r heddlu a "
                "gwasanaethau cyffuriau weithredu ar apwyntiadau a gollwyd; cynigir yr un dull ar "
                "gyfer Powys.",
            ),
        ),
    ),
    Rec(
        "Report on the test on arrest action plan from the 2017 continuous improvement event.",
        "Adrodd ar gynllun gweithredu profi ar ôl arestio o ddigwyddiad gwella parhaus 2017.",
        HEAD_CJ,
        CUSTODY_CJ,
        dt.date(2020, 3, 31),
        ("police_share", "reduced_use"),
        (
            (
                JULY,
                Rag.RED,
                "The plan has passed to the custody and criminal justice board; systems to improve "
                "referrals are being explored.",
                "Mae'r cynllun wedi'i drosglwyddo i fwrdd y ddalfa a chyfiawnder troseddol; mae "
                "systemau i wella atgyfeiriadau'n cael eu harchwilio.",
            ),
            (
                SEPTEMBER,
                Rag.AMBER,
                "Options for changing the referral system and for raising awareness of testing "
                "are being explored. Providers' data is hard to obtain, breaches are few and "
                "rarely sentenced, and many people referred are already known to the services. "
                "The force is working with the Commissioner's office so that re-commissioned "
                "services fit the process.",
                "Mae opsiynau ar gyfer newid y system atgyfeirio ac ar gyfer codi ymwybyddiaeth o "
                "brofi'n cael eu harchwilio. Mae'n anodd cael data darparwyr, ychydig o achosion o "
                "dorri amodau sydd ac anaml y cânt eu dedfrydu, ac mae llawer o'r bobl a "
                "atgyfeirir eisoes yn hysbys i'r gwasanaethau. Mae'r heddlu'n gweithio gyda "
                "swyddfa'r Comisiynydd fel bod gwasanaethau a ail-gomisiynir yn cyd-fynd â'r "
                "broses.",
            ),
        ),
    ),
    Rec(
        "Roll the Pathfinder diversion scheme out across the force to support the two-tier "
        "approach to out-of-court disposals.",
        "Cyflwyno cynllun dargyfeirio Braenaru ar draws yr heddlu i gefnogi'r dull dwy haen o "
        "waredu y tu allan i'r llys.",
        ACC,
        CUSTODY_CJ,
        dt.date(2019, 11, 30),
        ("risk_factors", "investment"),
        (
            (
                JULY,
                Rag.AMBER,
                "The pilot has been reviewed and is being re-tendered for a force-wide launch.",
                "Mae'r cynllun peilot wedi'i adolygu ac mae'n cael ei ail-dendro ar gyfer ei "
                "lansio ar draws yr heddlu.",
            ),
            (
                SEPTEMBER,
                Rag.GREEN,
                "The scheme launches across the force on 1 November 2019 with referrals to "
                "partners made automatically; the provider is chosen in September. The two-tier "
                "disposals for adults start at the same time, with the processes going to the "
                "criminal justice board on 15 October and briefings for the quality assurance "
                "panel before launch.",
                "Mae'r cynllun yn cael ei lansio ar draws yr heddlu ar 1 Tachwedd 2019 gydag "
                "atgyfeiriadau at bartneriaid yn cael eu gwneud yn awtomatig; dewisir y "
                "darparwr ym "
                "mis Medi. Mae'r gwarediadau dwy haen i oedolion yn dechrau ar yr un pryd, gyda'r "
                "prosesau'n mynd i'r bwrdd cyfiawnder troseddol ar 15 Hydref a sesiynau "
                "briffio i'r "
                "panel sicrhau ansawdd cyn y lansio.",
            ),
        ),
    ),
    Rec(
        "Review the evidence on whether drug consumption rooms reduce harm.",
        "Adolygu'r dystiolaeth ynghylch a yw ystafelloedd defnyddio cyffuriau'n lleihau niwed.",
        ACC,
        POLICING,
        dt.date(2020, 6, 30),
        ("drug_deaths",),
        (
            (
                JULY,
                Rag.AMBER,
                "Such rooms would need legal dispensation from the Home Office, the Ministry of "
                "Justice and the prosecution service.",
                "Byddai angen goddefeb gyfreithiol gan y Swyddfa Gartref, y Weinyddiaeth "
                "Gyfiawnder a'r gwasanaeth erlyn ar gyfer ystafelloedd o'r fath.",
            ),
            (
                SEPTEMBER,
                Rag.AMBER,
                "Rooms have worked abroad; any local case would also rest on the area's own drug "
                "profile. The force will help the Commissioner's office weigh the evidence as a "
                "long-term aim.",
                "Mae ystafelloedd wedi gweithio dramor; byddai unrhyw achos lleol hefyd yn "
                "dibynnu ar broffil cyffuriau'r ardal ei hun. Bydd yr heddlu'n helpu swyddfa'r "
                "Comisiynydd i bwyso a mesur y dystiolaeth fel nod hirdymor.",
            ),
        ),
    ),
    Rec(
        "Work with the area planning boards on the wider prevention agenda.",
        "Gweithio gyda'r byrddau cynllunio ardal ar yr agenda atal ehangach.",
        ACC,
        GOLD,
        dt.date(2020, 3, 31),
        ("police_share",),
        (
            (
                JULY,
                Rag.AMBER,
                "The Area Planning Board is preparing a county lines action plan.",
                "Mae'r Bwrdd Cynllunio Ardal yn paratoi cynllun gweithredu llinellau cyffuriau.",
            ),
            (
                SEPTEMBER,
                Rag.GREEN,
                "As for recommendation 2: the county lines action plan on prevention is being "
                "written with the Area Planning Board.",
                "Fel ar gyfer argymhelliad 2: mae'r cynllun gweithredu llinellau cyffuriau ar "
                "atal yn cael ei ysgrifennu gyda'r Bwrdd Cynllunio Ardal.",
            ),
        ),
    ),
    Rec(
        "Make sure the force adopts the good practice found in the learning and research on "
        "drug-related deaths.",
        "Sicrhau bod yr heddlu'n mabwysiadu'r arfer da a geir yn y dysgu a'r ymchwil ar "
        "farwolaethau sy'n gysylltiedig â chyffuriau.",
        HEAD_INTEL,
        GOLD,
        dt.date(2020, 3, 31),
        ("drug_deaths",),
        (
            (
                JULY,
                Rag.AMBER,
                "National learning on drug-related deaths is in the serious organised crime "
                "partnership strategy.",
                "Mae dysgu cenedlaethol ar farwolaethau sy'n gysylltiedig â chyffuriau yn "
                "strategaeth bartneriaeth troseddu difrifol a chyfundrefnol.",
            ),
            (
                SEPTEMBER,
                Rag.RED,
                "An earlier overview group brought naloxone, multi-agency death reviews and more "
                "support, but it has not met since October 2018 because of the health board's "
                "restructure. The health board accepts it must be restarted, and a senior "
                "detective is working with it through the organised crime boards.",
                "Daeth grŵp trosolwg cynharach â naloxone, adolygiadau amlasiantaethol o "
                "farwolaethau a mwy o gymorth, ond nid yw wedi cyfarfod ers mis Hydref 2018 "
                "oherwydd ailstrwythuro'r bwrdd iechyd. Mae'r bwrdd iechyd yn derbyn bod rhaid ei "
                "ailddechrau, ac mae ditectif uwch yn gweithio gydag ef drwy'r byrddau troseddu "
                "cyfundrefnol.",
            ),
        ),
    ),
    Rec(
        "Review stop and search outcomes so that they are applied properly and consistently.",
        "Adolygu canlyniadau stopio a chwilio fel eu bod yn cael eu cymhwyso'n iawn ac yn gyson.",
        "Chief Superintendent, Operational Support",
        POWERS,
        dt.date(2020, 3, 31),
        (),
        (
            (
                JULY,
                Rag.AMBER,
                "A new audit has a local inspector and an independent inspector review up to a "
                "quarter of each month's searches.",
                "Mae archwiliad newydd yn golygu bod arolygydd lleol ac arolygydd annibynnol yn "
                "adolygu hyd at chwarter chwiliadau pob mis.",
            ),
            (
                SEPTEMBER,
                Rag.AMBER,
                "The monthly audit feeds back to officers and to the group, and the "
                "Commissioner's panel of residents reviews searches with body-worn video. A buddy "
                "scheme for officers is spreading from Powys and Ceredigion. Outcomes cannot yet "
                "be updated after the search when further results arrive; solutions are being "
                "considered.",
                "Mae'r archwiliad misol yn rhoi adborth i swyddogion ac i'r grŵp, ac mae panel "
                "trigolion y Comisiynydd yn adolygu chwiliadau gyda fideo a wisgir ar y corff. Mae "
                "cynllun cyfeillio i swyddogion yn ymledu o Bowys a Cheredigion. Ni ellir "
                "diweddaru "
                "canlyniadau ar ôl y chwiliad eto pan ddaw canlyniadau pellach; mae atebion yn "
                "cael "
                "eu hystyried.",
            ),
        ),
    ),
    Rec(
        "Evaluate the digital media investigator pilot in Pembrokeshire and whether it should "
        "be rolled out across the force.",
        "Gwerthuso cynllun peilot yr ymchwilydd cyfryngau digidol yn Sir Benfro ac a ddylid ei "
        "gyflwyno ar draws yr heddlu.",
        ACC,
        GOLD,
        dt.date(2019, 12, 31),
        (),
        (
            (
                JULY,
                Rag.AMBER,
                "The pilot and the digital crime unit's capacity are under review.",
                "Mae'r cynllun peilot a chapasiti'r uned troseddau digidol yn cael eu hadolygu.",
            ),
            # The Welsh of this position is deliberately left to be written: the demo shows
            # how a Welsh report marks an untranslated text.
            (
                SEPTEMBER,
                Rag.GREEN,
                "The review went to the Temporary Assistant Chief Constable. Intelligence officers "
                "will be trained to do digital media work locally, crime scene investigators may "
                "examine phones after consultation, and triage equipment is being bought with the "
                "Commissioner's office.",
                "",
            ),
        ),
    ),
)

OTHER_REVIEWS = (
    (
        ReviewKind.INSPECTION,
        "Inspection of custody: drug testing and referrals",
        "Arolygiad o'r ddalfa: profi am gyffuriau ac atgyfeiriadau",
        # Days before the seeding day it was published: its first positions fall due in
        # the coming days (the owners' reminders), the death review's are ten days late.
        200,
        (
            (
                "Record every required assessment and its outcome in one place the provider can "
                "see.",
                "Cofnodi pob asesiad gofynnol a'i ganlyniad mewn un man y gall y darparwr ei weld.",
                HEAD_CJ,
                CUSTODY_CJ,
                210,
            ),
            (
                "Check each month that detainees who test positive are offered a referral.",
                "Gwirio bob mis fod carcharorion sy'n profi'n bositif yn cael cynnig atgyfeiriad.",
                "Custody Inspector",
                CUSTODY_CJ,
                210,
            ),
        ),
    ),
    (
        ReviewKind.DEATH_REVIEW,
        "Drug-related death review: Llanelli cluster",
        "Adolygiad o farwolaethau sy'n gysylltiedig â chyffuriau: clwstwr Llanelli",
        150,
        (
            (
                "Carry naloxone in every response vehicle in Carmarthenshire.",
                "Cario naloxone ym mhob cerbyd ymateb yn Sir Gaerfyrddin.",
                ACC,
                GOLD,
                140,
            ),
            (
                "Share the names of people leaving custody after an overdose with the outreach "
                "team the same day, with their consent.",
                "Rhannu enwau pobl sy'n gadael y ddalfa ar ôl gorddos gyda'r tîm allgymorth yr un "
                "diwrnod, gyda'u caniatâd.",
                HEAD_CJ,
                CUSTODY_CJ,
                140,
            ),
        ),
    ),
)

PAPERS = (
    (
        "The deep dive report",
        "Adroddiad yr adolygiad manwl",
        "https://www.dyfedpowys-pcc.org.uk/media/7611/deep-dive-report-approach-to-tackling-illegal-drugs.pdf",
    ),
    (
        "The Chief Constable's response",
        "Ymateb y Prif Gwnstabl",
        "https://www.dyfedpowys-pcc.org.uk/media/8326/letter-from-cc-to-pcc-re-deep-dive-review.pdf",
    ),
)


def _refuse_in_production() -> None:
    if settings.PONTIO_ENV not in {"demo", "test"}:
        raise ImproperlyConfigured("Demo data can only be loaded with PONTIO_ENV=demo or test.")


def _organisation(kind: str) -> Organisation:
    organisation = Organisation.objects.filter(kind=kind, is_active=True).order_by("pk").first()
    if organisation is None:
        raise ImproperlyConfigured(f"The demo needs an organisation of kind {kind}")
    return organisation


def _analyst() -> User:
    user = User.objects.filter(role_grants__role=Role.OPCC_ANALYST).order_by("pk").first()
    if user is None:
        raise ImproperlyConfigured("The demo needs an OPCC analyst")
    return user


@transaction.atomic
def seed_tracker(today: dt.date | None = None) -> dict[str, Any]:
    """The boards, the three reviews, their recommendations and positions; the counts made."""
    _refuse_in_production()
    today = today or timezone.localdate()
    force, opcc = _organisation(OrganisationKind.FORCE), _organisation(OrganisationKind.OPCC)
    analyst = _analyst()
    boards = {}
    for name_en, name_cy, chair_en, chair_cy, kind in BOARDS:
        boards[name_en], _created = Board.objects.get_or_create(
            name_en=name_en,
            defaults={
                "name_cy": name_cy,
                "chair_en": chair_en,
                "chair_cy": chair_cy,
                "organisation": force if kind == OrganisationKind.FORCE else opcc,
            },
        )
    made = {"reviews": 0, "recommendations": 0, "positions": 0}
    review, created = Review.objects.get_or_create(
        title_en=DEEP_DIVE,
        defaults={
            "kind": ReviewKind.DEEP_DIVE,
            "title_cy": "Adolygiad manwl: dull yr heddlu o fynd i'r afael â chyffuriau "
            "anghyfreithlon",
            "published_on": dt.date(2019, 4, 25),
            "organisation": opcc,
            **{f"{key}_en": en for key, (en, _cy) in SECTIONS.items()},
            **{f"{key}_cy": cy for key, (_en, cy) in SECTIONS.items()},
        },
    )
    made["reviews"] += created
    for order, (title_en, title_cy, url) in enumerate(PAPERS):
        BackgroundPaper.objects.get_or_create(
            review=review,
            url=url,
            defaults={"title_en": title_en, "title_cy": title_cy, "sort_order": order},
        )
    for number, spec in enumerate(RECOMMENDATIONS, start=1):
        recommendation, created = Recommendation.objects.get_or_create(
            review=review,
            number=number,
            defaults={
                "text_en": spec.text_en,
                "text_cy": spec.text_cy,
                "owner_organisation": force,
                "owner_post": spec.post,
                "board": boards[spec.board],
                "due_on": spec.due,
                "update_every_days": 90,
                "figure_keys": list(spec.figures),
            },
        )
        made["recommendations"] += created
        if not created:
            continue
        for as_of, rag, text_en, text_cy in spec.positions:
            PositionUpdate.objects.create(
                recommendation=recommendation,
                as_of=as_of,
                rag=rag,
                text_en=text_en,
                text_cy=text_cy,
                reported_to=boards[POLICING] if as_of == JULY else boards[spec.board],
                entered_by=analyst,
            )
            made["positions"] += 1
        recommendation.rag = spec.positions[-1][1]
        recommendation.last_position_on = spec.positions[-1][0]
        recommendation.save()
    for review_kind, title_en, title_cy, days_ago, recs in OTHER_REVIEWS:
        other, created = Review.objects.get_or_create(
            title_en=title_en,
            defaults={
                "kind": review_kind,
                "title_cy": title_cy,
                "published_on": today - dt.timedelta(days=days_ago),
                "organisation": opcc,
            },
        )
        made["reviews"] += created
        for number, (text_en, text_cy, post, board, every) in enumerate(recs, start=1):
            _r, created = Recommendation.objects.get_or_create(
                review=other,
                number=number,
                defaults={
                    "text_en": text_en,
                    "text_cy": text_cy,
                    "owner_organisation": force,
                    "owner_post": post,
                    "board": boards[board],
                    "due_on": other.published_on + dt.timedelta(days=every * 3),
                    "update_every_days": every,
                    "rag": Rag.AMBER,
                },
            )
            made["recommendations"] += created
    return made
