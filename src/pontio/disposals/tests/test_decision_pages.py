"""The decision pages through the views: the whole journey, bad input, stale versions and
the denials (who may not authorise, who may not open a disposal)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.directory.models import Substance
from pontio.disposals.models import (
    ComplianceStatus,
    Disposal,
    DisposalCondition,
    DisposalState,
    GravityFactor,
    GravityOffence,
)
from pontio.disposals.tests import helpers
from pontio.referrals.models import Referral

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _decision(**changes: Any) -> dict[str, Any]:
    offence = GravityOffence.objects.get(code="class_a_possession")
    values: dict[str, Any] = {
        "offence": offence.pk,
        **_date("offence_date", timezone.localdate() - dt.timedelta(days=3)),
        "offence_summary": "Found with two wraps of cocaine outside the station in Llanelli.",
        "admission": "admitted",
        "evidence_to_charge": "yes",
        "victim_views": "no_victim",
        "outcome": "disposal",
        "disposal_type": helpers.dtype().pk,
        "decision_rationale": "Admitted, no previous disposals, drug use behind the offence.",
        "action": "record",
    }
    values.update(changes)
    return values


def person_county_code() -> str:
    return helpers.CARMS


def _client(username: str, language: str = "en") -> Any:
    client = demo_sign_in(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _condition(disposal: Disposal, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "version": disposal.version,
        "category": "drug_treatment",
        "description": "Attend an assessment with the drug service and follow its plan.",
        **_date("due_date", timezone.localdate() + dt.timedelta(weeks=8)),
        "consent_given": "yes",
        "preferred_language": "en",
        "substances": [Substance.objects.get(code="cocaine").pk],
        "contact_channels": ["phone"],
        "contact_phone": "07700 900982",
    }
    values.update(changes)
    return values


def test_the_check_button_shows_the_score_and_recommendation_and_saves_nothing(
    world: Any,
) -> None:
    person = helpers.make_person()
    client = _client("custody.officer")
    factor = GravityFactor.objects.filter(adjustment__gt=0).first()
    before = Disposal.objects.count()
    response = client.post(
        reverse("disposals:new", args=[person.pk]),
        _decision(action="check", factors=[factor.pk] if factor else []),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Gravity score and recommendation" in body
    base = GravityOffence.objects.get(code="class_a_possession").base_score
    expected = min(4, base + (factor.adjustment if factor else 0))
    assert f"<strong>{expected}</strong>" in body
    assert Disposal.objects.count() == before


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(world: Any) -> None:
    person = helpers.make_person()
    client = _client("custody.officer")
    future = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(
        reverse("disposals:new", args=[person.pk]),
        _decision(offence_summary="", **_date("offence_date", future)),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter what happened" in body
    assert not Disposal.objects.filter(person=person).exists()


def test_a_denied_offence_cannot_be_given_a_conditional_caution(world: Any) -> None:
    person = helpers.make_person()
    client = _client("custody.officer")
    response = client.post(
        reverse("disposals:new", args=[person.pk]), _decision(admission="denied")
    )
    assert response.status_code == 400
    assert not Disposal.objects.filter(person=person).exists()


def test_the_victims_views_or_the_reason_are_required(world: Any) -> None:
    person = helpers.make_person()
    client = _client("custody.officer")
    response = client.post(
        reverse("disposals:new", args=[person.pk]), _decision(victim_views="not_obtained")
    )
    assert response.status_code == 400
    assert not Disposal.objects.filter(person=person).exists()


def test_the_whole_journey_through_the_pages(world: Any, make_user: Any, sign_in: Any) -> None:
    person = helpers.make_person()
    officer = _client("custody.officer")
    response = officer.post(reverse("disposals:new", args=[person.pk]), _decision())
    assert response.status_code == 302
    disposal = Disposal.objects.get(person=person)
    assert response["Location"] == reverse("disposals:detail", args=[disposal.pk])
    assert disposal.state == DisposalState.AWAITING_AUTHORISATION

    # A drug treatment condition makes the referral with the contact route typed.
    response = officer.post(
        reverse("disposals:condition-add", args=[disposal.pk]), _condition(disposal)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    condition = DisposalCondition.objects.get(disposal=disposal)
    assert condition.referral is not None
    made = Referral.objects.get(pk=condition.referral_id)
    assert made.person_id == person.pk
    # Treatment goes to a treatment service, never the diversion scheme's navigators.
    assert made.service_id != world["scheme"].service_id

    # The officer may not authorise; the sergeant may.
    disposal.refresh_from_db()
    url = reverse("disposals:authorise", args=[disposal.pk])
    assert officer.post(url, {"authorise-version": disposal.version}).status_code == 403
    sergeant = _client("custody.sergeant")
    assert sergeant.post(url, {"authorise-version": disposal.version}).status_code == 302
    disposal.refresh_from_db()
    assert disposal.state == DisposalState.AUTHORISED

    pdf = officer.get(reverse("disposals:agreement", args=[disposal.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    response = officer.post(
        reverse("disposals:sign", args=[disposal.pk]), {"sign-version": disposal.version}
    )
    assert response.status_code == 302
    disposal.refresh_from_db()
    assert disposal.state == DisposalState.ACTIVE

    # The police may not record the provider's condition; the provider's caseworker may.
    status_url = reverse("disposals:condition-status", args=[condition.pk])
    refused = officer.post(
        status_url, {"version": condition.version, "status": "complied", "evidence": "x"}
    )
    assert refused.status_code == 400
    referral = Referral.objects.get(pk=condition.referral_id)
    provider_user = make_user(
        roles=["provider_caseworker"],
        organisation=referral.provider,
        counties=[person_county_code()],
    )
    provider = sign_in(provider_user)
    assert provider.get(status_url).status_code == 200
    # The provider never opens the disposal itself.
    assert provider.get(reverse("disposals:detail", args=[disposal.pk])).status_code in (403, 404)
    response = provider.post(
        status_url,
        {"version": condition.version, "status": "complied", "evidence": "Attended 4 sessions."},
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.status == ComplianceStatus.COMPLIED

    response = officer.post(
        reverse("disposals:complete", args=[disposal.pk]), {"complete-version": disposal.version}
    )
    assert response.status_code == 302
    disposal.refresh_from_db()
    assert disposal.state == DisposalState.COMPLETED


def test_a_stale_version_is_refused_not_overwritten(world: Any) -> None:
    person = helpers.make_person()
    disposal = helpers.record(world["custody.officer"], person)
    sergeant = _client("custody.sergeant")
    response = sergeant.post(
        reverse("disposals:authorise", args=[disposal.pk]),
        {"authorise-version": disposal.version + 5},
    )
    assert response.status_code == 400
    disposal.refresh_from_db()
    assert disposal.state == DisposalState.AWAITING_AUTHORISATION


def test_a_condition_over_the_cap_is_refused_on_the_page(world: Any) -> None:
    person = helpers.make_person()
    disposal = helpers.record(world["custody.officer"], person)
    officer = _client("custody.officer")
    response = officer.post(
        reverse("disposals:condition-add", args=[disposal.pk]),
        _condition(disposal, category="unpaid_work", hours="500", consent_given=""),
    )
    assert response.status_code == 400
    assert not disposal.conditions.exists()


def test_the_breach_route_needs_a_reason(world: Any) -> None:
    person = helpers.make_person()
    officer_user = world["custody.officer"]
    disposal = helpers.record(officer_user, person)
    from pontio.disposals.services import decisions

    row = decisions.condition_add(
        context=helpers.CONTEXT,
        actor=officer_user,
        disposal_id=disposal.pk,
        expected_version=disposal.version,
        condition=helpers.condition("apology", contact=None, substances=()),
    )
    disposal.refresh_from_db()
    decisions.disposal_authorise(
        context=helpers.CONTEXT,
        actor=world["custody.sergeant"],
        disposal_id=disposal.pk,
        expected_version=disposal.version,
    )
    disposal.refresh_from_db()
    decisions.agreement_sign(
        context=helpers.CONTEXT,
        actor=officer_user,
        disposal_id=disposal.pk,
        expected_version=disposal.version,
    )
    decisions.condition_status_set(
        context=helpers.CONTEXT,
        actor=officer_user,
        condition_id=row.pk,
        status="not_complied",
        evidence="No apology by the date agreed.",
    )
    disposal.refresh_from_db()
    sergeant = _client("custody.sergeant")
    url = reverse("disposals:breach", args=[disposal.pk])
    response = sergeant.post(url, {"breach-version": disposal.version, "breach-reason": ""})
    assert response.status_code == 400
    response = sergeant.post(
        url, {"breach-version": disposal.version, "breach-reason": "No apology given."}
    )
    assert response.status_code == 302
    disposal.refresh_from_db()
    assert disposal.state == DisposalState.BREACHED
    assert disposal.breach_route == "prosecution"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_pages_render_in_both_languages_and_reads_are_audited(
    world: Any, language: str
) -> None:
    person = helpers.make_person()
    disposal = helpers.record(world["custody.officer"], person)
    client = _client("custody.sergeant", language)
    before = AuditEvent.objects.filter(person_id=str(person.pk)).count()
    for url in (
        reverse("disposals:list"),
        reverse("disposals:detail", args=[disposal.pk]),
        reverse("disposals:new", args=[person.pk]),
        reverse("disposals:condition-add", args=[disposal.pk]),
        reverse("people:detail", args=[person.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert disposal.reference in response.content.decode() or "new" in url
    assert AuditEvent.objects.filter(person_id=str(person.pk)).count() > before


def test_the_list_shows_only_the_area_and_refuses_a_bad_filter(world: Any) -> None:
    person = helpers.make_person()
    disposal = helpers.record(world["custody.officer"], person)
    client = _client("custody.sergeant")
    assert disposal.reference in client.get(reverse("disposals:list")).content.decode()
    assert client.get(reverse("disposals:list") + "?state=nonsense").status_code == 400
    panel = _client("panel")
    assert panel.get(reverse("disposals:list")).status_code == 403
    assert panel.get(reverse("disposals:detail", args=[disposal.pk])).status_code == 403
