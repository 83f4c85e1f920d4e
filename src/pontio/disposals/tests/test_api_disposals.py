"""The disposals API's reads: scoped lists with filters, details, 404 outside scope."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in
from tests.factories import make_person

from pontio.core.models import County
from pontio.disposals.models import (
    Admission,
    Disposal,
    DisposalState,
    DisposalType,
    DiversionContract,
    GravityOffence,
    Outcome,
    VictimViews,
)


def make_disposal(world: dict[str, Any], county: County, **changes: Any) -> Disposal:
    # H1's decision service did not exist yet when these were written: a row is enough here.
    offence = GravityOffence.objects.order_by("pk").first()
    assert offence is not None
    values: dict[str, Any] = {
        "reference": f"OOCD-{Disposal.objects.count() + 1:05d}",
        "person": make_person(),
        "county": county,
        "offence": offence,
        "offence_date": timezone.localdate(),
        "offence_summary": "Took a bicycle.",
        "admission": Admission.ADMITTED,
        "base_score": 2,
        "gravity_score": 2,
        "victim_views": VictimViews.NO_VICTIM,
        "recommended_outcome": Outcome.DISPOSAL,
        "recommendation_reason": "Score 2.",
        "outcome": Outcome.DISPOSAL,
        "disposal_type": DisposalType.objects.order_by("pk").first(),
        "decision_rationale": "First offence.",
        "decided_by": world["custody.sergeant"],
        "decided_at": timezone.now(),
        "state": DisposalState.ACTIVE,
    }
    values.update(changes)
    return Disposal.objects.create(**values)


def home_county(world: dict[str, Any]) -> County:
    return County.objects.get(pk=sorted(world["custody.sergeant"].county_ids)[0])


def other_county(world: dict[str, Any]) -> County:
    county = County.objects.exclude(pk__in=world["custody.sergeant"].county_ids).first()
    assert county is not None
    return county


def test_the_list_shows_only_the_disposals_of_the_callers_area(world: dict[str, Any]) -> None:
    mine = make_disposal(world, home_county(world))
    make_disposal(world, other_county(world), decided_by=world["officer"])
    answer = demo_sign_in("custody.sergeant").get(reverse("api-disposal-list"))
    assert answer.status_code == 200
    assert [row["reference"] for row in answer.json()["results"]] == [mine.reference]


def test_the_list_filters_by_state(world: dict[str, Any]) -> None:
    make_disposal(world, home_county(world))
    closed = make_disposal(world, home_county(world), state=DisposalState.CLOSED)
    answer = demo_sign_in("custody.sergeant").get(reverse("api-disposal-list"), {"state": "closed"})
    assert [row["reference"] for row in answer.json()["results"]] == [closed.reference]


def test_a_filter_value_that_is_not_a_choice_is_refused_by_field(world: dict[str, Any]) -> None:
    answer = demo_sign_in("custody.sergeant").get(reverse("api-disposal-list"), {"outcome": "hang"})
    assert answer.status_code == 400
    assert "outcome" in answer.json()


def test_the_list_carries_no_name(world: dict[str, Any]) -> None:
    make_disposal(world, home_county(world))
    answer = demo_sign_in("custody.sergeant").get(reverse("api-disposal-list"))
    assert "Dafydd" not in answer.content.decode()


def test_a_disposal_outside_scope_is_not_found(world: dict[str, Any]) -> None:
    theirs = make_disposal(world, other_county(world), decided_by=world["officer"])
    answer = demo_sign_in("custody.sergeant").get(reverse("api-disposal-detail", args=[theirs.pk]))
    assert answer.status_code == 404


def test_the_detail_lists_the_conditions(world: dict[str, Any]) -> None:
    mine = make_disposal(world, home_county(world))
    answer = demo_sign_in("custody.sergeant").get(reverse("api-disposal-detail", args=[mine.pk]))
    assert answer.status_code == 200
    assert answer.json()["conditions"] == []


def test_a_role_without_the_permission_is_forbidden(world: dict[str, Any]) -> None:
    answer = demo_sign_in("panel").get(reverse("api-disposal-list"))
    assert answer.status_code == 403


def test_a_navigator_reads_the_contracts_of_their_organisation(world: dict[str, Any]) -> None:
    scheme = world["scheme"]
    navigator = world["navigator"]
    contract = DiversionContract.objects.create(
        reference="DIV-00001",
        scheme=scheme,
        person=make_person(),
        county=home_county(world),
        organisation_id=navigator.organisation_id,
        referred_at=timezone.now(),
    )
    client = demo_sign_in("navigator")
    answer = client.get(reverse("api-contract-list"), {"navigator": "unassigned"})
    assert [row["reference"] for row in answer.json()["results"]] == [contract.reference]
    assert client.get(reverse("api-contract-detail", args=[contract.pk])).status_code == 200
    assert client.get(reverse("api-contract-list"), {"navigator": "me"}).json()["results"] == []
