"""The Police and Crime Panel report: built at a date, in each language, stored unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from tests.conftest import demo_sign_in

from pontio.audit.services import AuditContext
from pontio.oversight import report
from pontio.oversight.models import PanelReport, Recommendation
from pontio.oversight.services.reports import report_produce

CONTEXT = AuditContext.system("test")
SEPTEMBER = dt.date(2019, 9, 30)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _produce(tracker, language: str, as_of: dt.date = SEPTEMBER) -> PanelReport:
    return report_produce(
        context=CONTEXT,
        actor=tracker["analyst"],
        review_id=tracker["deep_dive"].pk,
        as_of=as_of,
        language=language,
        today=dt.date(2026, 12, 3),
    )


def test_the_report_takes_each_position_standing_on_its_date(tracker):
    data = report.build(tracker["analyst"], tracker["deep_dive"], dt.date(2019, 8, 1))
    assert [i.position.as_of for i in data.items] == [dt.date(2019, 7, 15)] * 9
    data = report.build(tracker["analyst"], tracker["deep_dive"], SEPTEMBER)
    assert {i.position.as_of for i in data.items} == {SEPTEMBER}
    assert data.figures_from == dt.date(2016, 1, 1)


def test_a_report_dated_before_any_position_says_none_was_recorded(tracker):
    data = report.build(tracker["analyst"], tracker["deep_dive"], dt.date(2019, 5, 1))
    assert all(i.position is None for i in data.items)
    html = report.render_document(data, "en", dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
    assert html.count("No position had been recorded by 1 May 2019") == 9


def test_untranslated_free_text_is_listed_and_marked_in_welsh(tracker):
    data = report.build(tracker["analyst"], tracker["deep_dive"], SEPTEMBER)
    assert data.untranslated() == ["the position of recommendation 9"]
    html = report.render_document(data, "cy", dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
    # The Welsh report prints the English of that position, with a note in Welsh.
    assert "The review went to the Temporary Assistant Chief Constable" in html
    assert html.count('class="untranslated') == 1


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("en", ["Progress report", "Recommendation 4", "Background papers"], ["Argymhelliad 4"]),
        ("cy", ["Adroddiad cynnydd", "Argymhelliad 4", "Papurau cefndir"], ["Background papers"]),
        (
            "both",
            ["Adroddiad cynnydd", "Progress report", "Argymhelliad 4", "Recommendation 4"],
            [],
        ),
    ],
)
def test_the_pdf_reads_in_the_language_asked_for(tracker, language, expected, absent):
    produced = _produce(tracker, language)
    text = _text(bytes(produced.pdf))
    for words in expected:
        assert words in text
    for words in absent:
        assert words not in text
    if language != "en":
        # The Welsh of the recommendations is the reviewers' own text, not a machine's.
        assert "Cyflwyno cynllun dargyfeirio Braenaru" in text


def test_a_stored_report_is_the_same_file_whatever_changes_after(tracker, client, sign_in):
    produced = _produce(tracker, "en")
    assert produced.sha256 == hashlib.sha256(bytes(produced.pdf)).hexdigest()
    assert produced.inputs["as_of"] == "2019-09-30"
    assert produced.inputs["recommendations"][3]["rag"] == "green"
    Recommendation.objects.filter(review=tracker["deep_dive"]).update(text_en="Changed later")
    browser = demo_sign_in("analyst")
    response = browser.get(f"/oversight/reports/{produced.pk}/report.pdf")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == produced.sha256
    assert "Changed later" not in _text(response.content)


@pytest.mark.parametrize("as_of", [dt.date(2019, 4, 1), dt.date(2027, 1, 1)])
def test_a_report_before_the_review_or_in_the_future_is_refused(tracker, as_of):
    with pytest.raises(ValidationError):
        _produce(tracker, "en", as_of)
    assert not PanelReport.objects.exists()
