"""Assessment through the pages and services: grading, sanitising, priority, actions, links,
sharing by handling code, and access strictly by role."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.conftest import demo_sign_in

from pontio.accounts.demo import DEMO_USERS
from pontio.accounts.models import Organisation
from pontio.audit.models import AuditEvent
from pontio.intelligence import services
from pontio.intelligence.models import IntelligenceReport, ReportShare, ReportStatus, ShareStatus
from pontio.intelligence.tests.helpers import CONTEXT, POWYS, county, graded_report, public_report

pytestmark = pytest.mark.django_db


def _grade(officer, report, scheme="3x5x2", codes=("2", "B", "P")):  # type: ignore[no-untyped-def]
    return services.report_grade(
        actor=officer,
        context=CONTEXT,
        report_id=report.pk,
        version=report.version,
        scheme=scheme,
        source_code=codes[0],
        information_code=codes[1],
        handling_code=codes[2],
    )


def test_the_officer_grades_2_b_p_through_the_page(demo_users: dict) -> None:
    report, _ = public_report()
    client = demo_sign_in("intelligence")
    response = client.post(
        f"/intelligence/reports/{report.pk}/grade/",
        {
            "version": report.version,
            "scheme": "3x5x2",
            "source_code": "2",
            "information_code": "B",
            "handling_code": "P",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.scheme, report.source_code, report.information_code, report.handling_code) == (
        "3x5x2",
        "2",
        "B",
        "P",
    )
    assert report.status == ReportStatus.ASSESSED
    page = client.get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert "2/B/P" in page


def test_a_grade_outside_its_scheme_gets_a_specific_error_and_nothing_changes(
    demo_users: dict,
) -> None:
    report, _ = public_report()
    client = demo_sign_in("intelligence")
    response = client.post(
        f"/intelligence/reports/{report.pk}/grade/",
        {
            "version": report.version,
            "scheme": "3x5x2",
            "source_code": "A",
            "information_code": "B",
            "handling_code": "P",
        },
    )
    assert response.status_code == 400
    assert "Choose a source evaluation of this scheme" in response.content.decode()
    report.refresh_from_db()
    assert report.scheme == "" and report.status == ReportStatus.RECEIVED


def test_a_legacy_5x5x5_grade_is_kept_as_recorded_and_never_converted(demo_users: dict) -> None:
    report, _ = public_report()
    report = _grade(demo_users["intelligence"], report, "5x5x5", ("B", "2", "4"))
    report = IntelligenceReport.objects.get(pk=report.pk)
    assert (report.scheme, report.source_code, report.information_code, report.handling_code) == (
        "5x5x5",
        "B",
        "2",
        "4",
    )
    assert report.grading == "B/2/4"
    page = demo_sign_in("intelligence").get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert "B/2/4" in page and "5x5x5" in page and "B: mostly reliable" in page


def test_a_stale_copy_is_refused(demo_users: dict) -> None:
    report, _ = public_report()
    officer = demo_users["intelligence"]
    _grade(officer, report)
    with pytest.raises(ValidationError):
        _grade(officer, report, codes=("1", "A", "P"))  # the version it started from is old


def test_the_sanitised_text_is_kept_apart_from_the_original(demo_users: dict) -> None:
    report, _ = public_report("Gwyn Jones of 4 Stryd Fawr sells from his van, ring 07700 900123.")
    report = services.report_sanitise(
        actor=demo_users["intelligence"],
        context=CONTEXT,
        report_id=report.pk,
        version=report.version,
        text="A man is reported to sell drugs from a vehicle in a town centre.",
    )
    assert report.original.text.startswith("Gwyn Jones")
    assert "Gwyn" not in report.sanitised_text


def test_the_original_is_shown_only_to_intelligence_officers(demo_users: dict) -> None:
    report, _ = public_report("Original words ZQX.")
    page = demo_sign_in("intelligence").get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert "Original words ZQX." in page


def test_priority_needs_its_reason(demo_users: dict) -> None:
    report, _ = public_report()
    client = demo_sign_in("intelligence")
    response = client.post(
        f"/intelligence/reports/{report.pk}/priority/",
        {"version": report.version, "priority": "high", "reason": ""},
    )
    assert response.status_code == 400
    assert "Give the reason for the priority" in response.content.decode()
    response = client.post(
        f"/intelligence/reports/{report.pk}/priority/",
        {"version": report.version, "priority": "high", "reason": "Imminent risk"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.priority, report.priority_reason) == ("high", "Imminent risk")


def test_an_action_needs_a_grade_first_then_makes_the_report_actioned(demo_users: dict) -> None:
    officer = demo_users["intelligence"]
    report, _ = public_report()
    with pytest.raises(ValidationError):
        services.action_record(actor=officer, context=CONTEXT, report_id=report.pk, action="Patrol")
    _grade(officer, report)
    services.action_record(
        actor=officer, context=CONTEXT, report_id=report.pk, action="Patrol", result="Two arrests"
    )
    services.action_record(actor=officer, context=CONTEXT, report_id=report.pk, action="Warrant")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACTIONED
    assert [a.action for a in report.actions.all()] == ["Patrol", "Warrant"]
    assert list(report.events.values_list("to_status", flat=True)) == [
        "received",
        "assessed",
        "actioned",
    ]


def test_links_to_people_and_reports(demo_users: dict) -> None:
    from tests.factories import make_person

    officer = demo_users["intelligence"]
    person = make_person()
    report, _ = public_report()
    other, _ = public_report("Another one")
    services.report_link_person(
        actor=officer, context=CONTEXT, report_id=report.pk, person_id=person.pk
    )
    services.report_link_report(
        actor=officer, context=CONTEXT, report_id=report.pk, other_reference=other.reference
    )
    assert list(report.person_links.values_list("person_id", flat=True)) == [person.pk]
    assert list(other.linked_reports.all()) == [report]
    with pytest.raises(ValidationError):
        services.report_link_person(
            actor=officer, context=CONTEXT, report_id=report.pk, person_id=999999
        )


def test_the_checklist_shows_each_check_met_or_not(demo_users: dict) -> None:
    officer = demo_users["intelligence"]
    report, _ = public_report()
    client = demo_sign_in("intelligence")
    page = client.get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert page.count("Not met") == 5 and "Not yet actionable" in page
    ready = graded_report(officer)
    page = client.get(f"/intelligence/reports/{ready.pk}/").content.decode()
    assert "Not met" not in page and "Actionable: every check is met" in page


# --- sharing --------------------------------------------------------------------------------


def _provider() -> Organisation:
    return Organisation.objects.get(name="Dyfed Drug and Alcohol Service")


def test_a_c_coded_item_without_a_condition_is_refused_and_logged(
    demo_users: dict, logs: list[str]
) -> None:
    report = graded_report(demo_users["intelligence"], handling="C", what="Secret words QQQ")
    client = demo_sign_in("intelligence")
    response = client.post(
        f"/intelligence/reports/{report.pk}/share/", {"recipient": _provider().pk, "condition": ""}
    )
    assert response.status_code == 400
    assert "handling code C" in response.content.decode()
    assert not ReportShare.objects.exists()
    assert any("handling code C without a condition" in m for m in logs)
    assert not any("QQQ" in m for m in logs)
    denial = AuditEvent.objects.get(action="denied", object_id=str(report.pk))
    assert "condition_required" in denial.reason


def test_a_c_coded_item_goes_pending_with_its_condition_until_the_recipient_accepts(
    demo_users: dict,
) -> None:
    report = graded_report(demo_users["intelligence"], handling="C")
    share = services.share_create(
        actor=demo_users["intelligence"],
        context=CONTEXT,
        report_id=report.pk,
        recipient_id=_provider().pk,
        condition="For safeguarding only; not to be passed on.",
    )
    assert share.status == ShareStatus.PENDING and share.condition
    manager = demo_sign_in("provider.manager")
    page = manager.get(f"/intelligence/shared/{share.pk}/").content.decode()
    assert "For safeguarding only" in page and "transport hub" not in page  # not before acceptance
    response = manager.post(f"/intelligence/shared/{share.pk}/", {"decision": "accept"})
    assert response.status_code == 302
    share.refresh_from_db()
    assert (
        share.status == ShareStatus.ACCEPTED and share.decided_by == demo_users["provider.manager"]
    )
    assert "transport hub" in manager.get(f"/intelligence/shared/{share.pk}/").content.decode()


def test_a_report_that_is_not_actionable_cannot_be_shared(demo_users: dict) -> None:
    report, _ = public_report()
    with pytest.raises(ValidationError) as caught:
        services.share_create(
            actor=demo_users["intelligence"],
            context=CONTEXT,
            report_id=report.pk,
            recipient_id=_provider().pk,
        )
    assert "recipient" in caught.value.message_dict


def test_another_organisation_cannot_answer_a_share(demo_users: dict) -> None:
    report = graded_report(demo_users["intelligence"])
    share = services.share_create(
        actor=demo_users["intelligence"],
        context=CONTEXT,
        report_id=report.pk,
        recipient_id=_provider().pk,
    )
    with pytest.raises(PermissionDenied):
        services.share_decide(
            actor=demo_users["operations"], context=CONTEXT, share_id=share.pk, accept=True
        )
    assert demo_sign_in("operations").get(f"/intelligence/shared/{share.pk}/").status_code == 404


# --- access by role -------------------------------------------------------------------------

OTHERS = [spec.username for spec in DEMO_USERS if spec.username != "intelligence"]


@pytest.mark.parametrize("username", OTHERS)
def test_every_other_role_is_refused_the_assessment_pages(demo_users: dict, username: str) -> None:
    report, _ = public_report("Words only officers read XYZ.")
    client = demo_sign_in(username)
    for url in (
        "/intelligence/",
        f"/intelligence/reports/{report.pk}/",
        f"/intelligence/reports/{report.pk}/grade/",
        f"/intelligence/reports/{report.pk}/sanitise/",
        f"/intelligence/reports/{report.pk}/share/",
        "/intelligence/you-said-we-did-lines/",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), (username, url)
        assert (
            "XYZ" not in response.content.decode()
            and report.reference not in response.content.decode()
        )
    response = client.post(
        f"/intelligence/reports/{report.pk}/grade/",
        {
            "version": report.version,
            "scheme": "3x5x2",
            "source_code": "1",
            "information_code": "A",
            "handling_code": "P",
        },
    )
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.scheme == ""


@pytest.mark.parametrize("username", OTHERS)
def test_every_other_role_is_refused_by_the_services(demo_users: dict, username: str) -> None:
    report, _ = public_report()
    with pytest.raises(PermissionDenied):
        _grade(demo_users[username], report)


def test_an_intelligence_officer_of_one_county_does_not_see_another(demo_users: dict) -> None:
    officer = demo_users["intelligence"]
    officer.force_wide = False
    officer.save()
    officer.counties.set([county(POWYS)])
    report, _ = public_report()  # Carmarthenshire
    client = demo_sign_in("intelligence")
    assert client.get(f"/intelligence/reports/{report.pk}/").status_code == 404
    assert report.reference not in client.get("/intelligence/").content.decode()


@pytest.mark.parametrize("username", ["officer", "caseworker", "custody.sergeant"])
def test_officers_and_partners_submit_signed_in(demo_users: dict, username: str) -> None:
    client = demo_sign_in(username)
    assert client.get("/intelligence/submit/").status_code == 200
    response = client.post(
        "/intelligence/submit/",
        {
            "county": county().pk,
            "area": "",
            "when_seen": "today",
            "how_known": "saw",
            "what": "Seen dealing.",
        },
    )
    assert response.status_code == 302
    report = IntelligenceReport.objects.get()
    assert report.submitted_by == demo_users[username]
    assert report.channel == ("partner" if username == "caseworker" else "officer")
    assert report.secret_hash == ""


@pytest.mark.parametrize("username", ["panel", "analyst", "auditor", "admin", "examiner"])
def test_roles_that_do_not_submit_are_refused_the_submit_page(
    demo_users: dict, username: str
) -> None:
    assert demo_sign_in(username).get("/intelligence/submit/").status_code == 403
