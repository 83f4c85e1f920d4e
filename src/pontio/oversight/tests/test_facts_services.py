"""The services behind the investment and treatment-outcome facts: awards (optimistic
concurrency, audit) and the providers' quarterly returns (the rules, replacement, audit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pontio.accounts.models import Organisation
from pontio.audit.models import AuditEvent, ChangeRecord
from pontio.audit.services import AuditContext
from pontio.core.concurrency import StaleVersionError
from pontio.oversight.models import CommissioningAward, ProviderReturn
from pontio.oversight.services import commissioning as services

CONTEXT = AuditContext.system("test")
TODAY = dt.date(2026, 12, 3)


def award_data(**changes: Any) -> services.AwardData:
    values: dict[str, Any] = {
        "kind": "contract",
        "reference": "OPCC-S-1",
        "title_en": "Diversion scheme",
        "title_cy": "Cynllun dargyfeirio",
        "provider_id": Organisation.objects.get(name="Pobl diversion service").pk,
        "purpose": "diversion",
        "value": Decimal("345000"),
        "starts_on": dt.date(2021, 4, 1),
        "ends_on": dt.date(2024, 3, 31),
    }
    values.update(changes)
    return services.AwardData(**values)


def test_an_award_is_made_for_the_analysts_office_and_audited(
    demo_users: dict[str, Any],
) -> None:
    analyst = demo_users["analyst"]
    award = services.award_create(context=CONTEXT, actor=analyst, data=award_data())
    assert award.funder_id == analyst.organisation_id and award.version == 1
    event = AuditEvent.objects.get(action="create", object_id=str(award.pk))
    assert event.object_type == "oversight.commissioningaward"


def test_an_award_update_checks_the_version_and_keeps_the_old_value(
    demo_users: dict[str, Any],
) -> None:
    analyst = demo_users["analyst"]
    award = services.award_create(context=CONTEXT, actor=analyst, data=award_data())
    services.award_update(
        context=CONTEXT,
        actor=analyst,
        award_id=award.pk,
        expected_version=1,
        data=award_data(value=Decimal("350000")),
    )
    award.refresh_from_db()
    assert (award.value, award.version) == (Decimal("350000"), 2)
    event = AuditEvent.objects.get(action="update", object_id=str(award.pk))
    change = ChangeRecord.objects.get(event=event)
    assert set(change.before) == {"value", "version"}
    assert Decimal(str(change.before["value"])) == Decimal("345000")
    assert Decimal(str(change.after["value"])) == Decimal("350000")
    with pytest.raises(StaleVersionError):
        services.award_update(
            context=CONTEXT,
            actor=analyst,
            award_id=award.pk,
            expected_version=1,
            data=award_data(value=Decimal("1")),
        )
    award.refresh_from_db()
    assert award.value == Decimal("350000")


def test_an_award_needs_a_provider_an_ordered_period_and_a_new_reference(
    demo_users: dict[str, Any],
) -> None:
    analyst = demo_users["analyst"]
    services.award_create(context=CONTEXT, actor=analyst, data=award_data())
    opcc = Organisation.objects.get(kind="opcc")
    with pytest.raises(ValidationError) as caught:
        services.award_create(
            context=CONTEXT,
            actor=analyst,
            data=award_data(reference="opcc-s-1", provider_id=opcc.pk, ends_on=dt.date(2020, 1, 1)),
        )
    assert set(caught.value.error_dict) == {"reference", "provider", "ends_on"}
    assert CommissioningAward.objects.count() == 1


@pytest.mark.parametrize("username", ["inspector", "provider.manager", "admin"])
def test_only_the_analyst_makes_awards(demo_users: dict[str, Any], username: str) -> None:
    with pytest.raises(PermissionDenied):
        services.award_create(context=CONTEXT, actor=demo_users[username], data=award_data())


def return_data(**changes: Any) -> services.ReturnData:
    values: dict[str, Any] = {
        "quarter_start": dt.date(2026, 7, 1),
        "in_treatment": 400,
        "reviewed": 180,
        "reduced_use": 150,
        "completed": 40,
    }
    values.update(changes)
    return services.ReturnData(**values)


def test_a_second_return_for_a_quarter_replaces_the_first_and_is_audited(
    demo_users: dict[str, Any],
) -> None:
    manager = demo_users["provider.manager"]
    first, replaced = services.return_record(
        context=CONTEXT, actor=manager, data=return_data(), today=TODAY
    )
    assert not replaced and first.provider_id == manager.organisation_id
    second, replaced = services.return_record(
        context=CONTEXT, actor=manager, data=return_data(reduced_use=160), today=TODAY
    )
    assert replaced and second.pk == first.pk
    assert ProviderReturn.objects.get().reduced_use == 160
    assert AuditEvent.objects.filter(object_id=str(first.pk), action="create").count() == 1
    assert AuditEvent.objects.filter(object_id=str(first.pk), action="update").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quarter_start": dt.date(2026, 5, 1)}, "quarter_start", "first day of a quarter"),
        ({"quarter_start": dt.date(2027, 1, 1)}, "quarter_start", "must not be in the future"),
        ({"quarter_start": dt.date(2026, 10, 1)}, "quarter_start", "once the quarter has ended"),
        ({"reviewed": 401}, "reviewed", "more than the people in treatment"),
        ({"reduced_use": 181}, "reduced_use", "more than the people reviewed"),
        ({"completed": 401}, "completed", "more than the people in treatment"),
    ],
)
def test_a_return_breaking_a_rule_is_refused(
    demo_users: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.return_record(
            context=CONTEXT,
            actor=demo_users["provider.manager"],
            data=return_data(**changes),
            today=TODAY,
        )
    assert message in " ".join(caught.value.error_dict[field][0].messages)
    assert not ProviderReturn.objects.exists()


def test_a_return_on_the_limits_is_accepted(demo_users: dict[str, Any]) -> None:
    saved, _ = services.return_record(
        context=CONTEXT,
        actor=demo_users["provider.manager"],
        data=return_data(in_treatment=180, reviewed=180, reduced_use=180, completed=0),
        today=TODAY,
    )
    assert (saved.in_treatment, saved.reviewed, saved.reduced_use) == (180, 180, 180)


@pytest.mark.parametrize("username", ["analyst", "caseworker", "inspector"])
def test_only_provider_managers_enter_returns(demo_users: dict[str, Any], username: str) -> None:
    with pytest.raises(PermissionDenied):
        services.return_record(
            context=CONTEXT, actor=demo_users[username], data=return_data(), today=TODAY
        )
