"""CSV and XLSX exports: who may export, which columns each side gets, audit, safe cells."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.referrals import services
from pontio.referrals.export import safe_cell, table, to_csv
from pontio.referrals.models import Referral
from pontio.referrals.tests.helpers import CONTEXT, accepted, refer

pytestmark = pytest.mark.django_db


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def _exports() -> Any:
    return AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="referrals.referral")


def _assessed(world: dict[str, Any]) -> Referral:
    referral = accepted(world["officer"], world["caseworker"], world["person"])
    services.clinical_record_add(
        context=CONTEXT,
        actor=world["caseworker"],
        referral_id=referral.pk,
        kind="assessment",
        on=timezone.localdate(),
        notes="Private clinical note",
    )
    return referral


def test_provider_manager_csv_has_timers_and_dates_but_no_notes(world: dict[str, Any]) -> None:
    referral = _assessed(world)
    refer(world["officer"], world["person"], pathway="custody")
    response = demo_sign_in("provider.manager").get(
        reverse("referrals:export-csv"), {"pathway": "voluntary"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    heading = rows[0]
    for column in ("Reference", "Status", "First contact due", "Assessed", "Treatment started"):
        assert column in heading
    assert [row[0] for row in rows[1:]] == [referral.reference]
    row = dict(zip(heading, rows[1], strict=True))
    assert row["Assessed"] == timezone.localdate().isoformat()
    body = response.content.decode()
    assert "Private clinical note" not in body
    assert "Jones" not in body and "1990" not in body


def test_an_export_is_audited_with_its_filters_and_size(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    before = _exports().count()
    demo_sign_in("provider.manager").get(reverse("referrals:export-csv"), {"status": "requested"})
    event = _exports().latest("sequence")
    assert _exports().count() == before + 1
    assert event.reason == "filters: status=requested; format: csv; rows: 1"


def test_xlsx_has_the_same_rows(world: dict[str, Any]) -> None:
    referral = refer(world["officer"], world["person"])
    response = demo_sign_in("provider.manager").get(reverse("referrals:export-xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Reference"
    assert [row[0] for row in values[1:]] == [referral.reference]
    assert _exports().latest("sequence").reason.endswith("format: xlsx; rows: 1")


def test_police_supervisor_export_has_no_clinical_columns(world: dict[str, Any]) -> None:
    referral = _assessed(world)
    response = demo_sign_in("custody.sergeant").get(reverse("referrals:export-csv"))
    rows = _csv(response)
    heading = rows[0]
    assert "Assessed" not in heading and "Treatment started" not in heading
    assert "Age at referral" not in heading
    assert "Status" in heading and "Assessment breached" in heading
    assert [row[0] for row in rows[1:]] == [referral.reference]
    assert "Private clinical note" not in response.content.decode()


def test_supervisor_of_another_area_exports_nothing(world: dict[str, Any]) -> None:
    refer(world["officer"], world["person"])
    rows = _csv(demo_sign_in("inspector").get(reverse("referrals:export-csv")))
    assert rows[1:] == []


@pytest.mark.parametrize("username", ["caseworker", "officer", "analyst", "navigator"])
def test_others_may_not_export_and_the_denial_is_audited(
    world: dict[str, Any], username: str
) -> None:
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
    for name in ("referrals:export-csv", "referrals:export-xlsx"):
        assert demo_sign_in(username).get(reverse(name)).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() == denied + 2
    assert not _exports().exists()


def test_a_wrong_filter_goes_back_to_the_inbox_without_exporting(world: dict[str, Any]) -> None:
    response = demo_sign_in("provider.manager").get(
        reverse("referrals:export-csv"), {"status": "lost"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/referrals/?status=lost"
    assert not _exports().exists()


def test_cells_that_would_be_formulas_are_neutralised(world: dict[str, Any]) -> None:
    caseworker = world["caseworker"]
    caseworker.first_name = "=HYPERLINK(evil)"
    caseworker.save()
    referral = refer(world["officer"], world["person"])
    Referral.objects.filter(pk=referral.pk).update(allocated_to=caseworker)
    rows = _csv(demo_sign_in("provider.manager").get(reverse("referrals:export-csv")))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Caseworker"].startswith("'=HYPERLINK")


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx"])
def test_safe_cell_prefixes_formula_starts(value: str) -> None:
    assert safe_cell(value) == "'" + value


def test_safe_cell_leaves_other_values_alone() -> None:
    assert safe_cell("PR26-000001") == "PR26-000001"
    assert safe_cell(-3) == -3
    assert safe_cell(None) is None


def test_csv_of_an_empty_list_is_just_the_heading() -> None:
    from pontio.referrals.export import PROVIDER

    assert to_csv(table([], PROVIDER)).count("\n") == 1
