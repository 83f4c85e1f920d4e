"""Routing: which directory services can take this referral, and which one Pontio proposes.

A service can take a referral when it is active and takes referrals through Pontio, serves
the person's county, takes criminal-justice referrals (every pathway except voluntary),
admits the person's age and gender, and works with at least one of the substances (a
service that lists no substances works with all). Diversion schemes take only people given
a diversion or out-of-court disposal, and are preferred for them.

Among eligible services the proposal is the best fit: a diversion scheme for a diversion,
then the most substances matched, then a service made for the person's age group (a
young people's service for a 17-year-old), then the name. The officer may choose any other
eligible service; the reasons for and against each are shown in the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from pontio.core.models import County
from pontio.directory.models import Service, Substance
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


@dataclass
class Option:
    service: Service
    reasons: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    score: int = 0

    @property
    def eligible(self) -> bool:
        return not self.problems


def candidate_services() -> QuerySet[Service]:
    return (
        Service.objects.select_related("organisation", "organisation__owner")
        .prefetch_related(
            "substances", Prefetch("counties", queryset=County.objects.defer("boundary"))
        )
        .order_by("name")
    )


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
                option.score += 5  # made for this age group
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
            option.score += 10 * len(matched)
        elif need.substances:
            option.problems.append(
                _("%(service)s does not work with %(substances)s")
                % {"service": name, "substances": ", ".join(s.label for s in need.substances)}
            )
    else:
        option.reasons.append(_("Works with all substances"))
        option.score += 1
    return option


def route(need: Need, services: Iterable[Service] | None = None) -> list[Option]:
    """Every service assessed: eligible ones first, best fit first; then the others."""
    options = [
        assess(s, need) for s in (services if services is not None else candidate_services())
    ]
    return sorted(
        options, key=lambda o: (not o.eligible, -o.score, o.service.display_name.casefold())
    )


def proposal(options: list[Option]) -> Option | None:
    return options[0] if options and options[0].eligible else None
