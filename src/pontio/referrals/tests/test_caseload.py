"""Caseload: tabs and their counts, search within scope, bulk allocation with versions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from tests.conftest import demo_sign_in, sign_in_client
from tests.factories import UserFactory

from pontio.accounts.models import Organisation
from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.core.models import Notification
from pontio.core.recording import AuditAction
from pontio.referrals import caseload as reads
from pontio.referrals.models import Referral, Status
from pontio.referrals.services.caseload import referrals_allocate
from pontio.referrals.services.moves import referral_allocate
from pontio.referrals.tests.helpers import CERED, CONTEXT, accepted, make_person, move, refer

pytestmark = pytest.mark.django_db
PAGE = "/referrals/caseload/"
ALLOCATE = "/referrals/caseload/allocate/"
API = "/api/v1/referrals/caseload/"
API_ALLOCATE = "/api/v1/referrals/allocations/"


def _text(response: Any) -> str:
    return response.content.decode()


def _tabs(user: Any, search: reads.Search | None = None) -> dict[str, int]:
    return reads.caseload(user, None, search).counts


@pytest.fixture
def cases(world: dict[str, Any]) -> dict[str, Referral]:
    """DDAS referrals: new (unassigned), accepted by the caseworker (theirs), closed."""
    officer, caseworker = world["officer"], world["caseworker"]
    new = refer(officer, world["person"])
    mine = accepted(officer, caseworker, make_person(given="Gwen", family="Rowlands"))
    done = refer(officer, make_person(given="Aled", family="Bevan"))
    done = move(caseworker, done, Status.REJECTED, "REJ_NOT_ELIGIBLE", reason="Not for us")
    return {"new": new, "mine": mine, "done": done}


def _cered_caseworker() -> Any:
    return UserFactory(
        roles=[Role.PROVIDER_CASEWORKER],
        organisation=Organisation.objects.get(name="Dyfed Drug and Alcohol Service"),
        counties=[CERED],
        with_device=True,
    )


# --- the tabs -----------------------------------------------------------------------------


def test_the_page_is_at_caseload() -> None:
    assert reverse("referrals:caseload") == PAGE
    assert reverse("referrals:bulk-allocate") == ALLOCATE


def test_provider_tabs_and_counts(world: dict[str, Any], cases: dict[str, Referral]) -> None:
    caseworker, manager = world["caseworker"], world["provider.manager"]
    assert _tabs(caseworker) == {"mine": 1, "unassigned": 1, "open": 2, "finished": 1}
    assert _tabs(manager) == {"mine": 0, "unassigned": 1, "open": 2, "finished": 1}
    client = demo_sign_in("caseworker")
    page = _text(client.get(PAGE))
    assert 'My cases <span class="pontio-nowrap">(1)</span>' in page
    assert 'Unassigned <span class="pontio-nowrap">(1)</span>' in page
    assert cases["mine"].reference in page and cases["new"].reference not in page
    unassigned = _text(client.get(PAGE, {"tab": "unassigned"}))
    assert cases["new"].reference in unassigned and cases["mine"].reference not in unassigned
    assert 'aria-current="page" data-tab="unassigned"' in unassigned
    finished = _text(client.get(PAGE, {"tab": "finished"}))
    assert cases["done"].reference in finished and cases["new"].reference not in finished
    # A tab that is not one of theirs: their first.
    assert cases["mine"].reference in _text(client.get(PAGE, {"tab": "team"}))


def test_police_tabs(world: dict[str, Any], cases: dict[str, Referral]) -> None:
    # The officer made them all: only "My referrals" is offered (their scope is their own).
    officer_page = _text(demo_sign_in("officer").get(PAGE))
    assert "My referrals" in officer_page and "My team" not in officer_page
    assert all(r.reference in officer_page for r in cases.values())
    # The sergeant supervises Carmarthenshire: their team's tab holds the officer's.
    sergeant = world["custody.sergeant"]
    assert _tabs(sergeant) == {"mine": 0, "team": 3}
    team = _text(demo_sign_in("custody.sergeant").get(PAGE, {"tab": "team"}))
    assert cases["new"].reference in team
    # The Ceredigion inspector's team holds none of them.
    assert _tabs(world["inspector"]) == {"mine": 0, "team": 0}


@pytest.mark.parametrize("username", ["analyst", "panel", "auditor", "admin"])
def test_roles_without_referrals_are_refused(world: dict[str, Any], username: str) -> None:
    assert demo_sign_in(username).get(PAGE).status_code == 403


# --- the search ---------------------------------------------------------------------------


def test_parse_search() -> None:
    assert reads.parse_search("pr26-0001").reference == "PR26-0001"
    assert reads.parse_search("27/03/1990").date_of_birth.isoformat() == "1990-03-27"  # type: ignore[union-attr]
    assert reads.parse_search("1990-03-27").date_of_birth.isoformat() == "1990-03-27"  # type: ignore[union-attr]
    assert reads.parse_search("  Dafydd   Jones ").name == "Dafydd Jones"
    assert reads.parse_search("").kind == ""
    for wrong in ("31/02/1990", "1990-13-01", "27/03/2999"):
        with pytest.raises(Exception) as caught:
            reads.parse_search(wrong)
        assert "real date of birth" in str(caught.value)


def test_search_by_name_date_of_birth_and_reference(
    world: dict[str, Any], cases: dict[str, Referral]
) -> None:
    caseworker = world["caseworker"]
    by_name = reads.caseload(caseworker, "open", reads.parse_search("dafydd jones"))
    assert [r.pk for r in by_name.rows] == [cases["new"].pk]
    assert by_name.counts == {"mine": 0, "unassigned": 1, "open": 1, "finished": 0}
    # Sound-alike spelling, as the people search.
    assert cases["new"] in reads.caseload(caseworker, "open", reads.parse_search("Dafyd")).rows
    by_dob = reads.caseload(caseworker, "open", reads.parse_search("27/03/1990"))
    assert by_dob.counts["open"] == 2  # every test person is born on 27 March 1990
    ref = reads.caseload(caseworker, "finished", reads.parse_search(cases["done"].reference))
    assert [r.pk for r in ref.rows] == [cases["done"].pk]


def test_the_page_search_is_kept_in_the_session_not_the_url(
    world: dict[str, Any], cases: dict[str, Referral]
) -> None:
    client = demo_sign_in("caseworker")
    response = client.post(PAGE, {"q": "Rowlands", "tab": "mine"})
    assert response.status_code == 302 and "Rowlands" not in response["Location"]
    page = _text(client.get(response["Location"]))
    assert cases["mine"].reference in page and "Showing referrals that match" in page
    assert "(0)" in _text(client.get(PAGE, {"tab": "unassigned"}))  # Rowlands's is theirs
    client.post(PAGE, {"clear": "1", "tab": "mine"})
    assert "Showing referrals that match" not in _text(client.get(PAGE))


def test_an_invalid_date_of_birth_is_refused_with_a_message(world: dict[str, Any]) -> None:
    response = demo_sign_in("caseworker").post(PAGE, {"q": "31/02/1990"})
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert "Enter a real date of birth as day/month/year or year-month-day" in page
    assert "govuk-form-group--error" in page


def test_a_caseworker_in_another_county_never_sees_or_finds_them(
    world: dict[str, Any], cases: dict[str, Referral]
) -> None:
    cered = _cered_caseworker()
    assert _tabs(cered) == {"mine": 0, "unassigned": 0, "open": 0, "finished": 0}
    assert not reads.caseload(cered, "open", reads.parse_search("Dafydd Jones")).rows.exists()
    client = sign_in_client(cered)
    client.post(PAGE, {"q": cases["new"].reference, "tab": "open"})
    page = _text(client.get(PAGE, {"tab": "open"}))
    assert f'href="/referrals/{cases["new"].pk}/"' not in page and "Jones, Dafydd" not in page
    # Another provider's caseworker neither.
    powys = world["powys.caseworker"]
    assert not reads.caseload(powys, "open", reads.parse_search("Jones")).rows.exists()


def test_police_search_finds_only_their_own(
    world: dict[str, Any], cases: dict[str, Referral]
) -> None:
    powys_referral = refer(world["powys.officer"], world["powys_person"])
    officer = world["officer"]
    found = reads.caseload(officer, "mine", reads.parse_search("27/03/1990"))
    assert powys_referral not in found.rows and found.counts["mine"] == 3
    assert not reads.caseload(
        officer, "mine", reads.parse_search(powys_referral.reference)
    ).rows.exists()
    assert (
        reads.caseload(world["powys.officer"], "mine", reads.parse_search("Price")).rows.get()
        == powys_referral
    )


# --- bulk allocation ----------------------------------------------------------------------


def _post_allocation(client: Any, referrals: list[Referral], caseworker: Any) -> Any:
    data: dict[str, Any] = {
        "referral": [str(r.pk) for r in referrals],
        "caseworker": str(caseworker.pk),
        "tab": "unassigned",
    }
    for r in referrals:
        data[f"version-{r.pk}"] = str(r.version)
    return client.post(ALLOCATE, data)


def test_the_manager_allocates_from_unassigned(
    world: dict[str, Any], cases: dict[str, Referral]
) -> None:
    client = demo_sign_in("provider.manager")
    page = _text(client.get(PAGE, {"tab": "unassigned"}))
    assert f'name="version-{cases["new"].pk}" value="{cases["new"].version}"' in page
    assert "Allocate" in page and "Llinos Williams" in page
    # Not offered on "My cases" nor "Finished".
    assert 'name="referral"' not in _text(client.get(PAGE, {"tab": "finished"}))
    sent = Notification.objects.filter(template="referral_allocated").count()
    response = _post_allocation(client, [cases["new"]], world["caseworker"])
    assert response.status_code == 302 and response["Location"].endswith("?tab=unassigned")
    new = Referral.objects.get(pk=cases["new"].pk)
    assert new.allocated_to == world["caseworker"] and new.version == cases["new"].version + 1
    assert "1 referral allocated." in _text(client.get(response["Location"]))
    assert Notification.objects.filter(template="referral_allocated").count() == sent + 1
    assert Notification.objects.filter(
        template="referral_allocated", recipient_user_id=world["caseworker"].pk
    ).exists()


def test_two_managers_allocating_the_same_case_get_a_conflict_not_a_lost_update(
    world: dict[str, Any], cases: dict[str, Referral]
) -> None:
    other_manager = UserFactory(
        roles=[Role.PROVIDER_MANAGER],
        organisation=world["provider.manager"].organisation,
        with_device=True,
    )
    second_worker = UserFactory(
        roles=[Role.PROVIDER_CASEWORKER],
        organisation=world["provider.manager"].organisation,
        counties=["W06000010"],
    )
    extra = refer(world["officer"], make_person(given="Nia", family="Owen"))
    seen = [Referral.objects.get(pk=cases["new"].pk), Referral.objects.get(pk=extra.pk)]
    first = demo_sign_in("provider.manager")
    second = sign_in_client(other_manager)
    # Both read the same versions; the first allocates both to Llinos.
    assert _post_allocation(first, seen, world["caseworker"]).status_code == 302
    # The second, from the same page, allocates one of them (and the other is stale too).
    response = _post_allocation(second, seen[:1], second_worker)
    assert response.status_code == 302
    page = _text(second.get(response["Location"]))
    assert "1 had been changed by someone else, so it was not allocated" in page
    assert seen[0].reference in page
    assert Referral.objects.get(pk=seen[0].pk).allocated_to == world["caseworker"]
    # A stale item does not stop the others: a summary for each.
    third = refer(world["officer"], make_person(given="Ifan", family="Lewis"))
    result = referrals_allocate(
        context=CONTEXT,
        actor=other_manager,
        items=[(seen[1].pk, seen[1].version), (third.pk, third.version)],
        caseworker_id=second_worker.pk,
    )
    assert result.allocated == [third.pk] and result.stale == [seen[1].pk]
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED, reason__contains="stale")
    assert denied.exists()


def test_the_caseworker_must_be_of_the_referrals_organisation(
    world: dict[str, Any], cases: dict[str, Referral]
) -> None:
    result = referrals_allocate(
        context=CONTEXT,
        actor=world["provider.manager"],
        items=[(cases["new"].pk, cases["new"].version)],
        caseworker_id=world["powys.caseworker"].pk,
    )
    assert result.refused and not result.allocated
    # On the page, another organisation's caseworker is not even a choice.
    response = _post_allocation(
        demo_sign_in("provider.manager"), [cases["new"]], world["powys.caseworker"]
    )
    assert response.status_code == 400
    assert "Select a valid choice" in _text(response) or "Choose" in _text(response)


def test_nothing_chosen_is_refused(world: dict[str, Any], cases: dict[str, Referral]) -> None:
    response = demo_sign_in("provider.manager").post(
        ALLOCATE, {"caseworker": str(world["caseworker"].pk), "tab": "unassigned"}
    )
    assert response.status_code == 400
    assert "Choose at least one referral to allocate" in _text(response)


@pytest.mark.parametrize("username", ["caseworker", "navigator", "officer", "custody.sergeant"])
def test_only_managers_may_allocate(
    world: dict[str, Any], cases: dict[str, Referral], username: str
) -> None:
    client = demo_sign_in(username)
    response = _post_allocation(client, [cases["new"]], world["caseworker"])
    assert response.status_code == 403
    assert Referral.objects.get(pk=cases["new"].pk).allocated_to_id is None
    assert 'name="referral"' not in _text(client.get(PAGE, {"tab": "unassigned"}))
    api = client.post(
        API_ALLOCATE,
        json.dumps(
            {
                "caseworker": world["caseworker"].pk,
                "referrals": [{"id": cases["new"].pk, "version": cases["new"].version}],
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 403


def test_the_single_allocate_page_emails_the_caseworker_too(
    world: dict[str, Any], cases: dict[str, Referral]
) -> None:
    referral_allocate(
        context=CONTEXT,
        actor=world["provider.manager"],
        referral_id=cases["new"].pk,
        expected_version=cases["new"].version,
        caseworker_id=world["caseworker"].pk,
    )
    assert Notification.objects.filter(
        template="referral_allocated", recipient_user_id=world["caseworker"].pk
    ).exists()
    # Allocating it to oneself (or again to the same caseworker) sends nothing.
    count = Notification.objects.filter(template="referral_allocated").count()
    referral = Referral.objects.get(pk=cases["new"].pk)
    referral_allocate(
        context=CONTEXT,
        actor=world["provider.manager"],
        referral_id=referral.pk,
        expected_version=referral.version,
        caseworker_id=world["caseworker"].pk,
    )
    assert Notification.objects.filter(template="referral_allocated").count() == count


# --- the API ------------------------------------------------------------------------------


def test_api_caseload(world: dict[str, Any], cases: dict[str, Referral]) -> None:
    client = demo_sign_in("caseworker")
    answer = client.get(API, {"tab": "unassigned"}).json()
    assert answer["tab"] == "unassigned"
    assert {t["key"]: t["count"] for t in answer["tabs"]} == {
        "mine": 1,
        "unassigned": 1,
        "open": 2,
        "finished": 1,
    }
    assert [r["reference"] for r in answer["results"]] == [cases["new"].reference]
    assert answer["results"][0]["allocated_to"] is None and "version" in answer["results"][0]
    by_ref = client.get(API, {"tab": "finished", "q": cases["done"].reference}).json()
    assert by_ref["count"] == 1
    # A name in a URL is refused; in a POST body it is searched.
    assert client.get(API, {"q": "Rowlands"}).status_code == 400
    found = client.post(API, json.dumps({"q": "Rowlands"}), content_type="application/json")
    assert found.status_code == 200 and found.json()["count"] == 1
    wrong = client.post(API, json.dumps({"q": "31/02/1990"}), content_type="application/json")
    assert wrong.status_code == 400 and "real date of birth" in wrong.json()["q"][0]
    assert client.get(API, {"tab": "nonsense"}).status_code == 400
    # Out of scope: nothing.
    powys = demo_sign_in("powys.caseworker").get(API, {"tab": "open"}).json()
    assert powys["count"] == 0


def test_api_bulk_allocation_409_names_the_stale_ones(
    world: dict[str, Any], cases: dict[str, Referral]
) -> None:
    client = demo_sign_in("provider.manager")
    extra = refer(world["officer"], make_person(given="Nia", family="Owen"))
    new = Referral.objects.get(pk=cases["new"].pk)
    body = {
        "caseworker": world["caseworker"].pk,
        "referrals": [{"id": new.pk, "version": new.version}],
    }
    ok = client.post(API_ALLOCATE, json.dumps(body), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["allocated"] == [new.pk]
    body["referrals"].append({"id": extra.pk, "version": extra.version})
    again = client.post(API_ALLOCATE, json.dumps(body), content_type="application/json")
    assert again.status_code == 409
    answer = again.json()
    assert answer["allocated"] == [extra.pk]
    assert answer["stale"] == [
        {"id": new.pk, "reference": new.reference, "version": new.version + 1}
    ]
    empty = client.post(API_ALLOCATE, "", content_type="application/json")
    assert empty.status_code == 400


# --- query counts -------------------------------------------------------------------------


def test_the_page_makes_a_bounded_number_of_queries(
    world: dict[str, Any], cases: dict[str, Referral], django_assert_max_num_queries: Any
) -> None:
    for i in range(8):
        refer(world["officer"], make_person(given=f"Extra{i}", family="Person"))
    client = demo_sign_in("provider.manager")
    client.get(PAGE, {"tab": "unassigned"})
    with django_assert_max_num_queries(18):
        response = client.get(PAGE, {"tab": "unassigned"})
    assert response.status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(API, {"tab": "open"}).status_code == 200


def test_the_tab_counts_are_one_query(
    world: dict[str, Any], cases: dict[str, Referral], django_assert_num_queries: Any
) -> None:
    manager = world["provider.manager"]
    manager.has_role(Role.PROVIDER_MANAGER)  # roles read once per user
    with django_assert_num_queries(1):
        found = reads.caseload(manager, "open")
    assert found.counts["open"] == 2
