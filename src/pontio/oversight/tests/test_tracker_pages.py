"""The tracker's pages: who sees them, recording a position, errors, the boards' packs."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from pypdf import PdfReader
from tests.conftest import demo_sign_in

from pontio.accounts.demo import DEMO_USERS
from pontio.oversight.models import PositionUpdate, Recommendation

DEMO = {spec.username for spec in DEMO_USERS}


def _client(sign_in, user):
    client = demo_sign_in(user.username) if user.username in DEMO else sign_in(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("username", ["analyst", "inspector", "admin"])
def test_the_tracker_is_open_to_the_opcc_and_the_forces_senior_staff(tracker, sign_in, username):
    response = _client(sign_in, tracker[username]).get("/oversight/")
    assert response.status_code == 200
    assert (
        "Deep dive: the force&#x27;s approach to tackling illegal drugs"
        in response.content.decode()
    )


@pytest.mark.parametrize("username", ["officer", "caseworker", "panel", "navigator"])
def test_the_tracker_is_closed_to_everyone_else(tracker, sign_in, username):
    client = _client(sign_in, tracker[username])
    assert client.get("/oversight/").status_code == 403
    rec = Recommendation.objects.filter(review=tracker["deep_dive"]).first()
    assert client.get(f"/oversight/recommendations/{rec.pk}/").status_code == 403


def test_the_review_lists_its_recommendations_with_status_and_due_dates(tracker, sign_in):
    page = _client(sign_in, tracker["analyst"]).get(
        f"/oversight/reviews/{tracker['deep_dive'].pk}/"
    )
    text = page.content.decode()
    assert text.count("/oversight/recommendations/") == 9
    assert "Overdue" in text
    assert "Produce the Panel report" in text


def test_the_analyst_records_a_position_and_sees_it_in_the_history(tracker, sign_in):
    rec = Recommendation.objects.get(review=tracker["deep_dive"], number=7)
    client = _client(sign_in, tracker["analyst"])
    response = client.post(
        f"/oversight/recommendations/{rec.pk}/positions/",
        {
            "as_of_0": "25",
            "as_of_1": "10",
            "as_of_2": "2019",
            "rag": "amber",
            "text_en": "The overview group has met again.",
            "text_cy": "Mae'r grŵp trosolwg wedi cyfarfod eto.",
            "evidence_label_1": "Minutes",
            "evidence_url_1": "https://example.org/minutes",
            "version": str(rec.version),
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The overview group has met again." in page
    assert "https://example.org/minutes" in page
    rec.refresh_from_db()
    assert rec.rag == "amber" and rec.positions.count() == 3


def test_a_position_dated_before_the_last_one_shows_the_error_and_saves_nothing(tracker, sign_in):
    rec = Recommendation.objects.get(review=tracker["deep_dive"], number=7)
    response = _client(sign_in, tracker["analyst"]).post(
        f"/oversight/recommendations/{rec.pk}/positions/",
        {
            "as_of_0": "1",
            "as_of_1": "8",
            "as_of_2": "2019",
            "rag": "green",
            "text_en": "Earlier",
            "version": str(rec.version),
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "The last position is dated 30 September 2019" in text
    assert PositionUpdate.objects.filter(recommendation=rec).count() == 2


def test_evidence_named_without_an_address_is_an_error(tracker, sign_in):
    rec = Recommendation.objects.get(review=tracker["deep_dive"], number=2)
    response = _client(sign_in, tracker["analyst"]).post(
        f"/oversight/recommendations/{rec.pk}/positions/",
        {
            "as_of_0": "1",
            "as_of_1": "11",
            "as_of_2": "2019",
            "rag": "green",
            "text_en": "Done",
            "evidence_label_1": "Minutes",
            "version": str(rec.version),
        },
    )
    assert response.status_code == 400
    assert "Enter the web address of the evidence you named" in response.content.decode()


def test_the_admin_reads_the_tracker_but_cannot_record_a_position(tracker, sign_in):
    rec = Recommendation.objects.get(review=tracker["deep_dive"], number=2)
    client = _client(sign_in, tracker["admin"])
    assert (
        "Record a position"
        not in client.get(f"/oversight/recommendations/{rec.pk}/").content.decode()
    )
    response = client.post(f"/oversight/recommendations/{rec.pk}/positions/", {})
    assert response.status_code == 403


def test_the_owners_home_page_lists_the_positions_due(tracker, sign_in):
    home = _client(sign_in, tracker["inspector"]).get("/").content.decode()
    assert "Recommendation positions due" in home
    assert "more positions due" in home


def test_a_board_sees_its_recommendations_and_downloads_a_pack(tracker, sign_in):
    from pontio.oversight.models import Board

    board = Board.objects.get(name_en="Strategic Custody and Criminal Justice Board")
    client = _client(sign_in, tracker["inspector"])
    page = client.get(f"/oversight/boards/{board.pk}/").content.decode()
    assert "Report on the test on arrest action plan" in page
    pack = client.get(f"/oversight/boards/{board.pk}/pack.pdf")
    assert pack.status_code == 200 and pack["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.content)).pages)
    assert "Strategic Custody and Criminal Justice Board" in text
    assert "Roll the Pathfinder diversion scheme out" in " ".join(text.split())


def test_the_analyst_edits_the_reports_text_and_a_stale_copy_is_refused(tracker, sign_in):
    review = tracker["deep_dive"]
    client = _client(sign_in, tracker["analyst"])
    url = f"/oversight/reviews/{review.pk}/sections/"
    assert client.get(url).status_code == 200
    data = {
        "purpose_en": "New purpose",
        "purpose_cy": "Diben newydd",
        "version": str(review.version),
    }
    assert client.post(url, data).status_code == 302
    review.refresh_from_db()
    assert review.purpose_en == "New purpose" and review.executive_summary_en == ""
    stale = client.post(url, {**data, "purpose_en": "Other"})
    assert "Someone else changed this record" in stale.content.decode()
    review.refresh_from_db()
    assert review.purpose_en == "New purpose"
    assert _client(sign_in, tracker["inspector"]).get(url).status_code == 403


def test_the_analyst_previews_produces_and_downloads_the_report(tracker, sign_in):
    review = tracker["deep_dive"]
    client = _client(sign_in, tracker["analyst"])
    query = {"as_of_0": "30", "as_of_1": "9", "as_of_2": "2019", "language": "both"}
    preview = client.get(f"/oversight/reviews/{review.pk}/report/", query)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "the position of recommendation 9" in text  # untranslated, listed before producing
    produced = client.post(f"/oversight/reviews/{review.pk}/report/produce/", query)
    assert produced.status_code == 302
    detail = client.get(produced["Location"])
    assert "Download the PDF" in detail.content.decode()
    assert client.get(produced["Location"] + "report.pdf").status_code == 200
    assert client.get(produced["Location"] + "report.html").status_code == 200
    assert _client(sign_in, tracker["inspector"]).get(produced["Location"]).status_code == 403


def test_a_report_date_before_the_review_is_an_error_on_the_form(tracker, sign_in):
    review = tracker["deep_dive"]
    response = _client(sign_in, tracker["analyst"]).get(
        f"/oversight/reviews/{review.pk}/report/",
        {"as_of_0": "1", "as_of_1": "1", "as_of_2": "2019", "language": "en"},
    )
    assert response.status_code == 400
    assert "The review was published on 25 April 2019" in response.content.decode()
