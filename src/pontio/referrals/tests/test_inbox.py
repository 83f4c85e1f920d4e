"""The inbox: one page for every side, with filters, sorting, pages, counts and breaches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.core.working_days import add_working_days, working_days_between
from pontio.referrals import selectors
from pontio.referrals.models import Referral, Status
from pontio.referrals.tests.helpers import accepted, move, refer

pytestmark = pytest.mark.django_db
INBOX = "/referrals/"


def _text(response: Any) -> str:
    return response.content.decode()


def _overdue(referral: Referral, days: int = 10) -> None:
    """Sent ``days`` ago, first contact due three days ago and never made."""
    today = timezone.localdate()
    Referral.objects.filter(pk=referral.pk).update(
        sent_on=today - dt.timedelta(days=days),
        sent_at=timezone.now() - dt.timedelta(days=days),
        first_contact_due=today - dt.timedelta(days=3),
    )


def test_the_inbox_is_at_referrals() -> None:
    assert reverse("referrals:inbox") == INBOX


def test_provider_sees_their_organisations_referrals_with_names(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    response = demo_sign_in("caseworker").get(INBOX)
    page = _text(response)
    assert "Referrals to your organisation" in page
    assert referral.reference in page and "Jones, Dafydd" in page
    assert "Not allocated" in page  # caseworker column for providers


def test_another_provider_sees_none_of_them(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    page = _text(demo_sign_in("powys.caseworker").get(INBOX))
    assert referral.reference not in page


def test_officer_sees_the_referrals_they_made_with_the_service(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    page = _text(demo_sign_in("officer").get(INBOX))
    assert "Referrals you made" in page
    assert referral.reference in page
    assert str(referral.service) in page


def test_supervisor_sees_their_areas_referrals(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    page = _text(demo_sign_in("custody.sergeant").get(INBOX))
    assert "Referrals you made or supervise" in page
    assert referral.reference in page
    # The inspector supervises Ceredigion only.
    assert referral.reference not in _text(demo_sign_in("inspector").get(INBOX))


@pytest.mark.parametrize("username", ["analyst", "panel", "auditor", "admin"])
def test_roles_without_referrals_are_refused(world: dict[str, Any], username: str) -> None:
    assert demo_sign_in(username).get(INBOX).status_code == 403


def test_status_filter_and_counts(world: dict[str, Any]) -> None:
    new = refer(world["officer"], world["person"])
    taken = accepted(world["officer"], world["caseworker"], world["person"])
    client = demo_sign_in("provider.manager")
    page = _text(client.get(INBOX, {"status": "accepted"}))
    assert taken.reference in page and new.reference not in page
    assert "All (2)" in page and "Accepted (1)" in page and "Requested (1)" in page
    assert "1 referral" in page


def test_pathway_and_county_filters(world: dict[str, Any]) -> None:
    voluntary = refer(world["officer"], world["person"])
    custody = refer(world["officer"], world["person"], pathway="custody")
    client = demo_sign_in("provider.manager")
    page = _text(client.get(INBOX, {"pathway": "custody"}))
    assert custody.reference in page and voluntary.reference not in page
    page = _text(client.get(INBOX, {"county": "W06000008"}))  # Ceredigion
    assert voluntary.reference not in page and custody.reference not in page
    page = _text(client.get(INBOX, {"county": "W06000010"}))
    assert voluntary.reference in page and custody.reference in page


def test_an_invalid_filter_is_explained_and_left_out(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    page = _text(demo_sign_in("caseworker").get(INBOX, {"status": "lost", "pathway": "custody"}))
    assert "Choose a referral status" in page
    assert referral.reference not in page  # the valid pathway filter still applies


def test_breach_filter_finds_a_missed_first_contact(world: dict[str, Any]) -> None:
    late = refer(world["officer"], world["person"])
    on_time = refer(world["officer"], world["person"])
    _overdue(late)
    client = demo_sign_in("caseworker")
    for breach in ("first_contact", "any"):
        page = _text(client.get(INBOX, {"breach": breach}))
        assert late.reference in page and on_time.reference not in page, breach
        assert "First contact breached" in page
    page = _text(client.get(INBOX, {"breach": "treatment"}))
    assert late.reference not in page


def test_a_held_referral_does_not_breach_while_paused(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    today = timezone.localdate()
    Referral.objects.filter(pk=referral.pk).update(
        first_contact_due=today - dt.timedelta(days=1), held_since=today - dt.timedelta(days=5)
    )
    page = _text(demo_sign_in("caseworker").get(INBOX, {"breach": "any"}))
    assert referral.reference not in page


def test_sorting_by_due_date_and_sent_date(world: dict[str, Any]) -> None:
    first = refer(world["officer"], world["person"])
    second = refer(world["officer"], world["person"])
    _overdue(second, days=20)  # sent earlier, due earlier
    client = demo_sign_in("caseworker")

    def order(**query: str) -> list[str]:
        page = _text(client.get(INBOX, query))
        return sorted((first.reference, second.reference), key=page.index)

    assert order() == [second.reference, first.reference]  # what breaches first
    assert order(sort="sent") == [first.reference, second.reference]  # newest first
    assert order(sort="sent", order="asc") == [second.reference, first.reference]
    assert order(sort="due", order="asc") == [second.reference, first.reference]
    assert order(sort="due", order="desc") == [first.reference, second.reference]


def test_pages_of_25_keep_the_filters(world: dict[str, Any]) -> None:
    for _ in range(27):
        refer(world["officer"], world["person"])
    client = demo_sign_in("caseworker")
    page = _text(client.get(INBOX, {"pathway": "voluntary"}))
    assert "27 referrals" in page
    assert page.count('href="/referrals/') - page.count("export") >= 25
    assert "pathway=voluntary&amp;page=2" in page
    second = _text(client.get(INBOX, {"pathway": "voluntary", "page": "2"}))
    assert second.count("PR") >= 2


def test_the_query_count_does_not_grow_with_rows(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = demo_sign_in("provider.manager")
    refer(world["officer"], world["person"])
    with django_assert_max_num_queries(100) as few:
        client.get(INBOX)
    baseline = len(few.captured_queries)
    for _ in range(10):
        accepted(world["officer"], world["caseworker"], world["person"])
    with django_assert_max_num_queries(baseline):
        client.get(INBOX)


def test_query_strings_carry_codes_not_people(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    page = _text(demo_sign_in("provider.manager").get(INBOX, {"breach": "any"}))
    for link in page.split('href="')[1:]:
        url = link.split('"', 1)[0]
        assert "Jones" not in url and "Dafydd" not in url and "1990" not in url


def test_export_links_only_for_those_who_may_export(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    assert "export.csv" in _text(demo_sign_in("provider.manager").get(INBOX, {"breach": "any"}))
    assert "export.csv?breach=any" in _text(
        demo_sign_in("provider.manager").get(INBOX, {"breach": "any"})
    )
    assert "export.csv" not in _text(demo_sign_in("caseworker").get(INBOX))
    assert "export.csv" not in _text(demo_sign_in("officer").get(INBOX))


def test_selector_counts_every_status(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    found = selectors.inbox(world["caseworker"])
    assert found.counts[Status.REQUESTED] == 1 and set(found.counts) == set(Status.values)
    assert found.rows.count() == 1


# --- what breaches first, and the days left (journey 2) --------------------------------------


def test_the_inbox_shows_the_working_days_left_or_how_long_it_is_overdue(
    world: dict[str, Any],
) -> None:
    today = timezone.localdate()
    fresh = refer(world["officer"], world["person"])  # first contact due in 2 working days
    late = refer(world["officer"], world["person"])
    due = add_working_days(today, -3)
    Referral.objects.filter(pk=late.pk).update(first_contact_due=due)
    held = refer(world["officer"], world["person"])
    Referral.objects.filter(pk=held.pk).update(status=Status.ON_HOLD, held_since=today)
    page = _text(demo_sign_in("caseworker").get(INBOX))
    rows = {r: page.split(r.reference, 1)[1].split("</tr>", 1)[0] for r in (fresh, late, held)}
    assert "2 working days left" in rows[fresh]
    assert f"Overdue by {working_days_between(due, today)} working days" in rows[late]
    assert "On hold: timers paused" in rows[held]
    # What breaches first is first; the held one (its clock stopped) last.
    assert page.index(late.reference) < page.index(fresh.reference) < page.index(held.reference)


def test_a_finished_referral_never_tops_the_inbox(world: dict[str, Any]) -> None:
    closed = accepted(world["officer"], world["caseworker"], world["person"])
    move(world["caseworker"], closed, Status.FAILED, code="CLO_CLIENT_DECLINED")
    # Its assessment was never met and its due dates are long past ...
    Referral.objects.filter(pk=closed.pk).update(
        first_contact_due=timezone.localdate() - dt.timedelta(days=30)
    )
    open_one = refer(world["officer"], world["person"])
    page = _text(demo_sign_in("caseworker").get(INBOX))
    # ... but its clock stopped when it closed: the open one breaches first.
    assert page.index(open_one.reference) < page.index(closed.reference)


def test_inbox_rows_keep_references_and_dates_on_one_line_and_stack_on_a_phone(
    world: dict[str, Any],
) -> None:
    referral = refer(world["officer"], world["person"])
    page = _text(demo_sign_in("caseworker").get(INBOX))
    assert 'class="govuk-table pontio-table--stack"' in page
    row = page.split(f'href="/referrals/{referral.pk}/"', 1)[1].split("</tr>", 1)[0]
    assert 'class="govuk-table__cell pontio-nowrap" data-label="Sent"' in row
    assert page.count('data-label="Reference"') == 1
    assert 'td class="govuk-table__cell pontio-nowrap" data-label="Reference"' in page


def test_the_inbox_finds_a_referral_by_its_reference(world: dict[str, Any]) -> None:
    wanted = refer(world["officer"], world["person"])
    other = refer(world["officer"], world["person"])
    client = demo_sign_in("caseworker")
    page = _text(client.get(INBOX, {"search": wanted.reference.lower()}))
    assert wanted.reference in page and other.reference not in page
    assert ">1 referral</p>" in page


def test_a_search_that_is_not_a_reference_is_refused_and_names_nothing(
    world: dict[str, Any],
) -> None:
    refer(world["officer"], world["person"])
    page = _text(demo_sign_in("caseworker").get(INBOX, {"search": "Dafydd Jones"}))
    assert "Enter a referral reference, like PR26-000123" in page


def test_the_provider_filters_for_what_waits_and_whose_it_is(world: dict[str, Any]) -> None:
    officer, caseworker = world["officer"], world["caseworker"]
    waiting = refer(officer, world["person"])
    mine = accepted(officer, caseworker, world["person"])
    client = demo_sign_in("caseworker")

    def refs(**query: str) -> set[str]:
        return {r.reference for r in client.get(INBOX, query).context["page"]}

    assert refs(allocated="me") == {mine.reference}
    assert refs(allocated="nobody") == {waiting.reference}
    assert refs(awaiting="first_contact") == {waiting.reference, mine.reference}
    assert refs(awaiting="assessment") == set()
    assert refs(state="finished") == set()
    assert refs(state="open") == {waiting.reference, mine.reference}
