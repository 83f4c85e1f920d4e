"""The request, the queue and the result, through the services: the legal basis is required,
an examiner must be trained for the level, and no extracted content is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pontio.audit.models import AuditEvent
from pontio.core.concurrency import StaleVersionError
from pontio.examinations import services
from pontio.examinations.models import Device, ExaminationRequest, StatusChange
from pontio.examinations.tests import helpers as h

pytestmark = pytest.mark.django_db


def test_an_intelligence_officer_requests_triage_of_three_phones_from_an_operation(
    world: Any,
) -> None:
    row = h.make_request(world["intelligence"], world["operation"])
    assert row.reference.startswith("DME-")
    assert row.status == "requested"
    assert row.operation_id == world["operation"].pk
    assert [d.exhibit_reference for d in row.devices.all()] == ["EXH/RM/1", "EXH/RM/2", "EXH/RM/3"]
    assert row.due_on > row.requested_on
    assert StatusChange.objects.filter(request=row, to_status="requested").count() == 1
    assert AuditEvent.objects.filter(object_id=str(row.pk), action="create").exists()


def test_a_request_without_a_legal_basis_is_refused_with_its_own_code_and_nothing_saved(
    world: Any,
) -> None:
    with pytest.raises(ValidationError) as refused:
        h.make_request(world["intelligence"], world["operation"], legal_basis="")
    error = refused.value.error_dict["legal_basis"][0]
    assert error.code == "legal_basis_required"
    assert "legal basis" in error.messages[0]
    assert not ExaminationRequest.objects.exists()
    assert not Device.objects.exists()


def test_a_legal_basis_outside_the_vocabulary_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        h.make_request(world["intelligence"], world["operation"], legal_basis="because")
    assert refused.value.error_dict["legal_basis"][0].code == "legal_basis_unknown"


def test_a_warrant_needs_its_number(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        h.make_request(world["intelligence"], world["operation"], legal_basis="warrant")
    assert "legal_basis_reference" in refused.value.error_dict
    row = h.make_request(
        world["intelligence"],
        world["operation"],
        legal_basis="warrant",
        legal_basis_reference="SW 123/26",
    )
    assert row.legal_basis_reference == "SW 123/26"


def test_a_source_outside_the_requesters_scope_is_refused_like_one_that_does_not_exist(
    world: Any,
) -> None:
    # A Powys officer may not see the Carmarthenshire operation.
    with pytest.raises(ValidationError) as refused:
        h.make_request(world["powys.officer"], world["operation"])
    assert "source_reference" in refused.value.error_dict


def test_an_operation_request_names_one_of_its_counties(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        h.make_request(world["intelligence"], world["operation"], county=h.county(h.POWYS))
    assert "county" in refused.value.error_dict


def test_priority_urgent_or_high_needs_a_reason_and_devices_need_their_own_exhibits(
    world: Any,
) -> None:
    with pytest.raises(ValidationError) as refused:
        h.make_request(
            world["intelligence"],
            world["operation"],
            priority="urgent",
            priority_reason="",
            devices=[services.DeviceEntry("phone", "A1"), services.DeviceEntry("phone", "a1")],
        )
    assert set(refused.value.error_dict) == {"priority_reason", "devices"}


def test_roles_that_may_not_request_are_refused(world: Any) -> None:
    for username in ("caseworker", "analyst", "examiner", "custody.officer"):
        with pytest.raises(PermissionDenied):
            h.make_request(world[username], world["operation"])


def test_the_examiner_takes_from_the_queue_and_records_the_result_without_content(
    world: Any,
) -> None:
    row = h.make_request(world["intelligence"], world["operation"])
    taken = h.take(world["examiner"], row)
    assert taken.status == "assigned"
    assert taken.assigned_to.user_id == world["examiner"].pk
    done = h.result(world["examiner"], row)
    assert done.status == "completed"
    assert done.completed_on is not None
    assert done.working_days_taken == 0
    counts = sorted((d.outcome, d.items_of_interest) for d in Device.objects.filter(request=row))
    assert counts == [("items_found", 4), ("nothing_found", 0), ("nothing_found", 0)]


def test_an_examiner_not_trained_for_the_level_cannot_take_it(world: Any) -> None:
    # The Powys investigator is trained for triage only.
    row = h.make_request(world["intelligence"], world["operation"], level="logical")
    with pytest.raises((ValidationError, PermissionDenied)):
        h.take(world["powys_dmi"], row)
    assert h.fresh(row).status == "requested"


def test_a_local_investigator_examines_their_own_county_only(world: Any) -> None:
    from pontio.examinations.models import ExaminerProfile
    from pontio.examinations.rules import examiner_refusals

    row = h.make_request(world["intelligence"], world["operation"])  # Carmarthenshire
    profile = ExaminerProfile.objects.get(user=world["powys_dmi"])
    reasons = examiner_refusals(profile, row, row.requested_on)
    assert any("own county" in r for r in reasons)


def test_trained_for_level_rule_refuses_and_allows_by_level(world: Any) -> None:
    from pontio.examinations.models import ExaminerProfile
    from pontio.examinations.rules import examiner_refusals

    profile = ExaminerProfile.objects.get(user=world["powys_dmi"])
    row = h.make_request(world["intelligence"], world["operation"])
    row.county = h.county(h.POWYS)
    assert examiner_refusals(profile, row, row.requested_on) == []
    row.level = "full"
    assert any("not trained" in r for r in examiner_refusals(profile, row, row.requested_on))


def test_a_supervisor_assigns_only_to_a_trained_examiner(world: Any) -> None:
    from pontio.examinations.models import ExaminerProfile

    row = h.make_request(world["intelligence"], world["operation"], level="full")
    powys = ExaminerProfile.objects.get(user=world["powys_dmi"])
    with pytest.raises(ValidationError):
        services.examination_assign(
            context=h.CONTEXT,
            actor=world["examiner"],
            request_id=row.pk,
            expected_version=h.fresh(row).version,
            examiner_id=powys.pk,
        )
    central = ExaminerProfile.objects.get(user=world["examiner"])
    done = services.examination_assign(
        context=h.CONTEXT,
        actor=world["examiner"],
        request_id=row.pk,
        expected_version=h.fresh(row).version,
        examiner_id=central.pk,
    )
    assert done.assigned_to_id == central.pk


def test_an_examiner_who_is_not_a_supervisor_cannot_assign(world: Any) -> None:
    from pontio.examinations.models import ExaminerProfile

    row = h.make_request(world["intelligence"], world["operation"])
    with pytest.raises(PermissionDenied):
        services.examination_assign(
            context=h.CONTEXT,
            actor=world["powys_dmi"],
            request_id=row.pk,
            expected_version=h.fresh(row).version,
            examiner_id=ExaminerProfile.objects.get(user=world["examiner"]).pk,
        )


@pytest.mark.parametrize(
    "summary",
    [
        "Texts to 07700 900123 about deliveries",
        "Contact dealer@example.com found",
        "Visited www.example.co.uk often",
    ],
)
def test_a_summary_that_looks_like_extracted_content_is_refused(world: Any, summary: str) -> None:
    row = h.make_request(world["intelligence"], world["operation"])
    h.take(world["examiner"], row)
    with pytest.raises(ValidationError) as refused:
        h.result(world["examiner"], row, summary=summary)
    assert refused.value.error_dict["summary"][0].code == "content_in_summary"
    assert h.fresh(row).status == "assigned"
    assert h.fresh(row).result_summary == ""


def test_items_found_needs_a_count_and_every_device_needs_an_outcome(world: Any) -> None:
    row = h.make_request(world["intelligence"], world["operation"])
    h.take(world["examiner"], row)
    device = h.fresh(row).devices.first()
    with pytest.raises(ValidationError) as refused:
        h.result(
            world["examiner"], row, devices=[services.DeviceResult(device.pk, "items_found", None)]
        )
    assert len(refused.value.error_dict["devices"]) == 3


def test_only_the_holder_records_the_result(world: Any) -> None:
    row = h.make_request(world["intelligence"], world["operation"])
    with pytest.raises(ValidationError):
        h.result(world["examiner"], row)


def test_a_stale_version_is_refused(world: Any) -> None:
    row = h.make_request(world["intelligence"], world["operation"])
    with pytest.raises(StaleVersionError):
        services.examination_take(
            context=h.CONTEXT, actor=world["examiner"], request_id=row.pk, expected_version=99
        )


def test_the_requester_withdraws_an_open_request(world: Any) -> None:
    row = h.make_request(world["intelligence"], world["operation"])
    done = services.examination_withdraw(
        context=h.CONTEXT,
        actor=world["intelligence"],
        request_id=row.pk,
        expected_version=row.version,
        reason="Charged without it",
    )
    assert done.status == "withdrawn"
    with pytest.raises(ValidationError):
        h.take(world["examiner"], row)


def test_a_request_from_a_custody_record_uses_the_suites_county(world: Any) -> None:
    from pontio.custody.tests import helpers as custody

    record = custody.book(world["custody.sergeant"], custody.make_person())
    row = h.make_request(world["custody.sergeant"], record, county=None)
    assert row.custody_record_id == record.pk
    assert row.county.ons_code == h.CARMS
