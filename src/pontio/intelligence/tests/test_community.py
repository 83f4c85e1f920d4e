""" "You said, we did": only approved, sanitised lines reach the public page, by month."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from pontio.intelligence import selectors, services
from pontio.intelligence.models import CommunitySummary, SummaryStatus
from pontio.intelligence.tests.helpers import CERED, CONTEXT, county, graded_report

pytestmark = pytest.mark.django_db

PLANTED = (
    "Gareth Prosser of 14 Heol y Bryn, SA31 3QT, phone 07700 900456, seen on 14 March 2026 at 21:40"
)


def _draft(officer, report=None, **texts):  # type: ignore[no-untyped-def]
    values = {
        "you_said_en": "You told us about drug dealing near a town centre car park.",
        "you_said_cy": "Dywedoch wrthym am werthu cyffuriau ger maes parcio yng nghanol tref.",
        "we_did_en": "We increased patrols and made two arrests.",
        "we_did_cy": "Gwnaethom gynyddu patrolau ac arestio dau berson.",
    }
    values.update(texts)
    return services.summary_draft(
        actor=officer,
        context=CONTEXT,
        county=county(),
        month=timezone.localdate(),
        report_id=report.pk if report else None,
        **values,
    )


def test_planted_identifying_text_never_reaches_the_county_page(demo_users: dict) -> None:
    officer = demo_users["intelligence"]
    report = graded_report(officer, what=PLANTED)
    services.action_record(
        actor=officer, context=CONTEXT, report_id=report.pk, action="Patrols; arrests"
    )
    summary = _draft(officer, report)
    services.summary_approve(
        actor=officer, context=CONTEXT, summary_id=summary.pk, version=summary.version
    )
    for language in ("en", "cy"):
        client = Client()
        client.cookies["pontio_language"] = language
        html = client.get(
            f"/intelligence/you-said-we-did/{selectors.county_slug(county())}/"
        ).content.decode()
        assert ("two arrests" in html) if language == "en" else ("arestio dau" in html)
        for planted in (
            "Gareth",
            "Prosser",
            "Heol y Bryn",
            "14 Heol",
            "SA31",
            "07700",
            "14 March",
            "21:40",
            report.reference,
        ):
            assert planted not in html, planted
        month = timezone.localdate()
        assert str(month.year) in html
        assert month.strftime("%d/%m") not in html and month.isoformat() not in html


def test_the_page_is_found_by_ons_code_too_and_shows_the_month_name(demo_users: dict) -> None:
    officer = demo_users["intelligence"]
    summary = _draft(officer)
    services.summary_approve(
        actor=officer, context=CONTEXT, summary_id=summary.pk, version=summary.version
    )
    html = Client().get(f"/intelligence/you-said-we-did/{county().ons_code}/").content.decode()
    assert timezone.localdate().strftime("%B %Y") in html


def test_a_line_awaiting_approval_is_not_on_the_page(demo_users: dict) -> None:
    _draft(demo_users["intelligence"], we_did_en="Draft line not yet approved.")
    html = Client().get(f"/intelligence/you-said-we-did/{county().ons_code}/").content.decode()
    assert "Draft line" not in html


@pytest.mark.parametrize(
    "text",
    [
        "Ring 07700 900123 for more.",
        "Email tips@example.com",
        "Near SA31 1AB.",
        "On 12/03/2026 we acted.",
        "On 12 March we acted.",
    ],
)
def test_approval_is_refused_while_an_identifying_pattern_remains(
    demo_users: dict, text: str
) -> None:
    officer = demo_users["intelligence"]
    summary = _draft(officer, we_did_en=text)
    with pytest.raises(ValidationError) as caught:
        services.summary_approve(
            actor=officer, context=CONTEXT, summary_id=summary.pk, version=summary.version
        )
    assert "we_did_en" in caught.value.message_dict
    assert "Remove identifying details" in caught.value.message_dict["we_did_en"][0]
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT


def test_the_refusal_is_shown_on_the_approval_page(demo_users: dict) -> None:
    from tests.conftest import demo_sign_in

    summary = _draft(demo_users["intelligence"], you_said_cy="Ffoniwch 07700 900123")
    response = demo_sign_in("intelligence").post(
        f"/intelligence/you-said-we-did-lines/{summary.pk}/approve/", {"version": summary.version}
    )
    assert response.status_code == 400
    assert "a phone number" in response.content.decode()


def test_approval_records_who_and_when(demo_users: dict) -> None:
    officer = demo_users["intelligence"]
    summary = _draft(officer)
    approved = services.summary_approve(
        actor=officer, context=CONTEXT, summary_id=summary.pk, version=summary.version
    )
    assert approved.approved_by == officer and approved.approved_at is not None
    assert approved.month == timezone.localdate().replace(day=1)


def test_only_intelligence_officers_draft_or_approve(demo_users: dict) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _draft(demo_users["operations"])
    summary = _draft(demo_users["intelligence"])
    with pytest.raises(PermissionDenied):
        services.summary_approve(
            actor=demo_users["inspector"],
            context=CONTEXT,
            summary_id=summary.pk,
            version=summary.version,
        )


def test_the_index_lists_the_four_counties() -> None:
    html = Client().get("/intelligence/you-said-we-did/").content.decode()
    for name in ("Carmarthenshire", "Ceredigion", "Pembrokeshire", "Powys"):
        assert name in html


def test_an_unknown_county_is_not_found() -> None:
    assert Client().get("/intelligence/you-said-we-did/atlantis/").status_code == 404


def test_lines_are_grouped_by_month_newest_first(demo_users: dict) -> None:
    officer = demo_users["intelligence"]
    for month in (dt.date(2026, 3, 9), dt.date(2026, 5, 20)):
        summary = services.summary_draft(
            actor=officer,
            context=CONTEXT,
            county=county(CERED),
            month=month,
            you_said_en="You said a thing.",
            you_said_cy="Dywedoch rywbeth.",
            we_did_en=f"We did it in {month:%B}.",
            we_did_cy="Gwnaethom hynny.",
        )
        services.summary_approve(
            actor=officer, context=CONTEXT, summary_id=summary.pk, version=summary.version
        )
    html = Client().get(f"/intelligence/you-said-we-did/{county(CERED).ons_code}/").content.decode()
    assert html.index("May 2026") < html.index("March 2026")
    assert CommunitySummary.objects.filter(month=dt.date(2026, 3, 1)).exists()
