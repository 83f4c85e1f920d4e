"""The pages, through the views: every role's denials, the request refused without a legal
basis (logged without its content), the journey from request to result, and no extracted
content stored or shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.examinations.models import ExaminationRequest
from pontio.examinations.tests import helpers as h

pytestmark = pytest.mark.django_db

VIEWERS = {
    "officer",
    "powys.officer",
    "custody.sergeant",
    "inspector",
    "intelligence",
    "operations",
    "examiner",
}
REQUESTERS = VIEWERS - {"examiner"}
CAPACITY = {"examiner", "inspector", "operations", "analyst"}
EVERYONE = {
    "officer",
    "powys.officer",
    "custody.officer",
    "custody.sergeant",
    "inspector",
    "intelligence",
    "operations",
    "examiner",
    "caseworker",
    "provider.manager",
    "powys.caseworker",
    "navigator",
    "panel",
    "analyst",
    "auditor",
    "admin",
}


def _form(source: Any, **changes: Any) -> dict[str, str]:
    values = {
        "source_kind": "operation",
        "source_reference": source.reference,
        "county": str(h.county(h.CARMS).pk),
        "legal_basis": "mda_s23",
        "level": "triage",
        "priority": "high",
        "priority_reason": "Seized on the enforcement day",
        "device_kind_1": "phone",
        "device_exhibit_1": "EXH/RM/1",
        "device_kind_2": "phone",
        "device_exhibit_2": "EXH/RM/2",
        "device_kind_3": "phone",
        "device_exhibit_3": "EXH/RM/3",
    }
    values.update(changes)
    return values


def test_every_role_is_refused_the_pages_it_may_not_open(world: Any) -> None:
    row = h.make_request(world["intelligence"], world["operation"])
    pages = {
        reverse("examinations:list"): VIEWERS,
        reverse("examinations:new"): REQUESTERS,
        reverse("examinations:capacity"): CAPACITY,
        reverse("examinations:detail", args=[row.pk]): VIEWERS,
        reverse("examinations:result", args=[row.pk]): {"examiner"},
    }
    for username in sorted(EVERYONE):
        client = demo_sign_in(username)
        for url, allowed in pages.items():
            before = AuditEvent.objects.filter(action="denied").count()
            response = client.get(url)
            if username in allowed:
                assert response.status_code in (200, 302, 404), (username, url)
            else:
                assert response.status_code == 403, (username, url, response.status_code)
                assert AuditEvent.objects.filter(action="denied").count() == before + 1
                assert row.reference not in response.content.decode()


def test_a_request_outside_the_users_scope_is_not_found(world: Any) -> None:
    row = h.make_request(world["intelligence"], world["operation"])  # Carmarthenshire
    response = demo_sign_in("powys.officer").get(reverse("examinations:detail", args=[row.pk]))
    assert response.status_code == 404
    assert row.reference not in response.content.decode()


def test_a_request_without_a_legal_basis_is_refused_on_the_page_and_logged_without_content(
    world: Any,
) -> None:
    client = demo_sign_in("intelligence")
    reason = "Secret informant Ffion says supply"
    response = client.post(
        reverse("examinations:new"),
        _form(world["operation"], legal_basis="", priority_reason=reason),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose the legal basis on which the devices are held" in page
    assert 'href="#id_legal_basis' in page
    assert not ExaminationRequest.objects.exists()
    denial = AuditEvent.objects.filter(action="denied").latest("sequence")
    assert "legal_basis_required" in denial.reason
    assert "Ffion" not in denial.reason and "EXH/RM" not in denial.reason
    assert not ChangeRecord.objects.filter(event=denial).exists()


def test_the_welsh_page_gives_the_error_in_welsh_when_the_catalogue_has_it(world: Any) -> None:
    client = demo_sign_in("intelligence")
    client.get("/language/cy/")
    response = client.post(reverse("examinations:new"), _form(world["operation"], legal_basis=""))
    assert response.status_code == 200
    assert 'lang="cy"' in response.content.decode()


def test_request_take_and_result_through_the_pages_with_no_content_shown(world: Any) -> None:
    requester = demo_sign_in("intelligence")
    response = requester.post(reverse("examinations:new"), _form(world["operation"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    row = ExaminationRequest.objects.get()
    assert response["Location"].startswith(reverse("examinations:detail", args=[row.pk]))

    examiner = demo_sign_in("examiner")
    queue = examiner.get(reverse("examinations:list") + "?show=queue").content.decode()
    assert row.reference in queue
    home = examiner.get("/").content.decode()
    assert "requests waiting in the queue" in home or "request waiting in the queue" in home
    response = examiner.post(
        reverse("examinations:take", args=[row.pk]), {"version": h.fresh(row).version}
    )
    assert response.status_code == 302
    assert h.fresh(row).status == "assigned"

    devices = list(h.fresh(row).devices.all())
    form = {
        "version": str(h.fresh(row).version),
        "summary": "Call 07700 900123 for the parcel",
        "report_reference": "DFU/2026/0042",
    }
    for i, d in enumerate(devices):
        form[f"outcome_{d.pk}"] = "items_found" if i == 0 else "nothing_found"
        form[f"items_{d.pk}"] = "4" if i == 0 else ""
    refused = examiner.post(reverse("examinations:result", args=[row.pk]), form)
    assert refused.status_code == 200
    assert "must not hold what was found" in refused.content.decode()
    assert "07700 900123" not in h.fresh(row).result_summary
    denial = AuditEvent.objects.filter(action="denied").latest("sequence")
    assert "content_in_summary" in denial.reason and "07700" not in denial.reason

    form["summary"] = "Material relevant to supply on one of three phones"
    done = examiner.post(reverse("examinations:result", args=[row.pk]), form)
    assert done.status_code == 302
    row = h.fresh(row)
    assert row.status == "completed" and row.report_reference == "DFU/2026/0042"
    page = requester.get(reverse("examinations:detail", args=[row.pk])).content.decode()
    assert "Result recorded" in page and "Within target" in page
    # Nothing that could hold content: no field, no page, no change record.
    fields = {f.name for f in ExaminationRequest._meta.get_fields()}
    assert not fields & {"content", "extracted", "messages", "contacts"}
    for change in ChangeRecord.objects.all():
        assert "07700" not in str(change.before) + str(change.after)


def test_an_examiner_not_trained_for_the_level_sees_why_and_has_no_take_button(
    world: Any,
) -> None:
    from pontio.examinations.models import ExaminationRequest

    row = h.make_request(world["intelligence"], world["operation"], level="full")
    ExaminationRequest.objects.filter(pk=row.pk).update(county=h.county(h.POWYS))
    from tests.conftest import sign_in_client
    from tests.factories import PASSWORD

    user = world["powys_dmi"]
    user.set_password(PASSWORD)
    user.save()
    client = sign_in_client(user)
    page = client.get(reverse("examinations:detail", args=[row.pk])).content.decode()
    assert "not trained for full extraction" in page
    assert "Take this request" not in page


def test_the_capacity_page_shows_the_backlog_by_county(world: Any) -> None:
    for _ in range(6):
        h.make_request(world["intelligence"], world["operation"])
    examiner = demo_sign_in("examiner").get(reverse("examinations:capacity")).content.decode()
    assert "Backlog" in examiner
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">6</td>' in examiner
    analyst = demo_sign_in("analyst").get(reverse("examinations:capacity")).content.decode()
    assert "Backlog" in analyst
    # The analyst sees counts only; a small one is suppressed.
    h.make_request(world["intelligence"], world["operation"], level="full")
    analyst = demo_sign_in("analyst").get(reverse("examinations:capacity") + "?months=3")
    assert "fewer than 5" in analyst.content.decode()
    assert "Archwiliwr" not in analyst.content.decode()


def test_the_capacity_page_writes_nothing(world: Any) -> None:
    before = AuditEvent.objects.count()
    demo_sign_in("analyst").get(reverse("examinations:capacity"))
    # Signing in writes its own events; reading the page adds none.
    after_sign_in = AuditEvent.objects.count()
    client = demo_sign_in("inspector")
    mark = AuditEvent.objects.count()
    client.get(reverse("examinations:capacity"))
    assert AuditEvent.objects.count() == mark
    assert after_sign_in >= before


def test_the_api_lists_and_shows_requests_in_scope(world: Any) -> None:
    from django.urls import path

    row = h.make_request(world["intelligence"], world["operation"])
    from pontio.examinations import api

    assert api.ExaminationRequestList and api.ExaminationRequestDetail
    _ = path  # the lead mounts the views (requests-dme.md); tested through the view classes
    from rest_framework.test import APIRequestFactory, force_authenticate

    factory = APIRequestFactory()
    request = factory.get("/api/v1/examinations/")
    user = world["intelligence"]
    user.is_verified = lambda: True  # type: ignore[method-assign]
    force_authenticate(request, user=user)
    response = api.ExaminationRequestList.as_view()(request)
    assert response.status_code == 200
    assert response.data["results"][0]["reference"] == row.reference
    assert "result_summary" not in response.data["results"][0]
    request = factory.get(f"/api/v1/examinations/{row.pk}/")
    force_authenticate(request, user=user)
    detail = api.ExaminationRequestDetail.as_view()(request, pk=row.pk)
    assert detail.status_code == 200
    assert [d["exhibit_reference"] for d in detail.data["device_list"]] == [
        "EXH/RM/1",
        "EXH/RM/2",
        "EXH/RM/3",
    ]
    powys = world["powys.officer"]
    powys.is_verified = lambda: True  # type: ignore[method-assign]
    request = factory.get(f"/api/v1/examinations/{row.pk}/")
    force_authenticate(request, user=powys)
    assert api.ExaminationRequestDetail.as_view()(request, pk=row.pk).status_code == 404


def test_the_queue_page_reads_a_fixed_number_of_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        h.make_request(world["intelligence"], world["operation"])
    client = demo_sign_in("examiner")
    client.get(reverse("examinations:list"))  # warm the session and the user's caches
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("examinations:list"))
    for _ in range(10):
        h.make_request(world["intelligence"], world["operation"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("examinations:list"))


def test_an_administrator_sets_up_a_local_investigators_profile(world: Any) -> None:
    from pontio.examinations.models import ExaminerProfile

    admin = demo_sign_in("admin")
    assert admin.get(reverse("examinations:examiners")).status_code == 200
    user = world["powys_dmi"]
    url = reverse("examinations:examiner-edit", args=[user.pk])
    page = admin.get(url)
    assert page.status_code == 200
    profile = ExaminerProfile.objects.get(user=user)
    refused = admin.post(url, {"version": profile.version, "unit": "local", "levels": []})
    assert refused.status_code == 200
    assert "Choose the county of a local investigator" in refused.content.decode()
    done = admin.post(
        url,
        {
            "version": profile.version,
            "unit": "local",
            "county": h.county(h.POWYS).pk,
            "levels": ["triage", "logical"],
            "active_from_0": "1",
            "active_from_1": "9",
            "active_from_2": "2026",
        },
    )
    assert done.status_code == 302
    profile.refresh_from_db()
    assert profile.trained_logical and profile.active_from.month == 9
    stale = admin.post(url, {"version": 1, "unit": "central", "levels": ["triage"]})
    assert stale.status_code == 200 and "Someone else changed this record" in stale.content.decode()
    # Not an examiner: not found.
    assert (
        admin.get(reverse("examinations:examiner-edit", args=[world["officer"].pk])).status_code
        == 404
    )
