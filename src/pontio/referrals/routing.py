"""Routing: which directory services can take this referral, and which one Pontio proposes.

A service can take a referral when it is active and takes referrals through Pontio, serves
the person's county, takes criminal-justice referrals (every pathway except voluntary),
admits the person's age and gender, and works with at least one of the substances (a
service that lists no substances works with all). Diversion schemes take only people given
a diversion or out-of-court disposal, and are preferred for them.

Among eligible services the proposal is the best fit: a diversion scheme for a diversion,
then the most substances matched, then a service made for the person's age group (a
young people's service for a 17-year-old), then the nearest (``nearness``), then the name.
The officer may choose any other eligible service; the reasons for and against each, and
why each is ranked where it is (``Option.ranking``), are shown in the user's language.

"Nearest" uses what the directory and the person's address hold, and nothing else (no
geocoding): the town and postcode of each of the service's locations (HSDS
``service_at_location``) against the person's town and postcode (the address the referral
carries, else the person's current address). In order:

1. a location in the person's town (the same town name);
2. a location in the person's postcode district (the same outward code, ``SA15``);
3. a location in the person's postcode area (the same letters, ``SA``), the nearer district
   number first: an approximation, as the districts of an area are numbered roughly outward
   from its post town, so ``SA16`` (Burry Port) is nearer ``SA15`` (Llanelli) than ``SA31``
   (Carmarthen) is;
4. any other location, or none listed (a service that meets people where they are), or an
   address without a postcode: no nearer than any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from pontio.core.models import County
from pontio.core.postcodes import POSTCODE_RE
from pontio.directory.models import Location, Service, ServiceAtLocation, Substance
from pontio.people.models import Gender
from pontio.referrals.models import CRIMINAL_JUSTICE_PATHWAYS, DIVERSION_PATHWAYS


@dataclass(frozen=True)
class Need:
    """What the referral needs from a service."""

    county: County
    pathway: str
    substances: tuple[Substance, ...]
    age: int | None = None
    gender: str = Gender.NOT_STATED
    # Where the person lives (or can be reached), for the nearest service.
    town: str = ""
    postcode: str = ""


# How near a service is to the person (module docstring): the lower, the nearer.
IN_TOWN, IN_DISTRICT, IN_AREA, ELSEWHERE = 0, 1, 2, 3


@dataclass(frozen=True)
class Nearness:
    rank: int = ELSEWHERE
    gap: int = 0  # within IN_AREA: how far apart the district numbers are
    where: str = ""  # the nearest office, in words ("Llanelli, the person's town")


@dataclass
class Option:
    service: Service
    reasons: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    score: int = 0
    # The parts of the fit, best first (the score adds them up).
    diversion: bool = False
    substance_fit: int = 0
    age_group: bool = False
    nearness: Nearness = field(default_factory=Nearness)
    # Why the option is where it is in the list (set by ``route`` for eligible options).
    ranking: str = ""

    @property
    def eligible(self) -> bool:
        return not self.problems

    def sort_key(self) -> tuple[bool, int, int, int, str]:
        return (
            not self.eligible,
            -self.score,
            self.nearness.rank,
            self.nearness.gap,
            self.service.display_name.casefold(),
        )


def candidate_services() -> QuerySet[Service]:
    return (
        Service.objects.select_related("organisation", "organisation__owner")
        .prefetch_related(
            "substances",
            Prefetch("counties", queryset=County.objects.defer("boundary")),
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location"),
            ),
        )
        .order_by("name")
    )


# --- nearness ---------------------------------------------------------------------------

_AREA_RE = re.compile(r"^([A-Z]+)(\d+)")


def outward_code(postcode: str) -> str:
    """``"sa15 3ab"`` -> ``"SA15"``; empty when it is not a postcode."""
    match = POSTCODE_RE.match(re.sub(r"\s+", "", postcode or "").upper())
    return match.group(1) if match else ""


def _area_and_number(outward: str) -> tuple[str, int] | None:
    match = _AREA_RE.match(outward)
    return (match.group(1), int(match.group(2))) if match else None


def _same_town(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def _near_location(location: Location, need: Need) -> Nearness:
    town = location.city
    district = outward_code(location.postcode)
    person_district = outward_code(need.postcode)
    if _same_town(town, need.town):
        return Nearness(IN_TOWN, 0, _("%(town)s, the person's town") % {"town": town})
    if district and district == person_district:
        return Nearness(
            IN_DISTRICT,
            0,
            _("%(town)s, in the person's postcode district (%(district)s)")
            % {"town": town, "district": district},
        )
    ours, theirs = _area_and_number(district), _area_and_number(person_district)
    if ours and theirs and ours[0] == theirs[0]:
        return Nearness(
            IN_AREA,
            abs(ours[1] - theirs[1]),
            _("%(town)s (%(district)s); the person lives in %(person)s")
            % {"town": town, "district": district, "person": person_district},
        )
    return Nearness(
        ELSEWHERE,
        0,
        _("%(town)s (%(district)s), outside the person's postcode area")
        % {"town": town, "district": district or location.postcode},
    )


def nearness(service: Service, need: Need) -> Nearness:
    """How near the service's nearest location is to the person (module docstring)."""
    locations = [link.location for link in service.service_at_locations.all()]
    if not locations:
        return Nearness(ELSEWHERE, 0, "")
    if not (need.town.strip() or outward_code(need.postcode)):
        return Nearness(ELSEWHERE, 0, "")
    return min(
        (_near_location(location, need) for location in locations),
        key=lambda n: (n.rank, n.gap),
    )


def nearness_reason(service: Service, need: Need, near: Nearness) -> str:
    if near.where:
        return _("Nearest office: %(where)s") % {"where": near.where}
    if not service.service_at_locations.all():
        return _("No office listed: works across the area it serves")
    return _("The person's address is not known: nearness is not compared")


# --- the fit of one service ---------------------------------------------------------


def _age_text(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return _("people aged %(low)s to %(high)s") % {"low": low, "high": high}
    if low is not None:
        return _("people aged %(low)s and over") % {"low": low}
    if high is not None:
        return _("people aged up to %(high)s") % {"high": high}
    return _("people of any age")


def assess(service: Service, need: Need) -> Option:
    """Why this service fits the need, and what (if anything) rules it out."""
    option = Option(service=service)
    name = service.display_name
    if not service.is_active:
        option.problems.append(
            _("%(service)s is not taking referrals at the moment") % {"service": name}
        )
    if not service.accepts_pontio_referrals:
        option.problems.append(
            _("%(service)s does not take referrals through Pontio") % {"service": name}
        )
    counties = {c.pk for c in service.counties.all()}
    if need.county.pk in counties:
        option.reasons.append(_("Serves %(county)s") % {"county": need.county.label})
    else:
        option.problems.append(
            _("%(service)s does not serve %(county)s")
            % {"service": name, "county": need.county.label}
        )
    if need.pathway in CRIMINAL_JUSTICE_PATHWAYS:
        if service.accepts_criminal_justice_referrals:
            option.reasons.append(_("Takes criminal justice referrals"))
        else:
            option.problems.append(
                _("%(service)s does not take criminal justice referrals") % {"service": name}
            )
    if service.diversion_scheme:
        if need.pathway in DIVERSION_PATHWAYS:
            option.reasons.append(_("Runs the diversion scheme"))
            option.diversion = True
            option.score += 100
        else:
            option.problems.append(
                _(
                    "%(service)s is a diversion scheme: it takes only people given a "
                    "diversion or out-of-court disposal"
                )
                % {"service": name}
            )
    if need.age is None:
        option.reasons.append(
            _("The person's age is not known: check the age range (%(ages)s)")
            % {"ages": _age_text(service)}
        )
    else:
        too_young = service.minimum_age is not None and need.age < service.minimum_age
        too_old = service.maximum_age is not None and need.age > service.maximum_age
        if too_young or too_old:
            option.problems.append(
                _("%(service)s is for %(ages)s; the person is %(age)s")
                % {"service": name, "ages": _age_text(service), "age": need.age}
            )
        else:
            option.reasons.append(_("Takes %(ages)s") % {"ages": _age_text(service)})
            if service.maximum_age is not None:
                option.age_group = True  # made for this age group
                option.score += 5
    if service.genders == Service.Genders.WOMEN and need.gender != Gender.FEMALE:
        option.problems.append(_("%(service)s is for women only") % {"service": name})
    elif service.genders == Service.Genders.MEN and need.gender != Gender.MALE:
        option.problems.append(_("%(service)s is for men only") % {"service": name})
    offered = {s.pk: s for s in service.substances.all()}
    if offered:
        matched = [s for s in need.substances if s.pk in offered]
        if matched:
            option.reasons.append(
                _("Works with %(substances)s") % {"substances": ", ".join(s.label for s in matched)}
            )
            option.substance_fit = 10 * len(matched)
            option.score += option.substance_fit
        elif need.substances:
            option.problems.append(
                _("%(service)s does not work with %(substances)s")
                % {"service": name, "substances": ", ".join(s.label for s in need.substances)}
            )
    else:
        option.reasons.append(_("Works with all substances"))
        option.substance_fit = 1
        option.score += 1
    option.nearness = nearness(service, need)
    option.reasons.append(nearness_reason(service, need, option.nearness))
    return option


# --- ranking ----------------------------------------------------------------------------


def _why_better(better: Option, worse: Option) -> str:
    """What puts ``better`` above ``worse``: the first part of the fit where they differ."""
    name = better.service.display_name
    if better.diversion != worse.diversion:
        return _("%(service)s runs the diversion scheme") % {"service": name}
    if better.substance_fit != worse.substance_fit:
        return _("%(service)s is a closer match for the substances") % {"service": name}
    if better.age_group != worse.age_group:
        return _("%(service)s is made for the person's age group") % {"service": name}
    if (better.nearness.rank, better.nearness.gap) != (worse.nearness.rank, worse.nearness.gap):
        return _("%(service)s is nearer to the person: its nearest office is in %(where)s") % {
            "service": name,
            "where": better.nearness.where,
        }
    return _("%(service)s is as good a fit and as near, and comes first by name") % {
        "service": name
    }


def _rank(eligible: list[Option]) -> None:
    """Say of each eligible option why it is where it is in the list."""
    for i, option in enumerate(eligible):
        if i == 0:
            if len(eligible) == 1:
                option.ranking = _("Proposed: the only service that can take this referral")
            else:
                option.ranking = _("Proposed: %(why)s") % {"why": _why_better(option, eligible[1])}
        else:
            above = eligible[i - 1]
            option.ranking = _("Ranked below %(service)s: %(why)s") % {
                "service": above.service.display_name,
                "why": _why_better(above, option),
            }


def route(need: Need, services: Iterable[Service] | None = None) -> list[Option]:
    """Every service assessed: eligible ones first, best fit first (then nearest); then the
    others. Each eligible option says why it is ranked where it is."""
    options = sorted(
        (assess(s, need) for s in (services if services is not None else candidate_services())),
        key=Option.sort_key,
    )
    _rank([o for o in options if o.eligible])
    return options


def proposal(options: list[Option]) -> Option | None:
    return options[0] if options and options[0].eligible else None
