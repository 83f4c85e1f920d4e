"""The bilingual custody PDFs: what a person reads in them, in Welsh and in English.

Text is extracted from the real PDFs with pypdf. Each document is rendered once per test
session (about 0.3 s each) and shared between the tests that read it.
"""

from __future__ import annotations

import datetime as dt
import io
import socket
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from pontio.core.pdf import refuse_every_url as _refuse_every_url
from pontio.custody.notices import (
    NOTICE_KINDS,
    Appointment,
    DrugTestData,
    Failure,
    NoticeData,
    NoticeError,
    NoticeKind,
    Officer,
    Stage,
    StatementData,
    TestResult,
    render_notice,
    render_statement,
    render_test_record,
)

LONDON = ZoneInfo("Europe/London")

APPOINTMENT = Appointment(
    start=dt.datetime(2025, 1, 14, 10, 30, tzinfo=LONDON),  # a Tuesday
    place_lines=("Canolfan Dyfodol", "12 Stryd y Bont", "Aberystwyth SY23 1AA"),
    provider_name_en="Dyfodol Ceredigion",
    provider_name_cy="Dyfodol Ceredigion (cy)",
    phone="01970 000000",
)
EARLIER = Appointment(
    start=dt.datetime(2025, 1, 10, 9, 15, tzinfo=LONDON),  # a Friday
    place_lines=("Old Station Road",),
    provider_name_en="Dyfodol Ceredigion",
)
OFFICER = Officer(name="Rhys Morgan", collar_number="4521", rank="PS")
NOTICE = NoticeData(
    reference="AB/2025/000123",
    person_name="Siôn Llŷr Pritchard",
    date_of_birth=dt.date(1990, 3, 1),
    address_lines=("Tŷ Gwyn", "Llanbadarn Fawr"),
    suite_name_en="Aberystwyth custody suite",
    suite_name_cy="Dalfa Aberystwyth",
    officer=OFFICER,
    issued_at=dt.datetime(2025, 1, 7, 14, 5, tzinfo=dt.UTC),
    appointment=APPOINTMENT,
    previous_appointment=EARLIER,
    reason="The person starts work on the day first given",
    test_result=TestResult.BOTH,
    sample_taken_at=dt.datetime(2025, 1, 7, 12, 0, tzinfo=LONDON),
    attended_at=dt.datetime(2025, 1, 14, 10, 25, tzinfo=LONDON),
    left_at=dt.datetime(2025, 1, 14, 11, 40, tzinfo=LONDON),
    assessor_name="Ann Evans",
)
STATEMENT = StatementData(
    reference="AB/2025/000123",
    person_name="Siôn Llŷr Pritchard",
    date_of_birth=dt.date(1990, 3, 1),
    address_lines=("Tŷ Gwyn",),
    witness_name="Ann Evans",
    witness_occupation="recovery worker",
    requirement_imposed_at=dt.datetime(2025, 1, 7, 14, 5, tzinfo=LONDON),
    imposing_officer=OFFICER,
    stage=Stage.INITIAL,
    appointment=APPOINTMENT,
    failure=Failure.FAILED_TO_ATTEND,
    failure_reported_at=dt.datetime(2025, 1, 14, 12, 10, tzinfo=LONDON),
    reported_by="Ann Evans (Dyfodol Ceredigion)",
    prepared_at=dt.datetime(2025, 1, 15, 9, 0, tzinfo=LONDON),
    suite_name_en="Aberystwyth custody suite",
    suite_name_cy="Dalfa Aberystwyth",
)
TEST = DrugTestData(
    reference="AB/2025/000123",
    person_name="Siôn Llŷr Pritchard",
    date_of_birth=dt.date(1990, 3, 1),
    suite_name_en="Aberystwyth custody suite",
    suite_name_cy="Dalfa Aberystwyth",
    condition="arrest",
    trigger_offence="Theft (Theft Act 1968 s1)",
    inspector_authorisation="",
    appropriate_adult="",
    warning_given_at=dt.datetime(2025, 1, 7, 11, 50, tzinfo=LONDON),
    requested_by=OFFICER,
    sample_taken_at=dt.datetime(2025, 1, 7, 12, 0, tzinfo=LONDON),
    refused=False,
    result=TestResult.COCAINE,
    disputed=True,
    confirmatory_sent_at=dt.datetime(2025, 1, 7, 15, 0, tzinfo=LONDON),
    earliest_appointment=dt.date(2025, 1, 14),
    recorded_at=dt.datetime(2025, 1, 7, 15, 5, tzinfo=LONDON),
)

# Each title in Welsh and in English, as the person reads it.
TITLES = {
    "RA1": ("Gofyniad i fynd i asesiad cychwynnol", "Requirement to attend an initial assessment"),
    "RA2": ("Newid i amser neu le eich asesiad", "Change to the time or place of your assessment"),
    "RA3": (
        "Cofnod o bresenoldeb mewn asesiad gofynnol",
        "Record of attendance at a required assessment",
    ),
    "RA4": ("Gofyniad i fynd i asesiad dilynol", "Requirement to attend a follow-up assessment"),
    "RA5": ("Nid oes angen asesiad dilynol", "A follow-up assessment is not required"),
}
# The sections each notice cites, in both languages.
CITATIONS = {
    "RA1": ("adrannau 9, 10 a 12", "sections 9, 10 and 12", "adran 12", "section 12"),
    "RA2": ("adrannau 9 a 12", "sections 9 and 12", "adran 12", "section 12"),
    "RA3": ("adrannau 9 a 12", "sections 9 and 12", "adran 9", "section 9"),
    "RA4": ("adrannau 10, 13 a 14", "sections 10, 13 and 14", "adran 14", "section 14"),
    "RA5": ("adrannau 10 a 13", "sections 10 and 13", "Ni chewch eich erlyn", "not be prosecuted"),
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering must never open a connection (remote fonts, images, stylesheets)."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a custody document tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


_CACHE: dict[str, tuple[bytes, str]] = {}


def text_of(pdf: bytes) -> str:
    """The PDF's text, with line breaks and runs of spaces made single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def rendered(name: str) -> tuple[bytes, str]:
    if name not in _CACHE:
        if name in TITLES:
            pdf = render_notice(name, NOTICE)
        elif name == "statement":
            pdf = render_statement(STATEMENT)
        else:
            pdf = render_test_record(TEST)
        _CACHE[name] = (pdf, text_of(pdf))
    return _CACHE[name]


@pytest.fixture(params=[kind.value for kind in NOTICE_KINDS])
def notice(request: pytest.FixtureRequest) -> Iterator[tuple[str, bytes, str]]:
    pdf, text = rendered(request.param)
    yield request.param, pdf, text


def test_every_notice_is_a_pdf_in_welsh_then_english(notice: tuple[str, bytes, str]) -> None:
    kind, pdf, text = notice
    assert pdf.startswith(b"%PDF-")
    welsh, english = TITLES[kind]
    assert welsh in text
    assert english in text
    # Welsh first (Welsh Language Standards): the Welsh half precedes the English one.
    assert text.index(welsh) < text.index(english)
    assert text.index("Enw") < text.index("Name")
    assert text.count("Siôn Llŷr Pritchard") >= 2
    assert "AB/2025/000123" in text
    assert "Dalfa Aberystwyth" in text
    assert "Aberystwyth custody suite" in text


def test_every_notice_cites_its_sections_in_both_languages(
    notice: tuple[str, bytes, str],
) -> None:
    kind, _pdf, text = notice
    assert "Deddf Cyffuriau 2005" in text
    assert "Drugs Act 2005" in text
    for citation in CITATIONS[kind]:
        assert citation in text, citation


@pytest.mark.parametrize("kind", ["RA1", "RA2", "RA4"])
def test_the_appointment_is_given_in_each_languages_date_format(kind: str) -> None:
    _pdf, text = rendered(kind)
    assert "Dydd Mawrth 14 Ionawr 2025" in text
    assert "Tuesday 14 January 2025" in text
    assert "10:30" in text
    assert "Canolfan Dyfodol" in text
    assert "01970 000000" in text
    # The provider's name in each language.
    assert "Dyfodol Ceredigion (cy)" in text
    assert "Dyfodol Ceredigion " in text.replace("Dyfodol Ceredigion (cy)", "")


def test_welsh_letters_with_circumflex_survive_into_the_pdf() -> None:
    _pdf, text = rendered("RA1")
    assert "pŵer" in text  # from a Welsh msgid: the font has ŵ and the catalogue is used
    assert "Tŷ Gwyn" in text and "Llŷr" in text


def test_ra1_states_the_follow_up_requirement_and_the_warning() -> None:
    _pdf, text = rendered("RA1")
    assert "section 10 of the Drugs Act 2005" in text
    assert "adran 10 o Ddeddf Cyffuriau 2005" in text
    assert "this requirement lapses" in text
    assert "daw'r gofyniad hwn i ben" in text
    assert "7 January 2025 at 12:00" in text and "7 Ionawr 2025 am 12:00" in text
    assert "opiates and cocaine" in text and "opiadau a chocên" in text
    assert "Rhybudd" in text and "Warning" in text
    assert "PS Rhys Morgan" in text and "4521" in text


def test_ra2_shows_the_new_and_the_replaced_appointment() -> None:
    _pdf, text = rendered("RA2")
    assert "Dydd Gwener 10 Ionawr 2025" in text
    assert "Friday 10 January 2025" in text
    assert "09:15" in text
    assert "The person starts work on the day first given" in text


def test_ra3_records_arrival_and_end() -> None:
    _pdf, text = rendered("RA3")
    assert "10:25" in text and "11:40" in text
    assert "This records that Siôn Llŷr Pritchard attended the initial assessment" in text
    assert "Ann Evans" in text


def test_a_follow_up_variation_cites_sections_10_13_and_14() -> None:
    data = replace(NOTICE, stage="follow_up")
    text = text_of(render_notice(NoticeKind.RA2, data))
    assert "sections 10, 13 and 14" in text
    assert "adrannau 10, 13 a 14" in text
    assert "section 14" in text


def test_a_reprint_of_the_same_data_is_the_same_document() -> None:
    pdf, text = rendered("RA1")
    again = render_notice("RA1", NOTICE)
    assert text_of(again) == text
    assert again == pdf  # byte for byte: the dates in the PDF come from the data
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert info["/CreationDate"] == "D:20250107140500Z"
    assert info.title == f"{TITLES['RA1'][0]} / {TITLES['RA1'][1]}"


def test_the_statement_is_prefilled_with_bilingual_headings() -> None:
    _pdf, text = rendered("statement")
    for welsh, english in [
        ("Datganiad tyst", "Witness statement"),
        ("Datganiad gan", "Statement of"),
        ("Galwedigaeth", "Occupation"),
        ("Datganiad o wirionedd", "Declaration"),
        ("Y ffeithiau", "The facts"),
        ("Llofnod", "Signature"),
    ]:
        assert f"{welsh} / {english}" in text
    assert "Ann Evans" in text and "recovery worker" in text
    assert "On 7 January 2025 at 14:05, at Aberystwyth custody suite, police officer" in text
    assert "Rhys Morgan (collar number 4521) required Siôn Llŷr Pritchard" in text
    assert "born on 1 March 1990" in text
    assert "section 9 of the Drugs Act 2005" in text
    assert "(notice RA1)" in text
    assert "The appointment was on 14 January 2025 at 10:30 with Dyfodol Ceredigion" in text
    assert "Siôn Llŷr Pritchard did not attend the appointment." in text
    assert "Ann Evans (Dyfodol Ceredigion) reported this to the police on 14 January 2025" in text
    assert "Criminal Justice Act 1967, section 9" in text


def test_a_statement_for_leaving_early_in_welsh() -> None:
    data = replace(
        STATEMENT,
        failure="left_early",
        stage=Stage.FOLLOW_UP,
        notice_kind="RA4",
        language="cy",
    )
    text = text_of(render_statement(data))
    assert "Datganiad tyst / Witness statement" in text
    assert "Aeth Siôn Llŷr Pritchard i'r apwyntiad ond gadawodd cyn i'r asesiad orffen." in text
    assert "asesiad dilynol" in text and "adran 10" in text and "(hysbysiad RA4)" in text
    assert "did not attend" not in text


def test_the_test_record_shows_the_warning_result_and_dispute_path() -> None:
    _pdf, text = rendered("test_record")
    assert "Cofnod o brawf cyffuriau yn nalfa'r heddlu" in text
    assert "Record of a drug test in police detention" in text
    assert "section 63C" in text and "adran 63C" in text
    assert "7 January 2025 at 11:50" in text
    assert "cocaine (including crack)" in text and "cocên" in text
    assert "Theft (Theft Act 1968 s1)" in text
    assert "The person disputes the result." in text
    assert "Tuesday 14 January 2025" in text and "Dydd Mawrth 14 Ionawr 2025" in text
    assert "5 working days" in text and "section 16" in text


def test_a_refusal_is_recorded_as_the_s63c_offence() -> None:
    data = replace(
        TEST,
        refused=True,
        sample_taken_at=None,
        result="",
        disputed=False,
        confirmatory_sent_at=None,
        earliest_appointment=None,
    )
    text = text_of(render_test_record(data))
    assert "The person refused to give a sample." in text
    assert "Gwrthododd y person roi sampl." in text
    assert "If the result is disputed" not in text


def test_notices_that_give_an_appointment_need_one() -> None:
    data = replace(NOTICE, appointment=None)
    for kind in ("RA1", "RA2", "RA4"):
        with pytest.raises(NoticeError):
            render_notice(kind, data)
    with pytest.raises(NoticeError):
        render_notice("RA9", NOTICE)
    with pytest.raises(NoticeError):
        render_notice("RA2", replace(NOTICE, previous_appointment=None))


def test_naive_datetimes_are_refused() -> None:
    naive = replace(NOTICE, issued_at=dt.datetime(2025, 1, 7, 14, 5))  # noqa: DTZ001
    with pytest.raises(NoticeError):
        render_notice("RA3", naive)


def test_a_document_that_names_a_url_is_not_rendered() -> None:
    """The fetcher refuses every URL, and the refusal stops the render (nothing fetched)."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    html = '<p>x</p><img src="https://example.org/logo.png">'
    with pytest.raises(FatalURLFetchingError):
        HTML(string=html, url_fetcher=_refuse_every_url()).write_pdf()
    with pytest.raises(FatalURLFetchingError):
        HTML(
            string='<link rel="stylesheet" href="file:///etc/passwd">',
            url_fetcher=_refuse_every_url(),
        ).write_pdf()
