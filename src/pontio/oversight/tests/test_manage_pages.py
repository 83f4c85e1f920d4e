"""Setting the tracker up through its pages: who may, errors shown and nothing saved, stale
copies refused, papers removed by POST only."""

from __future__ import annotations

import pytest
from django.conf import settings
from tests.conftest import demo_sign_in

from pontio.accounts.models import Organisation
from pontio.accounts.roles import OrganisationKind
from pontio.oversight.demo import GOLD
from pontio.oversight.models import BackgroundPaper, Board, Recommendation, Review


def _client(username: str):
    client = demo_sign_in(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _pages(tracker) -> list[str]:
    review = tracker["deep_dive"]
    rec = Recommendation.objects.get(review=review, number=1)
    board = Board.objects.get(name_en=GOLD)
    return [
        "/oversight/reviews/new/",
        f"/oversight/reviews/{review.pk}/edit/",
        f"/oversight/reviews/{review.pk}/recommendations/new/",
        f"/oversight/recommendations/{rec.pk}/edit/",
        f"/oversight/reviews/{review.pk}/papers/new/",
        "/oversight/boards/new/",
        f"/oversight/boards/{board.pk}/edit/",
    ]


def _force() -> Organisation:
    return Organisation.objects.filter(kind=OrganisationKind.FORCE, is_active=True).first()


def test_the_analyst_opens_every_page(tracker):
    client = _client("analyst")
    for url in _pages(tracker):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "govuk-error-summary" not in response.content.decode()


@pytest.mark.parametrize("username", ["inspector", "officer", "admin"])
def test_everyone_else_is_refused(tracker, username):
    client = _client(username)
    for url in _pages(tracker):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    paper = tracker["deep_dive"].papers.first()
    assert client.post(f"/oversight/papers/{paper.pk}/remove/").status_code == 403
    assert BackgroundPaper.objects.filter(pk=paper.pk).exists()


def test_removing_a_paper_is_post_only(tracker):
    paper = tracker["deep_dive"].papers.first()
    client = _client("analyst")
    assert client.get(f"/oversight/papers/{paper.pk}/remove/").status_code == 405
    assert BackgroundPaper.objects.filter(pk=paper.pk).exists()
    response = client.post(f"/oversight/papers/{paper.pk}/remove/")
    assert response.status_code == 302
    assert response["Location"] == f"/oversight/reviews/{paper.review_id}/edit/"
    assert not BackgroundPaper.objects.filter(pk=paper.pk).exists()
    assert "is no longer a background paper" in client.get(response["Location"]).content.decode()


def test_the_analyst_adds_a_review_and_is_told_there_is_no_welsh_yet(tracker):
    client = _client("analyst")
    response = client.post(
        "/oversight/reviews/new/",
        {
            "kind": "death_review",
            "title_en": "Review of drug-related deaths in 2025",
            "published_on_0": "3",
            "published_on_1": "11",
            "published_on_2": "2026",
            "organisation": str(_force().pk),
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(title_en="Review of drug-related deaths in 2025")
    assert response["Location"] == f"/oversight/reviews/{review.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "The review has been added" in page
    assert "There is no Welsh yet" in page
    assert f"/oversight/reviews/{review.pk}/recommendations/new/" in page


def test_a_review_with_errors_shows_them_and_saves_nothing(tracker):
    before = Review.objects.count()
    response = _client("analyst").post(
        "/oversight/reviews/new/",
        {"kind": "", "title_en": "", "published_on_0": "31", "published_on_1": "2"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "Select the type of review" in text
    assert "Enter the title in English" in text
    assert "The date must include a day, month and year" in text
    assert "Select who led the review from the list" in text
    assert Review.objects.count() == before


def _recommendation_post(tracker, **changes) -> dict[str, str]:
    return {
        "number": "10",
        "text_en": "Report the diversion scheme's outcomes to every Policing Board.",
        "owner_organisation": str(_force().pk),
        "owner_post": "Head of Criminal Justice",
        "board": str(Board.objects.get(name_en=GOLD).pk),
        "due_on_0": "31",
        "due_on_1": "3",
        "due_on_2": "2020",
        "update_every_days": "60",
        "figure_keys": ["risk_factors", "investment"],
    } | changes


def test_the_analyst_adds_a_recommendation_with_key_figures(tracker):
    review = tracker["deep_dive"]
    client = _client("analyst")
    form = client.get(f"/oversight/reviews/{review.pk}/recommendations/new/").content.decode()
    assert 'value="10"' in form  # the next number
    assert "Risk factors on the diversion scheme" in form
    response = client.post(
        f"/oversight/reviews/{review.pk}/recommendations/new/", _recommendation_post(tracker)
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get(review=review, number=10)
    assert response["Location"] == f"/oversight/recommendations/{rec.pk}/"
    assert rec.figure_keys == ["investment", "risk_factors"]
    assert rec.update_every_days == 60 and rec.owner_post == "Head of Criminal Justice"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": "4"}, "This review already has a recommendation 4: enter another number"),
        (
            {"due_on_0": "1", "due_on_1": "1", "due_on_2": "2019"},
            "The review was published on 25 April 2019: the due date must be on or after it",
        ),
        ({"update_every_days": "400"}, "Enter a number of days from 7 to 366"),
        ({"figure_keys": ["happiness"]}, "Select key figures from the list"),
        ({"owner_post": ""}, "Enter the owner&#x27;s post, for example Head of Crime"),
    ],
)
def test_a_recommendation_with_an_error_shows_it_and_saves_nothing(tracker, changes, message):
    review = tracker["deep_dive"]
    response = _client("analyst").post(
        f"/oversight/reviews/{review.pk}/recommendations/new/",
        _recommendation_post(tracker, **changes),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert message in text
    assert review.recommendations.count() == 9


def test_a_stale_copy_of_a_recommendation_is_refused(tracker):
    rec = Recommendation.objects.get(review=tracker["deep_dive"], number=2)
    client = _client("analyst")
    url = f"/oversight/recommendations/{rec.pk}/edit/"
    data = _recommendation_post(
        tracker, number="2", text_en="First edit.", board=str(rec.board_id)
    ) | {"version": str(rec.version)}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "text_en": "Second edit."})
    assert stale.status_code == 400
    assert "Someone else changed this record" in stale.content.decode()
    rec.refresh_from_db()
    assert rec.text_en == "First edit."


def test_a_paper_needs_an_https_address(tracker):
    review = tracker["deep_dive"]
    client = _client("analyst")
    before = review.papers.count()
    url = f"/oversight/reviews/{review.pk}/papers/new/"
    refused = client.post(url, {"title_en": "Response", "url": "http://example.org/r.pdf"})
    assert refused.status_code == 400
    assert "Enter a web address starting with https://" in refused.content.decode()
    assert review.papers.count() == before
    added = client.post(url, {"title_en": "Response", "url": "https://example.org/r.pdf"})
    assert added.status_code == 302
    page = client.get(added["Location"]).content.decode()
    assert "https://example.org/r.pdf" in page
    assert "No Welsh yet" in page


def test_the_analyst_adds_a_board_and_corrects_it(tracker):
    client = _client("analyst")
    response = client.post(
        "/oversight/boards/new/",
        {"name_en": "Drugs Partnership Board", "organisation": str(_force().pk)},
    )
    assert response.status_code == 302
    board = Board.objects.get(name_en="Drugs Partnership Board")
    assert response["Location"] == f"/oversight/boards/{board.pk}/"
    url = f"/oversight/boards/{board.pk}/edit/"
    data = {
        "name_en": "Drugs Partnership Board",
        "name_cy": "Bwrdd Partneriaeth Cyffuriau",
        "organisation": str(_force().pk),
        "is_active": "on",
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    board.refresh_from_db()
    assert board.name_cy == "Bwrdd Partneriaeth Cyffuriau" and board.version == 2
    missing = client.post("/oversight/boards/new/", {"name_en": "Another", "organisation": ""})
    assert missing.status_code == 400
    assert "Select the organisation that runs the board" in missing.content.decode()
    duplicate = client.post(
        "/oversight/boards/new/", {"name_en": GOLD.lower(), "organisation": str(_force().pk)}
    )
    assert duplicate.status_code == 400
    assert "Another board already has this name" in duplicate.content.decode()
    assert Board.objects.filter(name_en=GOLD).count() == 1


def test_the_review_page_links_to_the_changes_for_the_analyst_only(tracker):
    review = tracker["deep_dive"]
    edit = f"/oversight/reviews/{review.pk}/edit/"
    assert edit in _client("analyst").get(f"/oversight/reviews/{review.pk}/").content.decode()
    assert edit not in _client("inspector").get(f"/oversight/reviews/{review.pk}/").content.decode()
