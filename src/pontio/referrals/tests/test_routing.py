"""Routing: which services can take a referral and which is proposed, with reasons."""

from __future__ import annotations

from typing import Any

from tests.factories import county

from pontio.directory.models import Service
from pontio.referrals import routing
from pontio.referrals.tests.helpers import CARMS, POWYS, substances


def _need(**changes: Any) -> routing.Need:
    values: dict[str, Any] = {
        "county": county(CARMS),
        "pathway": "voluntary",
        "substances": substances("cocaine"),
        "age": 34,
        "gender": "male",
    }
    values.update(changes)
    return routing.Need(**values)


def _names(options: list[routing.Option]) -> list[str]:
    return [o.service.name for o in options if o.eligible]


def test_an_adult_in_carmarthenshire_is_proposed_the_local_adult_service(
    world: dict[str, Any],
) -> None:
    options = routing.route(_need())
    proposal = routing.proposal(options)
    assert proposal is not None
    assert proposal.service.organisation.name == "Dyfed Drug and Alcohol Service"
    assert "Serves Carmarthenshire" in proposal.reasons
    assert any(r.startswith("Works with") for r in proposal.reasons)
    assert all(o.problems == [] for o in options if o.eligible)


def test_a_seventeen_year_old_is_proposed_the_young_peoples_service(world: dict[str, Any]) -> None:
    proposal = routing.proposal(routing.route(_need(age=17)))
    assert proposal is not None
    assert proposal.service.maximum_age == 25


def test_the_young_peoples_service_says_why_it_cannot_take_an_adult(world: dict[str, Any]) -> None:
    young = next(o for o in routing.route(_need(age=40)) if o.service.maximum_age == 25)
    assert not young.eligible
    assert any("is for people aged 11 to 25; the person is 40" in p for p in young.problems)


def test_a_powys_person_is_not_offered_carmarthenshire_only_services(world: dict[str, Any]) -> None:
    options = routing.route(_need(county=county(POWYS)))
    for option in options:
        counties = {c.ons_code for c in option.service.counties.all()}
        if POWYS not in counties:
            assert not option.eligible
            assert any("does not serve Powys" in p for p in option.problems)
    assert routing.proposal(options) is not None


def test_a_diversion_goes_to_the_diversion_scheme_and_nobody_else_is_offered_it(
    world: dict[str, Any],
) -> None:
    diversion = routing.proposal(routing.route(_need(pathway="diversion")))
    assert diversion is not None and diversion.service.diversion_scheme
    assert "Runs the diversion scheme" in diversion.reasons
    voluntary = routing.route(_need(pathway="voluntary"))
    scheme = next(o for o in voluntary if o.service.diversion_scheme)
    assert not scheme.eligible


def test_a_service_that_does_not_take_criminal_justice_referrals_is_excluded_for_custody(
    world: dict[str, Any],
) -> None:
    service = Service.objects.filter(accepts_pontio_referrals=True).first()
    assert service is not None
    Service.objects.filter(pk=service.pk).update(accepts_criminal_justice_referrals=False)
    service.refresh_from_db()
    option = routing.assess(service, _need(pathway="custody"))
    assert any("does not take criminal justice referrals" in p for p in option.problems)


def test_a_women_only_service_is_not_offered_to_a_man(world: dict[str, Any]) -> None:
    service = Service.objects.filter(accepts_pontio_referrals=True).first()
    assert service is not None
    service.genders = Service.Genders.WOMEN
    option = routing.assess(service, _need(gender="male"))
    assert any("is for women only" in p for p in option.problems)


def test_an_unknown_age_is_allowed_but_said(world: dict[str, Any]) -> None:
    proposal = routing.proposal(routing.route(_need(age=None)))
    assert proposal is not None
    assert any("age is not known" in r for r in proposal.reasons)


def test_an_inactive_service_is_never_proposed(world: dict[str, Any]) -> None:
    first = routing.proposal(routing.route(_need()))
    assert first is not None
    Service.objects.filter(pk=first.service.pk).update(status=Service.Status.INACTIVE)
    second = routing.proposal(routing.route(_need()))
    assert second is None or second.service.pk != first.service.pk


def test_reasons_are_given_in_welsh_on_a_welsh_page(world: dict[str, Any]) -> None:
    from django.utils import translation

    with translation.override("cy"):
        proposal = routing.proposal(routing.route(_need()))
    assert proposal is not None
    assert any("Sir Gaerfyrddin" in r for r in proposal.reasons)


# --- the nearest service (journey 1: a Llanelli resident, DDAS Llanelli and Carmarthen) --


def _adult_services(options: list[routing.Option]) -> list[routing.Option]:
    return [o for o in options if o.eligible and o.service.name.startswith("DDAS ")]


def test_a_llanelli_resident_is_proposed_the_service_in_llanelli(world: dict[str, Any]) -> None:
    options = routing.route(_need(town="Llanelli", postcode="SA15 3AB"))
    proposal = routing.proposal(options)
    assert proposal is not None
    assert proposal.service.name == "DDAS Llanelli"
    assert "Nearest office: Llanelli, the person's town" in proposal.reasons
    assert proposal.ranking == (
        "Proposed: DDAS Llanelli is nearer to the person: its nearest office is in Llanelli, "
        "the person's town"
    )


def test_a_carmarthen_resident_is_proposed_the_service_in_carmarthen(
    world: dict[str, Any],
) -> None:
    proposal = routing.proposal(routing.route(_need(town="Carmarthen", postcode="SA31 1AA")))
    assert proposal is not None and proposal.service.name == "DDAS Carmarthen"


def test_without_a_town_match_the_same_postcode_district_is_nearest(
    world: dict[str, Any],
) -> None:
    # Johnstown is a part of Carmarthen with its own name, in the SA31 district.
    proposal = routing.proposal(routing.route(_need(town="Johnstown", postcode="SA31 3QQ")))
    assert proposal is not None and proposal.service.name == "DDAS Carmarthen"
    assert any("postcode district (SA31)" in r for r in proposal.reasons)


def test_within_the_postcode_area_the_nearer_district_number_comes_first(
    world: dict[str, Any],
) -> None:
    # Burry Port (SA16) is next to Llanelli (SA15), far from Carmarthen (SA31).
    options = _adult_services(routing.route(_need(town="Burry Port", postcode="SA16 0AA")))
    assert [o.service.name for o in options][:2] == ["DDAS Llanelli", "DDAS Carmarthen"]
    # Newcastle Emlyn (SA38) is nearer Carmarthen's districts.
    options = _adult_services(routing.route(_need(town="Newcastle Emlyn", postcode="SA38 9AA")))
    assert [o.service.name for o in options][:2] == ["DDAS Carmarthen", "DDAS Llanelli"]


def test_each_option_says_why_it_is_ranked_where_it_is(world: dict[str, Any]) -> None:
    options = _adult_services(routing.route(_need(town="Llanelli", postcode="SA15 3AB")))
    llanelli, carmarthen = options[0], options[1]
    assert llanelli.reasons != carmarthen.reasons
    assert carmarthen.ranking == (
        "Ranked below DDAS Llanelli: DDAS Llanelli is nearer to the person: its nearest "
        "office is in Llanelli, the person's town"
    )
    assert all(o.ranking for o in routing.route(_need()) if o.eligible)


def test_fit_still_comes_before_nearness(world: dict[str, Any]) -> None:
    # A 17-year-old in Llanelli: the young people's service (no office) over DDAS Llanelli
    # (which is for adults anyway), and a diversion over any nearer treatment service.
    young = routing.proposal(routing.route(_need(age=17, town="Llanelli", postcode="SA15 3AB")))
    assert young is not None and young.service.maximum_age == 25
    diversion = routing.proposal(
        routing.route(_need(pathway="diversion", town="Llanelli", postcode="SA15 3AB"))
    )
    assert diversion is not None and diversion.service.diversion_scheme
    assert diversion.ranking.startswith("Proposed: ") and "diversion scheme" in diversion.ranking


def test_without_an_address_nearness_is_not_compared_and_said(world: dict[str, Any]) -> None:
    options = _adult_services(routing.route(_need(town="", postcode="")))
    assert all(
        "The person's address is not known: nearness is not compared" in o.reasons for o in options
    )
    assert "comes first by name" in options[1].ranking


def test_the_referral_carries_the_nearest_service_for_a_llanelli_person(
    world: dict[str, Any],
) -> None:
    from pontio.referrals.tests.helpers import refer

    person = world["person"]  # lives in Llanelli, SA15 1AA
    referral = refer(world["officer"], person)
    assert referral.service.name == "DDAS Llanelli"
    assert "Llanelli, the person's town" in referral.routing_reason


def test_the_address_the_referral_carries_is_where_nearness_is_measured(
    world: dict[str, Any],
) -> None:
    from pontio.referrals import services
    from pontio.referrals.contact import ContactRoute
    from pontio.referrals.tests.helpers import referral_data

    data = referral_data(
        contact=ContactRoute(
            address_line_1="3 Lammas Street",
            address_town="Carmarthen",
            address_postcode="SA31 3AL",
            channels=["letter"],
        )
    )
    _options, proposed = services.service_options(world["person"], data)
    assert proposed is not None and proposed.service.name == "DDAS Carmarthen"


def test_nearness_reasons_are_in_welsh_on_a_welsh_page(world: dict[str, Any]) -> None:
    from django.utils import translation

    with translation.override("cy"):
        options = _adult_services(routing.route(_need(town="Llanelli", postcode="SA15 3AB")))
        assert options[0].service.display_name == "GCAD Llanelli"
    assert "GCAD Llanelli" in options[1].ranking
