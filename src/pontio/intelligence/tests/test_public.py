"""The public form, its refusals, the status lookup (integration, through the views)."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pontio.intelligence import protection, services
from pontio.intelligence.models import IntelligenceReport, ReportOriginal, ReportStatus
from pontio.intelligence.tests.helpers import CONTEXT, graded_report, public_data, public_report

pytestmark = pytest.mark.django_db
URL = "/intelligence/report/"


def test_the_form_opens_without_signing_in_and_warns_before_free_text() -> None:
    response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "do not identify yourself" in html
    assert html.index("identify-warning") < html.index('name="area"') < html.index('name="what"')
    assert 'type="file"' not in html and "multipart" not in html
    assert 'name="token"' in html and 'name="website"' in html


def test_the_form_is_in_welsh() -> None:
    client = Client()
    client.cookies["pontio_language"] = "cy"
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="cy")
    assert '<html lang="cy"' in response.content.decode()


def test_a_submission_is_stored_with_a_reference_and_a_one_time_secret() -> None:
    response = _post(Client(), public_data(), REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 200
    report = IntelligenceReport.objects.get()
    html = response.content.decode()
    assert report.reference in html
    secret = response.context["secret"]
    assert secret in html
    assert report.channel == "public" and report.status == ReportStatus.RECEIVED
    assert report.original.text == "People selling drugs from a car most evenings."
    assert report.secret_hash and secret not in report.secret_hash
    assert report.sanitised_text == ""  # the original is kept apart


def test_the_address_is_nowhere_in_the_audit_event() -> None:
    from pontio.audit.models import AuditEvent

    _post(Client(), public_data(), REMOTE_ADDR="192.0.2.77")
    event = AuditEvent.objects.get(object_type="intelligence.intelligencereport")
    assert event.ip_address in (None, "")


def test_a_file_is_refused_and_nothing_saved(logs: list[str]) -> None:
    data = public_data()
    data["photo"] = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    response = Client().post(URL, data)
    assert response.status_code == 400
    assert "does not accept files" in response.content.decode()
    assert not IntelligenceReport.objects.exists()
    assert "refusal: file" in "\n".join(logs) and "selling" not in "\n".join(logs)


def test_a_multipart_body_without_a_file_is_refused_too() -> None:
    response = Client().post(URL, public_data())  # the test client sends multipart
    assert response.status_code == 400
    assert not IntelligenceReport.objects.exists()


def test_an_oversized_body_is_refused() -> None:
    response = Client().post(
        URL, public_data(what="x" * 70000), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "too long" in response.content.decode()
    assert not IntelligenceReport.objects.exists()


def _post(client: Client, data: dict[str, str], **extra: str):  # type: ignore[no-untyped-def]
    from urllib.parse import urlencode

    return client.post(
        URL, urlencode(data), content_type="application/x-www-form-urlencoded", **extra
    )


def test_text_over_the_cap_is_refused_with_a_specific_error() -> None:
    response = _post(Client(), public_data(what="y" * 5001))
    assert response.status_code == 400
    assert "5000 characters or fewer" in response.content.decode()
    assert not IntelligenceReport.objects.exists()


def test_html_and_scripts_are_stored_as_plain_text_and_shown_escaped(demo_users: dict) -> None:
    response = _post(
        Client(), public_data(what='Dealing <script>alert(1)</script><b onclick="x()">here</b>')
    )
    assert response.status_code == 200
    original = ReportOriginal.objects.get()
    assert "<" not in original.text and "alert" not in original.text and "here" in original.text


def test_the_honeypot_refuses_quietly(logs: list[str]) -> None:
    response = _post(Client(), public_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not IntelligenceReport.objects.exists()
    assert "refusal: honeypot" in "\n".join(logs)


def test_a_form_sent_too_fast_is_refused_quietly(logs: list[str]) -> None:
    response = _post(Client(), public_data(token=protection.form_token()))
    assert response.status_code == 400
    assert not IntelligenceReport.objects.exists()
    assert "refusal: too_fast" in "\n".join(logs)


def test_a_replayed_form_is_refused() -> None:
    data = public_data()
    assert _post(Client(), data).status_code == 200
    assert _post(Client(), data).status_code == 400
    assert IntelligenceReport.objects.count() == 1


def test_missing_answers_get_specific_errors_and_nothing_is_saved() -> None:
    response = _post(Client(), public_data(county="", what="", when_seen="", how_known=""))
    assert response.status_code == 400
    html = response.content.decode()
    for message in (
        "Choose the county",
        "Tell us what is happening",
        "Choose when it happened",
        "Choose how you know",
    ):
        assert message in html
    assert not IntelligenceReport.objects.exists()


def test_the_limit_page_is_a_429_with_a_specific_message() -> None:
    client = Client()
    limit = protection.submission_limit().count
    for _ in range(limit):
        assert _post(client, public_data(), REMOTE_ADDR="198.51.100.1").status_code == 200
    response = _post(client, public_data(), REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    assert "too many reports from your connection" in response.content.decode()
    assert IntelligenceReport.objects.count() == limit


# --- status ------------------------------------------------------------------------------


def _status(client: Client, reference: str, secret: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/intelligence/status/", {"reference": reference, "secret": secret}, **extra)


def test_the_status_shows_received_then_assessed_then_actioned_and_never_detail(
    demo_users: dict,
) -> None:
    report, secret = public_report("Dealing from flat 3, Heol y Dwr, by Gwyn Jones.")
    client = Client()
    response = _status(client, report.reference, secret)
    assert response.status_code == 200 and response.context["status"] == "received"
    officer = demo_users["intelligence"]
    services.report_grade(
        actor=officer,
        context=CONTEXT,
        report_id=report.pk,
        version=report.version,
        scheme="3x5x2",
        source_code="2",
        information_code="B",
        handling_code="P",
    )
    assert _status(client, report.reference, secret).context["status"] == "assessed"
    services.action_record(
        actor=officer, context=CONTEXT, report_id=report.pk, action="Patrols increased"
    )
    response = _status(client, report.reference, secret.lower())
    assert response.context["status"] == "actioned"
    html = response.content.decode()
    assert "Patrols" not in html and "Gwyn" not in html and "Heol" not in html


def test_a_wrong_secret_and_an_unknown_reference_get_the_same_answer(demo_users: dict) -> None:
    report, _secret = public_report()
    client = Client()
    wrong = _status(client, report.reference, "AAAA-BBBB-CCCC")
    unknown = _status(client, "INT-2026-999999", "AAAA-BBBB-CCCC")
    officer_report = graded_report(demo_users["intelligence"])  # no secret at all
    no_secret = _status(client, officer_report.reference, "")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.context["not_found"] and unknown.context["not_found"]
    assert "status" not in wrong.context and "status" not in unknown.context
    assert no_secret.status_code in (400, 404)


def test_status_lookups_are_rate_limited() -> None:
    client = Client()
    for _ in range(protection.lookup_limit().count):
        _status(client, "INT-2026-000000", "AAAA", REMOTE_ADDR="203.0.113.5")
    response = _status(client, "INT-2026-000000", "AAAA", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert "too many status checks" in response.content.decode()


# --- store first ----------------------------------------------------------------------------


def test_a_submission_is_stored_whole_or_not_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """Store first: report, original and event commit together with the audit event. If the
    audit write fails, nothing half-made is left and no reference is given out."""
    from pontio.intelligence.services import submissions as module

    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(module, "audit_record", broken)
    client = Client(raise_request_exception=False)
    response = _post(client, public_data())
    assert response.status_code == 500
    assert not IntelligenceReport.objects.exists() and not ReportOriginal.objects.exists()


def test_assessment_never_removes_a_submission(demo_users: dict) -> None:
    report, _secret = public_report("Original words.")
    officer = demo_users["intelligence"]
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        services.report_grade(
            actor=officer,
            context=CONTEXT,
            report_id=report.pk,
            version=report.version,
            scheme="3x5x2",
            source_code="9",
            information_code="B",
            handling_code="P",
        )
    assert ReportOriginal.objects.get(report=report).text == "Original words."


def test_time_is_not_leaked_by_the_token() -> None:
    assert str(int(time.time()))[:6] not in protection.address_key("x")
