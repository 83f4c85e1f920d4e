"""The oversight API's tracker: reviews, recommendations and their positions, boards and the
stored Panel reports; who may read, who may record a position, and the refusals (400 by
field, 403, 404 outside the change scope, 409 naming the version), on the pages' service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.accounts.models import Organisation
from pontio.accounts.roles import Role
from pontio.audit.models import AuditEvent
from pontio.oversight.demo import CUSTODY_CJ, GOLD, POLICING
from pontio.oversight.models import Board, PanelReport, PositionUpdate, Rag, Recommendation

pytestmark = pytest.mark.django_db
DEEP_DIVE_TITLE = "Deep dive: the force's approach to tackling illegal drugs"


def api(username: str) -> Any:
    client = demo_sign_in(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _rec(tracker: dict[str, Any], number: int) -> Recommendation:
    return Recommendation.objects.get(review=tracker["deep_dive"], number=number)


def _position(recommendation: Recommendation, **changes: Any) -> dict[str, Any]:
    return {
        "as_of": "2019-10-25",
        "rag": Rag.GREEN,
        "text_en": "The plan was agreed at the October board.",
        "version": recommendation.version,
    } | changes


def _post(client: Any, recommendation: Recommendation, body: dict[str, Any]) -> Any:
    return client.post(
        reverse("api-oversight-positions", args=[recommendation.pk]),
        body,
        content_type="application/json",
    )


@pytest.mark.parametrize("username", ["analyst", "inspector", "admin"])
def test_the_tracker_readers_list_the_reviews(tracker: dict[str, Any], username: str) -> None:
    response = api(username).get(reverse("api-oversight-review-list"))
    assert response.status_code == 200
    titles = [row["title_en"] for row in response.json()]
    assert DEEP_DIVE_TITLE in titles and len(titles) == 3


@pytest.mark.parametrize("username", ["officer", "caseworker", "provider.manager"])
def test_everyone_else_is_refused_the_tracker(tracker: dict[str, Any], username: str) -> None:
    client = api(username)
    rec = _rec(tracker, 1)
    assert client.get(reverse("api-oversight-review-list")).status_code == 403
    assert client.get(reverse("api-oversight-board-list")).status_code == 403
    url = reverse("api-oversight-recommendation-detail", args=[rec.pk])
    assert client.get(url).status_code == 403


def test_a_review_lists_its_nine_recommendations_with_status_and_next_due(
    tracker: dict[str, Any],
) -> None:
    review = tracker["deep_dive"]
    body = api("analyst").get(reverse("api-oversight-review-detail", args=[review.pk])).json()
    assert body["title_en"] == DEEP_DIVE_TITLE and body["kind"] == "deep_dive"
    recommendations = body["recommendations"]
    assert [r["number"] for r in recommendations] == list(range(1, 10))
    first = recommendations[0]
    assert first["owner_organisation"] == "Dyfed-Powys Police"
    assert first["last_position_on"] == "2019-09-30"
    # 90 days after the last position (30 September 2019).
    assert first["next_update_due"] == "2019-12-29"
    assert first["version"] == 1
    assert {"text_en", "text_cy", "owner_post", "board", "due_on", "rag"} <= set(first)


def test_an_unknown_review_is_not_found(tracker: dict[str, Any]) -> None:
    assert (
        api("analyst").get(reverse("api-oversight-review-detail", args=[999999])).status_code == 404
    )


def test_a_recommendation_gives_its_positions_oldest_first(tracker: dict[str, Any]) -> None:
    rec = _rec(tracker, 3)
    body = api("inspector").get(reverse("api-oversight-recommendation-detail", args=[rec.pk]))
    positions = body.json()["positions"]
    assert [(p["as_of"], p["rag"]) for p in positions] == [
        ("2019-07-15", Rag.RED),
        ("2019-09-30", Rag.AMBER),
    ]
    policing = Board.objects.get(name_en=POLICING)
    assert positions[0]["reported_to"] == policing.pk
    assert positions[0]["reported_to_name"] == POLICING
    assert {"text_en", "text_cy", "evidence", "entered_at"} <= set(positions[0])


def test_the_analyst_records_a_position_through_the_api(tracker: dict[str, Any]) -> None:
    rec = _rec(tracker, 3)
    gold = Board.objects.get(name_en=GOLD)
    response = _post(
        api("analyst"),
        rec,
        _position(
            rec,
            rag=Rag.COMPLETE,
            text_cy="Cytunwyd ar y cynllun.",
            reported_to=gold.pk,
            evidence=[
                {"label": "Board minutes", "url": "https://example.org/minutes"},
                {"url": "https://example.org/plan"},
            ],
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["as_of"] == "2019-10-25" and body["rag"] == Rag.COMPLETE
    assert body["reported_to"] == gold.pk
    assert body["evidence"] == [
        {"label": "Board minutes", "url": "https://example.org/minutes"},
        {"label": "https://example.org/plan", "url": "https://example.org/plan"},
    ]
    rec.refresh_from_db()
    assert (rec.rag, rec.last_position_on, rec.version) == (
        Rag.COMPLETE,
        dt.date(2019, 10, 25),
        2,
    )
    # The page shows it too, and the recommendation's API has it last.
    detail = api("analyst").get(reverse("api-oversight-recommendation-detail", args=[rec.pk]))
    assert detail.json()["positions"][-1]["id"] == body["id"]
    assert detail.json()["next_update_due"] is None  # complete
    assert AuditEvent.objects.filter(object_type="oversight.positionupdate").count() == 1


def test_an_inspector_records_a_position_on_their_forces_recommendation(
    tracker: dict[str, Any],
) -> None:
    rec = _rec(tracker, 1)
    response = _post(api("inspector"), rec, _position(rec))
    assert response.status_code == 201, response.content


def test_an_officer_may_not_record_a_position(tracker: dict[str, Any]) -> None:
    rec = _rec(tracker, 1)
    assert _post(api("officer"), rec, _position(rec)).status_code == 403
    assert rec.positions.count() == 2


def test_an_inspector_of_another_organisation_gets_not_found(
    tracker: dict[str, Any], make_user: Any, sign_in: Any
) -> None:
    other = Organisation.objects.exclude(pk=tracker["inspector"].organisation_id).first()
    inspector = make_user(roles=[Role.INSPECTOR], organisation=other)
    client = sign_in(inspector)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rec = _rec(tracker, 1)
    before = AuditEvent.objects.filter(action="denied").count()
    response = _post(client, rec, _position(rec))
    assert response.status_code == 404
    assert rec.positions.count() == 2
    assert AuditEvent.objects.filter(action="denied").count() == before + 1
    # They still read it (the tracker is open to every inspector).
    url = reverse("api-oversight-recommendation-detail", args=[rec.pk])
    assert client.get(url).status_code == 200


def test_a_position_dated_before_the_last_one_is_refused_by_field(
    tracker: dict[str, Any],
) -> None:
    rec = _rec(tracker, 1)
    response = _post(api("analyst"), rec, _position(rec, as_of="2019-09-29"))
    assert response.status_code == 400
    assert "30 September 2019" in response.json()["as_of"][0]
    rec.refresh_from_db()
    assert rec.positions.count() == 2 and rec.version == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rag": "purple"}, "rag"),
        ({"text_en": ""}, "text_en"),
        ({"as_of": "2019-02-30"}, "as_of"),
        ({"evidence": [{"label": "x", "url": "not a web address"}]}, "evidence"),
        ({"reported_to": 999999}, "reported_to"),
    ],
)
def test_bad_input_is_refused_by_field(
    tracker: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    rec = _rec(tracker, 1)
    response = _post(api("analyst"), rec, _position(rec, **changes))
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert rec.positions.count() == 2


def test_a_future_date_is_refused(tracker: dict[str, Any]) -> None:
    rec = _rec(tracker, 1)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = _post(api("analyst"), rec, _position(rec, as_of=tomorrow))
    assert response.status_code == 400
    assert response.json()["as_of"] == ["The date of the position must be today or in the past"]


def test_a_stale_version_is_refused_naming_the_current_one(tracker: dict[str, Any]) -> None:
    rec = _rec(tracker, 1)
    client = api("analyst")
    assert _post(client, rec, _position(rec)).status_code == 201
    stale = _post(client, rec, _position(rec, as_of="2019-11-01"))  # still version 1
    assert stale.status_code == 409
    assert stale.json()["version"] == 2 and stale.json()["code"] == "stale_version"
    assert rec.positions.count() == 3


def test_a_board_lists_its_recommendations_with_status_and_next_due(
    tracker: dict[str, Any],
) -> None:
    client = api("inspector")
    boards = client.get(reverse("api-oversight-board-list")).json()
    assert {b["name_en"] for b in boards} >= {GOLD, CUSTODY_CJ, POLICING}
    board = Board.objects.get(name_en=CUSTODY_CJ)
    body = client.get(reverse("api-oversight-board-detail", args=[board.pk])).json()
    items = body["recommendations"]
    expected = Recommendation.objects.filter(board=board).count()
    assert len(items) == expected > 0
    assert any(i["text_en"].startswith("Report on the test on arrest action plan") for i in items)
    today = timezone.localdate()
    for item in items:
        due = item["next_update_due"]
        assert item["overdue"] == bool(due and dt.date.fromisoformat(due) < today)
    deep = [i for i in items if i["review"] == tracker["deep_dive"].pk]
    assert deep and all(i["next_update_due"] == "2019-12-29" and i["overdue"] for i in deep)


def test_the_analyst_lists_the_stored_reports_and_others_may_not(
    tracker: dict[str, Any],
) -> None:
    stored = PanelReport.objects.create(
        review=tracker["deep_dive"],
        as_of=dt.date(2019, 9, 30),
        language="both",
        html="<!DOCTYPE html><title>report</title>",
        pdf=b"%PDF-1.7 api",
        sha256="a" * 64,
        produced_by=tracker["analyst"],
    )
    client = api("analyst")
    rows = client.get(reverse("api-oversight-report-list")).json()
    assert rows == [
        {
            "id": stored.pk,
            "review": tracker["deep_dive"].pk,
            "review_title_en": DEEP_DIVE_TITLE,
            "as_of": "2019-09-30",
            "language": "both",
            "sha256": "a" * 64,
            "produced_at": rows[0]["produced_at"],
            "produced_by": tracker["analyst"].get_full_name(),
            "pdf_url": f"/oversight/reports/{stored.pk}/report.pdf",
        }
    ]
    assert client.get(rows[0]["pdf_url"]).content == b"%PDF-1.7 api"
    for username in ("inspector", "admin"):
        assert api(username).get(reverse("api-oversight-report-list")).status_code == 403


def test_reading_writes_nothing(tracker: dict[str, Any]) -> None:
    client = api("analyst")
    rec, board = _rec(tracker, 1), Board.objects.get(name_en=GOLD)
    before = (AuditEvent.objects.count(), PositionUpdate.objects.count())
    for url in (
        reverse("api-oversight-review-list"),
        reverse("api-oversight-review-detail", args=[tracker["deep_dive"].pk]),
        reverse("api-oversight-recommendation-detail", args=[rec.pk]),
        reverse("api-oversight-board-list"),
        reverse("api-oversight-board-detail", args=[board.pk]),
        reverse("api-oversight-report-list"),
    ):
        assert client.get(url).status_code == 200, url
    assert (AuditEvent.objects.count(), PositionUpdate.objects.count()) == before


@pytest.mark.parametrize("body", ["[]", '"text"', "[" * 50 + "]" * 50])
def test_a_body_that_is_not_an_object_is_refused(tracker: dict[str, Any], body: str) -> None:
    rec = _rec(tracker, 1)
    response = api("analyst").post(
        reverse("api-oversight-positions", args=[rec.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert rec.positions.count() == 2
