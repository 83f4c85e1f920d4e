"""The stop and search record pages: list, record a search, the record, later outcomes."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in
from tests.factories import county

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.stopsearch.models import OutcomeUpdate, SearchReview, StopSearch
from pontio.stopsearch.tests.helpers import make_person
from pontio.stopsearch.tests.helpers import record as record_by

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "stopsearch"


def form_data(**changes: Any) -> dict[str, Any]:
    when = timezone.localtime(timezone.now() - dt.timedelta(hours=2))
    values: dict[str, Any] = {
        "search_type": "person",
        "searched_at_0": str(when.day),
        "searched_at_1": str(when.month),
        "searched_at_2": str(when.year),
        "searched_time": when.strftime("%H:%M"),
        "place": "Stepney Street, Llanelli",
        "county": str(county("W06000010").pk),
        "gender": "Male",
        "age_range": "18-24",
        "self_defined_ethnicity": "W1",
        "officer_defined_ethnicity": "White",
        "legislation": "mda_s23",
        "object_of_search": "controlled_drugs",
        "grounds": "Strong smell of cannabis from him; seen passing a small bag to another man.",
        "removal_of_more_than_outer_clothing": "no",
        "body_worn_video": "BWV-4471-2026",
        "part_of_operation": "no",
        "found": "nothing",
        "outcome": "nfa",
        "gowisely_given": "on",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def page(response: Any) -> str:
    return html.unescape(response.content.decode())


def record(world: dict[str, Any], username: str = "officer", **changes: Any) -> StopSearch:
    return record_by(world[username], **changes)


@pytest.fixture
def officer(world: dict[str, Any]) -> Client:
    return demo_sign_in("officer")


# --- recording a search --------------------------------------------------------------------------


def test_the_form_template_has_no_tables() -> None:
    assert "<table" not in (TEMPLATES / "record_form.html").read_text()


def test_the_form_page_is_one_column_without_tables(officer: Client) -> None:
    response = officer.get(reverse("stopsearch:create"))
    assert response.status_code == 200
    content = page(response)
    assert "<table" not in content
    assert "I gave the GOWISELY information before searching" in content
    assert "You are detained" in content  # the GOWISELY details component


def test_the_form_starts_at_now_in_the_officers_county(officer: Client) -> None:
    response = officer.get(reverse("stopsearch:create"))
    form = response.context["form"]
    assert form.initial["searched_at"] == timezone.localdate()
    assert form.initial["county"] == county("W06000010").pk


def test_recording_a_search_gives_a_receipt_reference(officer: Client) -> None:
    response = officer.post(reverse("stopsearch:create"), form_data(), follow=True)
    search = StopSearch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("stopsearch:detail", args=[search.pk])
    content = page(response)
    assert search.reference in content
    assert "Give the person this reference: they can ask for a copy of the record." in content
    assert search.officer.username == "officer"
    assert search.outcomes.get().kind == OutcomeUpdate.Kind.AT_THE_TIME


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"grounds": ""}, "grounds", "Enter the grounds for the search"),
        (
            {"legislation": ""},
            "legislation",
            "Choose the power (legislation) used for the search",
        ),
        (
            {"gowisely_given": None},
            "gowisely_given",
            "Confirm that you gave the GOWISELY information before searching",
        ),
        (
            {"outcome": "arrest"},
            "outcome_linked",
            "Say whether the outcome is linked to the object of the search",
        ),
        (
            {"searched_time": "25:00"},
            "searched_time",
            "Enter the time using the 24-hour clock, like 14:30",
        ),
    ],
)
def test_a_search_missing_what_pace_code_a_requires_is_refused(
    officer: Client, changes: dict[str, Any], field: str, message: str
) -> None:
    response = officer.post(reverse("stopsearch:create"), form_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in page(response)
    assert not StopSearch.objects.exists()


def test_a_search_in_the_future_is_refused(officer: Client) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = form_data(
        searched_at_0=str(tomorrow.day),
        searched_at_1=str(tomorrow.month),
        searched_at_2=str(tomorrow.year),
    )
    response = officer.post(reverse("stopsearch:create"), data)
    today = timezone.localdate()
    assert response.context["form"].errors["searched_at"] == [
        f"The date must be on or before {today.day} {today:%B %Y}"
    ]
    assert not StopSearch.objects.exists()


def test_a_search_dated_1800_is_refused_on_its_field(officer: Client) -> None:
    response = officer.post(
        reverse("stopsearch:create"),
        form_data(searched_at_0="5", searched_at_1="6", searched_at_2="1800"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["searched_at"] == [
        "The date must be on or after 1 January 2000"
    ]
    assert not StopSearch.objects.exists()


def test_a_huge_year_on_the_record_form_is_a_message_not_a_server_error(officer: Client) -> None:
    """A year of eleven digits once raised OverflowError (a 500)."""
    response = officer.post(
        reverse("stopsearch:create"),
        form_data(searched_at_0="5", searched_at_1="6", searched_at_2="99999999999"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["searched_at"] == ["The year must include 4 numbers"]
    assert not StopSearch.objects.exists()


def test_the_form_carries_a_key_made_when_it_is_shown(officer: Client) -> None:
    response = officer.get(reverse("stopsearch:create"))
    first = response.context["form"].initial["key"]
    second = officer.get(reverse("stopsearch:create")).context["form"].initial["key"]
    assert len(first) == 32 and first != second
    assert f'name="key" value="{first}"' in page(response)


def test_the_same_form_posted_twice_makes_one_record_and_says_so(officer: Client) -> None:
    key = officer.get(reverse("stopsearch:create")).context["form"].initial["key"]
    data = form_data(key=key)
    officer.post(reverse("stopsearch:create"), data)
    response = officer.post(reverse("stopsearch:create"), data, follow=True)
    search = StopSearch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("stopsearch:detail", args=[search.pk])
    assert f"This search has already been recorded. Receipt reference {search.reference}." in page(
        response
    )


def test_two_forms_shown_separately_make_two_records(officer: Client) -> None:
    officer.post(reverse("stopsearch:create"), form_data(key="a" * 32))
    officer.post(reverse("stopsearch:create"), form_data(key="b" * 32))
    assert StopSearch.objects.count() == 2


def test_every_problem_shows_at_once(officer: Client) -> None:
    response = officer.post(
        reverse("stopsearch:create"), form_data(grounds="", legislation="", searched_time="x")
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"grounds", "legislation", "searched_time"}
    # One message per field: the time's own message, not "enter the date and time" too.
    assert errors["searched_time"] == ["Enter the time using the 24-hour clock, like 14:30"]
    assert not StopSearch.objects.exists()


def test_a_refused_search_is_audited_without_its_text(officer: Client) -> None:
    officer.post(reverse("stopsearch:create"), form_data(grounds=""))
    event = AuditEvent.objects.filter(action=AuditAction.DENIED).latest("sequence")
    assert event.reason.startswith("search record refused")
    assert "cannabis" not in event.reason


def test_roles_without_the_permission_cannot_open_the_form(world: dict[str, Any]) -> None:
    for username in ("caseworker", "panel", "analyst"):
        response = demo_sign_in(username).get(reverse("stopsearch:create"))
        assert response.status_code == 403, username


# --- starting from a person ----------------------------------------------------------------------


def test_a_person_in_scope_prefills_the_form(world: dict[str, Any], officer: Client) -> None:
    person = make_person(
        given="Ceri", family="Howells", gender="female", self_defined_ethnicity="W2"
    )
    response = officer.get(reverse("stopsearch:create") + f"?person={person.pk}")
    initial = response.context["form"].initial
    assert (initial["gender"], initial["self_defined_ethnicity"]) == ("Female", "W2")
    assert initial["age_range"] == "over 34"
    assert "Ceri Howells" in page(response)


def test_a_search_from_a_person_page_is_linked_to_the_person(
    world: dict[str, Any], officer: Client
) -> None:
    person = world["person"]
    officer.post(reverse("stopsearch:create") + f"?person={person.pk}", form_data())
    assert StopSearch.objects.get().person == person


def test_a_person_out_of_scope_needs_break_glass_and_is_audited(
    world: dict[str, Any], officer: Client
) -> None:
    powys = make_person(given="Gwyn", family="Pugh", county_code="W06000023", postcode="LD3 7AA")
    response = officer.get(reverse("stopsearch:create") + f"?person={powys.pk}")
    # As on the person page: the record exists, so the officer is asked for a reason.
    assert response.status_code == 302
    assert response["Location"].startswith(f"/access/people.person/{powys.pk}/")
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, object_type="people.person", object_id=str(powys.pk)
    ).exists()


def test_a_person_parameter_that_is_not_a_number_is_ignored(officer: Client) -> None:
    response = officer.get(reverse("stopsearch:create") + "?person=Jones")
    assert response.status_code == 200
    assert response.context["person"] is None


def test_the_person_page_links_to_recording_a_search(
    world: dict[str, Any], officer: Client
) -> None:
    person = world["person"]
    response = officer.get(reverse("people:detail", args=[person.pk]))
    assert f"{reverse('stopsearch:create')}?person={person.pk}" in response.content.decode()


# --- the record ----------------------------------------------------------------------------------


def test_the_officer_who_made_the_search_reads_it_audited_with_the_person(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world, person=world["person"])
    response = officer.get(reverse("stopsearch:detail", args=[search.pk]))
    assert response.status_code == 200
    assert search.reference in page(response)
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_id=str(search.pk), person_id=str(world["person"].pk)
    ).exists()


def test_an_officer_who_did_not_make_the_search_gets_not_found(world: dict[str, Any]) -> None:
    search = record(world)
    response = demo_sign_in("custody.officer").get(reverse("stopsearch:detail", args=[search.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, object_type="stopsearch.stopsearch", object_id=str(search.pk)
    ).exists()


def test_an_inspector_of_another_county_gets_not_found(world: dict[str, Any]) -> None:
    search = record(world)
    response = demo_sign_in("inspector").get(reverse("stopsearch:detail", args=[search.pk]))
    assert response.status_code == 404


def test_the_sergeant_of_the_county_sees_the_search(world: dict[str, Any]) -> None:
    search = record(world)
    response = demo_sign_in("custody.sergeant").get(reverse("stopsearch:detail", args=[search.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("username", ["caseworker", "panel", "analyst"])
def test_providers_panel_and_analysts_are_refused(world: dict[str, Any], username: str) -> None:
    search = record(world)
    client = demo_sign_in(username)
    assert client.get(reverse("stopsearch:detail", args=[search.pk])).status_code == 403
    assert client.get(reverse("stopsearch:list")).status_code == 403
    assert client.get(reverse("stopsearch:outcome", args=[search.pk])).status_code == 403


def test_the_officer_reads_the_reviewers_feedback_and_it_is_marked_read(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world)
    review = SearchReview.objects.create(
        search=search,
        kind=SearchReview.Kind.INSPECTOR,
        reviewer=world["inspector"],
        due_on=timezone.localdate(),
        completed_at=timezone.now(),
        grounds_reasonable=True,
        record_complete=False,
        conduct_proportionate=True,
        judgement=SearchReview.Judgement.CONCERNS,
        learning="Record where the bag was passed and to whom.",
    )
    demo_sign_in("custody.sergeant").get(reverse("stopsearch:detail", args=[search.pk]))
    review.refresh_from_db()
    assert review.officer_read_at is None
    response = officer.get(reverse("stopsearch:detail", args=[search.pk]))
    assert "Record where the bag was passed and to whom." in page(response)
    review.refresh_from_db()
    assert review.officer_read_at is not None


def test_an_unfinished_review_is_not_shown_to_the_officer(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world)
    SearchReview.objects.create(
        search=search,
        kind=SearchReview.Kind.INSPECTOR,
        reviewer=world["inspector"],
        due_on=timezone.localdate(),
        learning="Draft: not finished",
    )
    response = officer.get(reverse("stopsearch:detail", args=[search.pk]))
    assert "Draft: not finished" not in page(response)


# --- one click to a referral ---------------------------------------------------------------------


def test_the_referral_button_preselects_the_stop_and_search_pathway(
    world: dict[str, Any], officer: Client
) -> None:
    person = world["person"]
    search = record(world, person=person)
    detail = page(officer.get(reverse("stopsearch:detail", args=[search.pk])))
    url = reverse("referrals:create", args=[person.pk]) + f"?from_search={search.pk}"
    assert f'href="{url}"' in detail
    response = officer.get(url)
    form = response.context["form"]
    assert form["pathway"].value() == "stop_search"
    assert form["source_reference"].value() == search.reference


def test_a_search_out_of_scope_prefills_nothing_in_the_referral(
    world: dict[str, Any],
) -> None:
    person = world["person"]
    search = record(world, person=person)
    client = demo_sign_in("custody.officer")
    response = client.get(
        reverse("referrals:create", args=[person.pk]) + f"?from_search={search.pk}"
    )
    assert response.context["form"]["source_reference"].value() in (None, "")


def test_without_a_linked_person_the_button_leads_to_finding_the_person(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world)
    content = page(officer.get(reverse("stopsearch:detail", args=[search.pk])))
    # The button itself (the service navigation links to People too).
    find = reverse("stopsearch:person", args=[search.pk])
    assert f'href="{find}" role="button"' in content
    assert f'href="{reverse("people:list")}" role="button"' not in content
    assert "No person record is linked to this search" in content
    # A vehicle search takes no person here: the button leads to the people search.
    vehicle = record(world, search_type="vehicle", vehicle_registration="CU15ABC")
    content = page(officer.get(reverse("stopsearch:detail", args=[vehicle.pk])))
    assert f'href="{reverse("people:list")}" role="button"' in content


# --- later outcomes ------------------------------------------------------------------------------


def outcome_data(search: StopSearch, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "version": str(search.version),
        "kind": "drug_analysis",
        "outcome": "summons",
        "linked_to_object": "yes",
        "decided_on_0": str(today.day),
        "decided_on_1": str(today.month),
        "decided_on_2": str(today.year),
        "reason": "Lab confirmed 3.2 g of cocaine",
    }
    values.update(changes)
    return values


def test_a_later_outcome_keeps_the_outcome_at_the_time(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world)
    response = officer.post(
        reverse("stopsearch:outcome", args=[search.pk]), outcome_data(search), follow=True
    )
    search.refresh_from_db()
    assert (search.original_outcome, search.current_outcome) == ("nfa", "summons")
    assert search.outcomes.count() == 2
    content = page(response)
    assert "A no further action disposal" in content
    assert "Summons / charged by post" in content
    assert "Lab confirmed 3.2 g of cocaine" in content
    assert "Drug analysis result" in content


def test_a_huge_year_on_the_outcome_form_is_a_message_not_a_server_error(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world)
    response = officer.post(
        reverse("stopsearch:outcome", args=[search.pk]),
        outcome_data(search, decided_on_0="1", decided_on_1="1", decided_on_2="99999999999"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decided_on"] == ["The year must include 4 numbers"]
    assert search.outcomes.count() == 1


def test_an_outcome_older_than_the_search_is_refused(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world)
    searched_on = timezone.localtime(search.searched_at).date()
    before = searched_on - dt.timedelta(days=3)
    response = officer.post(
        reverse("stopsearch:outcome", args=[search.pk]),
        outcome_data(
            search,
            decided_on_0=str(before.day),
            decided_on_1=str(before.month),
            decided_on_2=str(before.year),
        ),
    )
    assert response.context["form"].errors["decided_on"] == [
        f"The outcome cannot be before the search ({searched_on.day} {searched_on:%B %Y})"
    ]
    assert search.outcomes.count() == 1


def test_an_outcome_from_a_stale_copy_is_refused(world: dict[str, Any], officer: Client) -> None:
    search = record(world)
    stale = outcome_data(search)
    officer.post(reverse("stopsearch:outcome", args=[search.pk]), outcome_data(search))
    response = officer.post(reverse("stopsearch:outcome", args=[search.pk]), stale)
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing it" in page(response)
    assert search.outcomes.count() == 2


def test_an_outcome_without_a_reason_is_refused(world: dict[str, Any], officer: Client) -> None:
    search = record(world)
    response = officer.post(
        reverse("stopsearch:outcome", args=[search.pk]), outcome_data(search, reason="")
    )
    assert response.context["form"].errors["reason"] == [
        "Enter the reason for the change of outcome"
    ]
    assert search.outcomes.count() == 1


def test_another_officer_cannot_open_the_outcome_page(world: dict[str, Any]) -> None:
    search = record(world)
    response = demo_sign_in("custody.officer").get(reverse("stopsearch:outcome", args=[search.pk]))
    assert response.status_code == 404


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_only_the_users_own_searches(world: dict[str, Any], officer: Client) -> None:
    mine = record(world)
    theirs = record(world, username="custody.officer")
    content = page(officer.get(reverse("stopsearch:list")))
    assert mine.reference in content
    assert theirs.reference not in content
    assert "Record a search" in content


def test_the_list_filters_by_outcome_and_county(world: dict[str, Any], officer: Client) -> None:
    nfa = record(world)
    arrest = record(world, outcome="arrest", outcome_linked=True)
    content = page(officer.get(reverse("stopsearch:list") + "?outcome=arrest&county=W06000010"))
    assert arrest.reference in content
    assert nfa.reference not in content


def test_the_list_filters_by_month(world: dict[str, Any], officer: Client) -> None:
    search = record(world)
    month = timezone.localtime(search.searched_at).strftime("%Y-%m")
    assert search.reference in page(officer.get(reverse("stopsearch:list") + f"?month={month}"))
    response = officer.get(reverse("stopsearch:list") + "?month=1999-01")
    assert response.context["form"].errors["month"] == ["Choose an option from the list"]


def test_the_list_runs_a_fixed_number_of_queries(
    world: dict[str, Any], officer: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        record(world)
    with django_assert_max_num_queries(25):
        response = officer.get(reverse("stopsearch:list"))
    assert len(response.context["page"]) == 6


def test_the_service_navigation_has_stop_and_search(officer: Client) -> None:
    response = officer.get(reverse("stopsearch:list"))
    assert any(
        item["url"] == reverse("stopsearch:list") and item["current"]
        for item in response.context["service_navigation"]
    )


def test_another_persons_search_prefills_nothing_in_the_referral(
    world: dict[str, Any], officer: Client
) -> None:
    search = record(world, person=world["person"])
    other = make_person(given="Ceri", family="Howells")
    response = officer.get(
        reverse("referrals:create", args=[other.pk]) + f"?from_search={search.pk}"
    )
    assert response.context["form"]["source_reference"].value() in (None, "")


def test_a_vehicle_search_needs_the_registration_not_the_person(officer: Client) -> None:
    blank = dict.fromkeys(
        (
            "gender",
            "age_range",
            "self_defined_ethnicity",
            "officer_defined_ethnicity",
            "removal_of_more_than_outer_clothing",
        ),
        "",
    )
    response = officer.post(reverse("stopsearch:create"), form_data(search_type="vehicle", **blank))
    assert response.context["form"].errors["vehicle_registration"] == [
        "Enter the vehicle registration"
    ]
    officer.post(
        reverse("stopsearch:create"),
        form_data(search_type="vehicle", vehicle_registration="cu19 abc", **blank),
    )
    assert StopSearch.objects.get().vehicle_registration == "CU19ABC"


def test_an_imported_police_uk_search_is_shown_but_its_outcome_cannot_be_changed(
    world: dict[str, Any],
) -> None:
    imported = StopSearch.objects.create(
        reference="PUK-2016-11-000001",
        source="policeuk",
        search_type="person",
        searched_at=timezone.now() - dt.timedelta(days=30),
        month=timezone.localdate().replace(day=1),
        legislation="mda_s23",
        object_of_search="controlled_drugs",
        original_outcome="nfa",
        current_outcome="nfa",
        source_key="dyfed-powys:2016-11:test:1",
    )
    client = demo_sign_in("intelligence")
    content = page(client.get(reverse("stopsearch:detail", args=[imported.pk])))
    assert "Not published by police.uk" in content
    assert reverse("stopsearch:outcome", args=[imported.pk]) not in content
    assert client.get(reverse("stopsearch:outcome", args=[imported.pk])).status_code == 404
