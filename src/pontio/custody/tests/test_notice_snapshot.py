"""A notice keeps the values it was printed with; a PDF not drawn when given (the demo
seed defers drawing) is drawn from them on download, and is the same document."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from tests.conftest import demo_sign_in

from pontio.custody import printing
from pontio.custody.models import Notice
from pontio.custody.notices import NoticeData, snapshot
from pontio.custody.tests.helpers import impose, positive
from pontio.people.models import Address

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_values_printed_are_kept_and_load_back_as_they_were(world):  # type: ignore[no-untyped-def]
    assessment = impose(
        world["custody.sergeant"], positive(world["custody.sergeant"], world["person"])
    )
    notice = Notice.objects.get(assessment=assessment)
    data = snapshot.load(notice.content)
    assert isinstance(data, NoticeData)
    assert snapshot.dump(data) == notice.content
    assert data.reference == assessment.record.custody_number
    assert data.appointment is not None and data.appointment.start == assessment.appointment_at
    # Drawn again from the kept values: the same words as the PDF given.
    assert _text(printing.notice_pdf(notice)) == _text(bytes(notice.pdf))


def test_a_deferred_notice_is_drawn_on_download_from_what_it_said(world):  # type: ignore[no-untyped-def]
    sergeant = world["custody.sergeant"]
    record = positive(sergeant, world["person"])
    with printing.deferred_rendering():
        assessment = impose(sergeant, record)
    notice = Notice.objects.get(assessment=assessment)
    assert bytes(notice.pdf) == b""
    # The person moves after the notice was given: the reprint still says what was given.
    printed_town = snapshot.load(notice.content).address_lines
    Address.objects.filter(person=world["person"]).update(town="Aberteifi")
    client = demo_sign_in("custody.sergeant")
    response = client.get(reverse("custody:notice", args=[notice.pk]))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    assert pdf.startswith(b"%PDF")
    assert "Aberteifi" not in _text(pdf)
    assert all(line in _text(pdf) for line in printed_town[:1])
    notice.refresh_from_db()
    assert bytes(notice.pdf) == b""  # a download writes nothing
