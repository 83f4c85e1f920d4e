"""The audit log pages: search, pagination, export, detail with change values, verification."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from tests.conftest import sign_in_client
from tests.factories import CARMARTHENSHIRE, UserFactory

from pontio.accounts.roles import Role
from pontio.audit.chain import PUBLISHED_FIELDS
from pontio.audit.models import AuditEvent, LogEvent
from pontio.audit.services import AuditContext, audit_record
from pontio.core.recording import AuditAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor() -> Any:
    return UserFactory(roles=[Role.AUDITOR], force_wide=True, with_device=True)


@pytest.fixture
def client(auditor: Any) -> Client:
    return sign_in_client(auditor)


def add(n: int, **kwargs: Any) -> list[AuditEvent]:
    context = AuditContext(actor_id=kwargs.pop("actor_id", 501), view_name="test")
    return [
        audit_record(
            context=context,
            action=kwargs.get("action", AuditAction.READ),
            **{k: v for k, v in kwargs.items() if k != "action"},
        )
        for _ in range(n)
    ]


def sequences(html: str) -> set[int]:
    import re

    return {int(n) for n in re.findall(r'href="/audit/events/(\d+)/"', html)}


def test_search_by_person_id(client: Client) -> None:
    wanted = add(2, object_type="referrals.referral", object_id="5", person_id="PERSON-17")
    add(3, person_id="PERSON-18")
    html = client.get("/audit/", {"person_id": "PERSON-17"}).content.decode()
    assert sequences(html) == {e.sequence for e in wanted}
    assert "2 entries" in html


def test_search_by_actor_and_action(client: Client) -> None:
    add(2, actor_id=777, action=AuditAction.EXPORT)
    wanted = add(3, actor_id=777, action=AuditAction.DENIED)
    add(2, actor_id=778, action=AuditAction.DENIED)
    html = client.get("/audit/", {"actor_id": "777", "action": "denied"}).content.decode()
    assert sequences(html) == {e.sequence for e in wanted}


def test_searching_is_itself_audited(client: Client, auditor: Any) -> None:
    add(1, person_id="PERSON-17")
    client.get("/audit/", {"person_id": "PERSON-17"})
    read = AuditEvent.objects.filter(action=AuditAction.READ, actor_id=auditor.pk).get()
    assert read.object_type == "audit.auditevent"
    assert read.reason == "filters: person_id=PERSON-17"


def test_invalid_filters_show_an_error_and_no_entries(client: Client) -> None:
    add(3)
    response = client.get("/audit/", {"actor_id": "not-a-number"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a user id as a whole number" in html
    assert sequences(html) == set()
    response = client.get(
        "/audit/",
        {
            "date_from_0": "2",
            "date_from_1": "1",
            "date_from_2": "2026",
            "date_to_0": "1",
            "date_to_1": "1",
            "date_to_2": "2026",
        },
    )
    assert "The end date must be the same as or after the start date" in response.content.decode()


def _next_link(html: str) -> str | None:
    """The query of the page's "Next" link (keyset pagination), unescaped."""
    if 'rel="next"' not in html:
        return None
    href = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"', 1)[0]
    return href.replace("&amp;", "&")


def test_pagination(client: Client) -> None:
    added = add(120, actor_id=501)
    total = len(added)
    # Filtered to the added events: the searches are audited too and would shift pages.
    pages = [client.get("/audit/", {"actor_id": "501"}).content.decode()]
    while (link := _next_link(pages[-1])) is not None:
        pages.append(client.get("/audit/" + link).content.decode())
    assert len(pages) == 3
    first, second, third = (sequences(p) for p in pages)
    assert len(first) == 50
    assert len(second) == 50
    assert len(third) == 20
    assert first.isdisjoint(second) and second.isdisjoint(third)
    assert max(first) == added[-1].sequence  # newest first
    assert min(first) > max(second) > max(third)
    assert first | second | third == {e.sequence for e in added}
    assert 'rel="next"' in pages[0]
    assert 'rel="prev"' not in pages[0]
    assert 'rel="prev"' in pages[1]
    assert 'rel="next"' not in pages[2]
    assert f"{total} entries" in pages[0]
    # A forged cursor: the first page, not an error.
    forged = client.get("/audit/", {"actor_id": "501", "after": "forged"}).content.decode()
    assert sequences(forged) == first


def test_pagination_keeps_the_filters(client: Client) -> None:
    add(60, person_id="PERSON-9")
    add(5)
    html = client.get("/audit/", {"person_id": "PERSON-9"}).content.decode()
    link = _next_link(html)
    assert link is not None and "person_id=PERSON-9" in link
    second = client.get("/audit/" + link).content.decode()
    assert len(sequences(second)) == 10


def test_export_csv(client: Client, auditor: Any) -> None:
    wanted = add(3, person_id="PERSON-44", reason='comma, "quote"')
    add(2, person_id="PERSON-45")
    response = client.get("/audit/export.csv", {"person_id": "PERSON-44"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="pontio-audit-')
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == list(PUBLISHED_FIELDS)
    assert [int(r[0]) for r in rows[1:]] == [e.sequence for e in wanted]
    reason_col = rows[0].index("reason")
    assert all(r[reason_col] == 'comma, "quote"' for r in rows[1:])
    hash_col = rows[0].index("hash")
    assert [r[hash_col] for r in rows[1:]] == [e.hash for e in wanted]

    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor_id == auditor.pk
    assert export.reason == "filters: person_id=PERSON-44"


def test_export_without_filters_is_audited(client: Client) -> None:
    add(2)
    response = client.get("/audit/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) >= 3
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).reason == "filters: none"


def test_detail_shows_change_values_and_audits_reading_them(client: Client, auditor: Any) -> None:
    (event,) = [
        audit_record(
            context=AuditContext(actor_id=12),
            action=AuditAction.UPDATE,
            object_type="accounts.user",
            object_id="33",
            person_id="PERSON-3",
            before={"last_name": "Before-Name", "password": "x"},
            after={"last_name": "After-Name", "password": "y"},
        )
    ]
    response = client.get(f"/audit/events/{event.sequence}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Before-Name" in html and "After-Name" in html
    assert "[redacted]" in html
    assert event.hash in html and event.previous_hash in html

    read = AuditEvent.objects.filter(action=AuditAction.READ, actor_id=auditor.pk).get()
    assert read.object_type == "audit.changerecord"
    assert read.object_id == str(event.change.pk)
    assert read.person_id == "PERSON-3"


def test_detail_of_an_event_without_values_is_not_a_read_of_personal_data(
    client: Client, auditor: Any
) -> None:
    (event,) = add(1)
    assert client.get(f"/audit/events/{event.sequence}/").status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.READ, actor_id=auditor.pk).exists()


def test_detail_of_a_missing_event(client: Client) -> None:
    assert client.get("/audit/events/99999/").status_code == 404


def test_verify_page_and_start(client: Client, auditor: Any) -> None:
    add(4)
    page = client.get("/audit/verify/")
    assert page.status_code == 200
    assert b"The log has not been verified yet" in page.content
    response = client.post("/audit/verify/start/")
    assert response.status_code == 302
    assert response["Location"] == "/audit/verify/"
    verify = AuditEvent.objects.get(action=LogEvent.VERIFY)
    assert verify.reason.startswith("intact")
    assert verify.actor_id == auditor.pk
    assert verify.view_name == "task:verify_audit_log"
    html = client.get("/audit/verify/").content.decode()
    checked = int(verify.reason.split()[1])
    assert "Intact" in html
    # Once, and in words (the page once read "Intact intact: 5 events checked").
    assert "intact" not in html
    assert f"{checked} entries checked" in html
    # The home page panel shows the result.
    assert (
        f"last verification: intact: {checked} entries checked" in client.get("/").content.decode()
    )


def test_a_broken_verification_is_shown_in_welsh_words(client: Client, auditor: Any) -> None:
    from django.utils import translation

    from pontio.audit.selectors import verification_outcome

    event = add(1, action=LogEvent.VERIFY, reason="broken at sequence 17 (content); 16 checked")[0]
    outcome = verification_outcome(event)
    assert (outcome.intact, outcome.broken_at, outcome.checked) == (False, 17, 16)
    assert str(outcome) == "broken at entry 17 (its content was changed); 16 checked before it"
    with translation.override("cy"):
        assert "17" in str(outcome) and "broken" not in str(outcome)


def test_verify_start_needs_post(client: Client) -> None:
    assert client.get("/audit/verify/start/").status_code == 405
    assert not AuditEvent.objects.filter(action=LogEvent.VERIFY).exists()


def test_break_glass_review_list(client: Client, auditor: Any, rf: Any) -> None:
    from pontio.accounts import services
    from pontio.accounts.models import User

    county_admin = UserFactory(roles=[Role.ADMINISTRATOR], counties=[CARMARTHENSHIRE])
    target = UserFactory(roles=[Role.OFFICER], counties=["W06000023"])
    request = rf.post("/")
    request.user = county_admin
    services.break_glass_grant(
        request=request, model=User, object_id=str(target.pk), reason="Reviewing complaint 42"
    )
    html = client.get("/audit/break-glass/").content.decode()
    assert "Reviewing complaint 42" in html
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="accounts.breakglassgrant", actor_id=auditor.pk
    ).exists()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.PROVIDER_MANAGER, Role.OFFICER])
def test_other_roles_cannot_read_the_log(role: str) -> None:
    user = UserFactory(
        roles=[role],
        force_wide=role == Role.ADMINISTRATOR,
        counties=[] if role == Role.ADMINISTRATOR else [CARMARTHENSHIRE],
    )
    (event,) = add(1)
    client = sign_in_client(user)
    for url in (
        "/audit/",
        "/audit/export.csv",
        f"/audit/events/{event.sequence}/",
        "/audit/verify/",
        "/audit/break-glass/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"PERSON" not in response.content
    assert client.post("/audit/verify/start/").status_code == 403
    assert not AuditEvent.objects.filter(action__in=[AuditAction.EXPORT, LogEvent.VERIFY]).exists()


# --- one FilterSet for the page, the export and the API ----------------------------------


def test_the_page_the_export_and_the_api_filter_the_same_way(client: Client) -> None:
    wanted = add(3, object_type="people.person", object_id="9", person_id="PERSON-40")
    add(2, object_type="people.person", object_id="9", person_id="PERSON-41")
    query = {"person_id": "PERSON-40", "object_type": "people.person"}
    page = sequences(client.get("/audit/", query).content.decode())
    export = b"".join(client.get("/audit/export.csv", query).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    api = client.get("/api/v1/audit-events/", query).json()["results"]
    expected = {e.sequence for e in wanted}
    assert page == expected
    assert {int(r["sequence"]) for r in rows} == expected
    assert {r["sequence"] for r in api} == expected


def test_a_filter_of_an_event_kind_another_app_registered_works(client: Client) -> None:
    from pontio.accounts.events import AccountEvent

    signed_in = add(1, action=AccountEvent.SIGN_IN)
    html = client.get("/audit/", {"action": AccountEvent.SIGN_IN}).content.decode()
    # The auditor's own sign-in is an event of that kind too.
    assert {e.sequence for e in signed_in} <= sequences(html)
    assert "Signed in" in html


@pytest.mark.parametrize(
    "query",
    [
        {"date_from_0": "2", "date_from_1": "1", "date_from_2": "2026", "date_to_0": "1",
         "date_to_1": "1", "date_to_2": "2026"},
        {"actor_id": "seven"},
        {"action": "not-a-kind"},
        {"date_from_0": "1", "date_from_1": "1", "date_from_2": "99999999999"},
    ],
)  # fmt: skip
def test_an_invalid_filter_shows_its_error_and_no_entries(
    client: Client, query: dict[str, str]
) -> None:
    add(2)
    response = client.get("/audit/", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert sequences(html) == set()
    api = client.get("/api/v1/audit-events/", query)
    assert api.status_code == 200 and api.json()["results"] == []
