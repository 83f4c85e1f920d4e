"""Demo commissioning awards and provider returns (demo and tests only).

The awards of 2018-19 (April to March) for treatment and diversion add up to exactly
£435,000, the deep dive's "invested last year", so the investment fact reproduces it; the
prevention and harm-reduction grants beside them must not be counted. Later years grow a
little each year, and from 2021 the diversion service holds three-year contracts, which the
fact apportions by days. The returns are drawn from a fixed seed: every provider with staff
in Pontio returns every quarter from January 2018 to the last quarter that has ended (up to
2026); in 2018-19 exactly 82% of the people reviewed reduced their use, as the deep dive said.
Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import OrganisationKind, Role
from pontio.core.models import County
from pontio.oversight.facts.periods import financial_year, financial_year_of, quarters
from pontio.oversight.models import AwardKind, AwardPurpose, CommissioningAward, ProviderReturn

DDAS = "Dyfed Drug and Alcohol Service"
KALEIDOSCOPE = "Kaleidoscope Powys"
HYWEL_DDA = "Hywel Dda University Health Board"
POWYS_THB = "Powys Teaching Health Board"
POBL = "Pobl diversion service"
OPCC = "Office of the Police and Crime Commissioner for Dyfed-Powys"
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"

# One year's grants: (code, provider, purpose, county, value in 2018-19, English, Welsh).
GRANTS = (
    ("T01", DDAS, AwardPurpose.TREATMENT, CARMS, 95_000,
     "Community substance misuse treatment, Carmarthenshire",
     "Triniaeth camddefnyddio sylweddau yn y gymuned, Sir Gaerfyrddin"),
    ("T02", DDAS, AwardPurpose.TREATMENT, CERED, 40_000,
     "Community substance misuse treatment, Ceredigion",
     "Triniaeth camddefnyddio sylweddau yn y gymuned, Ceredigion"),
    ("T03", DDAS, AwardPurpose.TREATMENT, PEMBS, 55_000,
     "Community substance misuse treatment, Pembrokeshire",
     "Triniaeth camddefnyddio sylweddau yn y gymuned, Sir Benfro"),
    ("T04", KALEIDOSCOPE, AwardPurpose.TREATMENT, POWYS, 85_000,
     "Community substance misuse treatment, Powys",
     "Triniaeth camddefnyddio sylweddau yn y gymuned, Powys"),
    ("T05", HYWEL_DDA, AwardPurpose.TREATMENT, None, 50_000,
     "Custody in-reach nurses for treatment starts",
     "Nyrsys yn y ddalfa i ddechrau triniaeth"),
    ("P01", POWYS_THB, AwardPurpose.PREVENTION, POWYS, 20_000,
     "Early intervention for young people, Powys",
     "Ymyrraeth gynnar i bobl ifanc, Powys"),
    ("H01", HYWEL_DDA, AwardPurpose.HARM_REDUCTION, None, 12_500,
     "Take-home naloxone", "Naloxone i fynd adref"),
)  # fmt: skip
# The diversion service: a yearly grant to 2020-21, then three-year contracts.
DIVERSION_2018 = 110_000
DIVERSION_CONTRACTS = ((2021, 345_000), (2024, 372_000))
GROWTH = Decimal("1.03")
LAST_YEAR = 2026

# Returns: (people in treatment in a quarter, roughly; share reviewed) per provider.
RETURN_SIZES = {DDAS: (420, 0.45), KALEIDOSCOPE: (160, 0.5), POBL: (90, 0.6)}
DEEP_DIVE_RATE = Decimal("0.82")


def _round(value: Decimal, step: int = 500) -> Decimal:
    return (value / step).quantize(Decimal("1")) * step


def _award(
    *,
    reference: str,
    kind: str,
    provider: Organisation,
    funder: Organisation,
    purpose: str,
    county: County | None,
    value: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    title_en: str,
    title_cy: str,
) -> None:
    CommissioningAward.objects.get_or_create(
        reference=reference,
        defaults={
            "kind": kind,
            "provider": provider,
            "funder": funder,
            "purpose": purpose,
            "county": county,
            "value": value,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "title_en": title_en,
            "title_cy": title_cy,
        },
    )


def _awards(today: dt.date, orgs: dict[str, Organisation], counties: dict[str, County]) -> None:
    funder = orgs[OPCC]
    last = min(financial_year_of(today), LAST_YEAR)
    for year in range(2018, last + 1):
        start, end = financial_year(year)
        factor = GROWTH ** (year - 2018)
        for code, provider, purpose, county, value, title_en, title_cy in GRANTS:
            amount = Decimal(value) if year == 2018 else _round(Decimal(value) * factor)
            _award(
                reference=f"OPCC-{year}-{code}",
                kind=AwardKind.GRANT,
                provider=orgs[provider],
                funder=funder,
                purpose=purpose,
                county=counties[county] if county else None,
                value=amount,
                starts_on=start,
                ends_on=end,
                title_en=f"{title_en} {year}-{str(year + 1)[-2:]}",
                title_cy=f"{title_cy} {year}-{str(year + 1)[-2:]}",
            )
        if year <= 2020:
            amount = Decimal(DIVERSION_2018) if year == 2018 else _round(DIVERSION_2018 * factor)
            _award(
                reference=f"OPCC-{year}-D01",
                kind=AwardKind.GRANT,
                provider=orgs[POBL],
                funder=funder,
                purpose=AwardPurpose.DIVERSION,
                county=None,
                value=amount,
                starts_on=start,
                ends_on=end,
                title_en=f"Adult diversion scheme {year}-{str(year + 1)[-2:]}",
                title_cy=f"Cynllun dargyfeirio oedolion {year}-{str(year + 1)[-2:]}",
            )
    for first, value in DIVERSION_CONTRACTS:
        if first > last:
            continue
        _award(
            reference=f"OPCC-C-{first}-D01",
            kind=AwardKind.CONTRACT,
            provider=orgs[POBL],
            funder=funder,
            purpose=AwardPurpose.DIVERSION,
            county=None,
            value=Decimal(value),
            starts_on=dt.date(first, 4, 1),
            ends_on=dt.date(first + 3, 3, 31),
            title_en=f"Adult diversion scheme, three years from April {first}",
            title_cy=f"Cynllun dargyfeirio oedolion, tair blynedd o Ebrill {first}",
        )


def _returns(today: dt.date, orgs: dict[str, Organisation]) -> None:
    last_start = dt.date(min(today.year, LAST_YEAR), 12, 31)
    for name, (size, reviewed_share) in RETURN_SIZES.items():
        provider = orgs.get(name)
        if provider is None:
            continue
        staff = User.objects.filter(organisation=provider, is_active=True)
        entered_by = staff.filter(role_grants__role=Role.PROVIDER_MANAGER).first() or staff.first()
        if entered_by is None:
            continue
        done = set(
            ProviderReturn.objects.filter(provider=provider).values_list("quarter_start", flat=True)
        )
        rng = random.Random(f"{name}-returns")  # noqa: S311 - demo figures, not secrets
        drafts = []
        for quarter in quarters(dt.date(2018, 1, 1), last_start):
            if quarter.end >= today:
                break
            # Draw for every quarter, so a later run gives the same figures.
            in_treatment = int(size * rng.uniform(0.9, 1.12))
            reviewed = int(in_treatment * reviewed_share * rng.uniform(0.9, 1.1))
            if financial_year_of(quarter.start) == 2018:
                reduced = int((Decimal(reviewed) * DEEP_DIVE_RATE).quantize(Decimal("1")))
            else:
                reduced = int(reviewed * rng.uniform(0.74, 0.86))
            completed = int(in_treatment * rng.uniform(0.08, 0.14))
            if quarter.start in done:
                continue
            drafts.append(
                ProviderReturn(
                    provider=provider,
                    quarter_start=quarter.start,
                    in_treatment=in_treatment,
                    reviewed=reviewed,
                    reduced_use=min(reduced, reviewed),
                    completed=completed,
                    entered_by=entered_by,
                    # Three weeks after the quarter, or now if that is still to come.
                    entered_at=min(
                        timezone.make_aware(
                            dt.datetime.combine(quarter.end + dt.timedelta(days=20), dt.time(10))
                        ),
                        timezone.now(),
                    ),
                )
            )
        ProviderReturn.objects.bulk_create(drafts)


def _referral_totals(today: dt.date, orgs: dict[str, Organisation]) -> None:
    """Each provider's total referrals from every source, for the ended quarters in which
    Pontio holds referrals to it: police referrals are about a fifth of them, as the deep
    dive found. Quarters before Pontio held any are left without a total, so the police
    share of 2016 to 2018 says what is missing rather than showing 0%."""
    from pontio.referrals.models import ProviderReferralTotal, Referral

    for name in RETURN_SIZES:
        provider = orgs.get(name)
        if provider is None:
            continue
        staff = User.objects.filter(organisation=provider, is_active=True)
        entered_by = staff.filter(role_grants__role=Role.PROVIDER_MANAGER).first() or staff.first()
        if entered_by is None:
            continue
        done = set(
            ProviderReferralTotal.objects.filter(provider=provider).values_list(
                "quarter_start", flat=True
            )
        )
        sent = list(
            Referral.objects.filter(provider=provider, sent_on__isnull=False)
            .order_by()
            .values_list("sent_on", flat=True)
        )
        if not sent:
            continue
        rng = random.Random(f"{name}-totals")  # noqa: S311 - demo figures, not secrets
        drafts = []
        for quarter in quarters(min(sent), today):
            if quarter.end >= today:
                break
            through = sum(1 for day in sent if quarter.start <= day <= quarter.end)
            share = rng.uniform(0.17, 0.25)
            if not through or quarter.start in done:
                continue
            drafts.append(
                ProviderReferralTotal(
                    provider=provider,
                    quarter_start=quarter.start,
                    total=max(through, round(through / share)),
                    entered_by=entered_by,
                    entered_at=min(
                        timezone.make_aware(
                            dt.datetime.combine(quarter.end + dt.timedelta(days=14), dt.time(9))
                        ),
                        timezone.now(),
                    ),
                )
            )
        ProviderReferralTotal.objects.bulk_create(drafts)


@transaction.atomic
def seed_facts(*, today: dt.date) -> None:
    """Awards 2018-19 to the year of ``today`` (up to 2026-27) and the returns of every
    quarter that has ended; idempotent (existing rows are left as they are)."""
    orgs = {
        o.name: o
        for o in Organisation.objects.filter(
            kind__in=[OrganisationKind.PROVIDER, OrganisationKind.OPCC]
        )
    }
    if OPCC not in orgs or any(name not in orgs for name in (DDAS, KALEIDOSCOPE, POBL)):
        return  # the demo organisations are not there (accounts.demo seeds them)
    counties = {c.ons_code: c for c in County.objects.all()}
    _awards(today, orgs, counties)
    _returns(today, orgs)
    _referral_totals(today, orgs)
