"""The diversion scheme: eligibility, the contract's rules and its pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in
from tests.factories import make_person

from pontio.audit.services import AuditContext
from pontio.disposals.eligibility import check_eligibility
from pontio.disposals.models import (
    AssessmentStage,
    ContractState,
    GravityOffence,
    Pathway,
)
from pontio.disposals.services import contracts as services
from pontio.referrals import services as referral_services
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import Pathway as ReferralPathway

CARMS = "W06000010"
CONTEXT = AuditContext.system("tests")
START = dict.fromkeys(Pathway.values, 3)
END = dict.fromkeys(Pathway.values, 1)
NO_REOFFENDING = {"kind": "no_reoffending", "description": "Commit no further offence"}


def open_contract(world: dict[str, Any]) -> Any:
    person = make_person(county_code=CARMS)
    data = referral_services.ReferralData(
        pathway=ReferralPathway.DIVERSION,
        reason="Diversion scheme condition of a conditional caution",
        substances=tuple(world["scheme"].service.substances.order_by("code")[:1]),
        consent_given=True,
        contact=ContactRoute(phone="07700900123", channels=["phone"]),
    )
    referral, _created = referral_services.referral_create(
        context=CONTEXT,
        actor=world["custody.sergeant"],
        person_id=person.pk,
        data=data,
        service_id=world["scheme"].service.pk,
    )
    return services.contract_open(
        context=CONTEXT,
        actor=world["custody.sergeant"],
        disposal=None,
        referral=referral,
        person_id=person.pk,
    )


def agreed(world: dict[str, Any]) -> Any:
    contract = open_contract(world)
    navigator = world["navigator"]
    services.needs_record(
        context=CONTEXT, actor=navigator, contract_id=contract.pk, stage="start", scores=START
    )
    contract.refresh_from_db()
    return services.contract_agree(
        context=CONTEXT,
        actor=navigator,
        contract_id=contract.pk,
        expected_version=contract.version,
        conditions=[NO_REOFFENDING],
    )


def checks(world: dict[str, Any], **changes: Any) -> dict[str, bool]:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "scheme": world["scheme"],
        "age": 30,
        "offence": GravityOffence(offence_group="theft", base_score=2),
        "gravity_score": 2,
        "admission": "admitted",
        "offence_date": today - dt.timedelta(days=10),
        "on": today,
    }
    values.update(changes)
    return {c.rule: c.passed for c in check_eligibility(**values)}


def test_an_admitted_recent_low_gravity_adult_offence_is_eligible(world: Any) -> None:
    assert all(checks(world).values())


def test_each_eligibility_rule_fails_on_its_own(world: Any) -> None:
    today = timezone.localdate()
    assert not checks(world, age=17)["minimum_age"]
    assert not checks(world, age=None)["minimum_age"]
    assert not checks(world, offence_date=today - dt.timedelta(days=91))["offence_age"]
    assert not checks(world, gravity_score=4)["gravity"]
    assert not checks(world, admission="denied")["admission"]
    assert checks(world, admission="no_reply")["admission"]
    world["scheme"].excluded_groups = ["hate"]
    assert not checks(world, offence=GravityOffence(offence_group="hate"))["offence_group"]


def test_a_contract_opens_referred_at_the_navigators_organisation(world: Any) -> None:
    contract = open_contract(world)
    assert contract.state == ContractState.REFERRED
    assert contract.organisation_id == world["navigator"].organisation_id
    assert contract.reference.startswith(f"DIV-{timezone.localdate().year}-")


def test_six_conditions_are_refused(world: Any) -> None:
    contract = open_contract(world)
    services.needs_record(
        context=CONTEXT,
        actor=world["navigator"],
        contract_id=contract.pk,
        stage="start",
        scores=START,
    )
    contract.refresh_from_db()
    with pytest.raises(ValidationError, match=r"at most 5 conditions \(you entered 6\)"):
        services.contract_agree(
            context=CONTEXT,
            actor=world["navigator"],
            contract_id=contract.pk,
            expected_version=contract.version,
            conditions=[NO_REOFFENDING] * 6,
        )
    assert not contract.conditions.exists()


def test_a_contract_without_no_reoffending_is_refused(world: Any) -> None:
    contract = open_contract(world)
    services.needs_record(
        context=CONTEXT,
        actor=world["navigator"],
        contract_id=contract.pk,
        stage="start",
        scores=START,
    )
    contract.refresh_from_db()
    with pytest.raises(ValidationError, match="Every contract includes no reoffending"):
        services.contract_agree(
            context=CONTEXT,
            actor=world["navigator"],
            contract_id=contract.pk,
            expected_version=contract.version,
            conditions=[{"kind": "voluntary_work", "description": "Voluntary work", "hours": 18}],
        )


def test_the_end_assessment_before_the_start_is_refused(world: Any) -> None:
    contract = open_contract(world)
    with pytest.raises(ValidationError, match="running contract"):
        services.needs_record(
            context=CONTEXT,
            actor=world["navigator"],
            contract_id=contract.pk,
            stage="end",
            scores=END,
        )
    assert not contract.assessments.exists()


def test_a_contract_completes_with_lower_end_scores(world: Any) -> None:
    contract = agreed(world)
    navigator = world["navigator"]
    assert contract.state == ContractState.ACTIVE
    assert contract.ends_on is not None and contract.starts_on is not None
    assert (contract.ends_on - contract.starts_on).days in range(119, 124)
    for condition in contract.conditions.all():
        services.contract_condition_record(
            context=CONTEXT,
            actor=navigator,
            condition_id=condition.pk,
            status="complied",
            evidence="No further offence on the PNC",
        )
    services.needs_record(
        context=CONTEXT, actor=navigator, contract_id=contract.pk, stage="end", scores=END
    )
    contract.refresh_from_db()
    services.contract_complete(
        context=CONTEXT, actor=navigator, contract_id=contract.pk, expected_version=contract.version
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.COMPLETED
    end = contract.assessments.get(stage=AssessmentStage.END)
    assert sum(s.score for s in end.scores.all()) < sum(START.values())
    assert list(contract.events.values_list("to_state", flat=True)) == [
        "referred",
        "active",
        "completed",
    ]


def test_a_navigator_of_another_organisation_cannot_open_the_contract(
    world: Any, make_user: Any, sign_in: Any
) -> None:
    contract = open_contract(world)
    other = make_user(roles=["navigator"])
    client = sign_in(other)
    response = client.get(reverse("disposals:contract", args=[contract.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_caseload_and_contract_pages_render(world: Any, language: str) -> None:
    contract = agreed(world)
    client = demo_sign_in("navigator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in (
        reverse("disposals:caseload") + "?tab=all",
        reverse("disposals:contract", args=[contract.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert contract.reference in response.content.decode()


def test_the_agree_form_refuses_a_contract_without_no_reoffending_with_an_error_summary(
    world: Any,
) -> None:
    contract = open_contract(world)
    services.needs_record(
        context=CONTEXT,
        actor=world["navigator"],
        contract_id=contract.pk,
        stage="start",
        scores=START,
    )
    contract.refresh_from_db()
    client = demo_sign_in("navigator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("disposals:contract-agree", args=[contract.pk]),
        {"version": contract.version, "kind_1": "voluntary_work", "description_1": "Work"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Every contract includes no reoffending" in page
    assert not contract.conditions.exists()


def test_the_needs_form_records_the_start_assessment_and_redirects(world: Any) -> None:
    contract = open_contract(world)
    client = demo_sign_in("navigator")
    response = client.post(
        reverse("disposals:contract-needs", args=[contract.pk]),
        {"stage": "start", **dict.fromkeys(Pathway.values, "2")},
    )
    assert response.status_code == 302
    assert contract.assessments.filter(stage="start").count() == 1


def test_the_police_of_the_area_read_the_contract_without_forms(world: Any) -> None:
    contract = open_contract(world)
    client = demo_sign_in("custody.sergeant")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("disposals:contract", args=[contract.pk]))
    assert response.status_code == 200
    assert (
        reverse("disposals:contract-decline", args=[contract.pk]) not in response.content.decode()
    )


def test_a_failed_contract_needs_a_route_and_a_reason(world: Any) -> None:
    contract = agreed(world)
    with pytest.raises(ValidationError):
        services.contract_fail(
            context=CONTEXT,
            actor=world["navigator"],
            contract_id=contract.pk,
            expected_version=contract.version,
            route="",
            reason="",
        )
    services.contract_fail(
        context=CONTEXT,
        actor=world["navigator"],
        contract_id=contract.pk,
        expected_version=contract.version,
        route="prosecution",
        reason="Missed the group sessions",
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.FAILED
    assert contract.failure_route == "prosecution"
