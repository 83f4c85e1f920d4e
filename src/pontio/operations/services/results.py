"""Results of an operation: arrests, charges, convictions, and drugs seized with their
estimated street value (pence, an integer: no rounding in sums). Append-only, recorded from
enforcement on (convictions come months after the operation closes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.operations import lifecycle
from pontio.operations.models import (
    DrugType,
    Operation,
    QuantityUnit,
    ResultEntry,
    Seizure,
)
from pontio.operations.services.common import (
    SHORT_MAX,
    audit,
    count_errors,
    lock,
    raise_if,
    text_errors,
)

# £100 million: far above any single seizure, low enough to catch a slip of the keyboard.
MAX_VALUE_PENCE = 10_000_000_000
MAX_QUANTITY = Decimal("1000000")


def _common_errors(
    operation: Operation, county_id: int | None, day: dt.date | None, field: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not lifecycle.results_recordable(operation):
        errors.setdefault("__all__", []).append(
            _("Results are recorded once enforcement has started")
        )
    if county_id is None or not operation.counties.filter(pk=county_id).exists():
        errors.setdefault("county", []).append(_("Select one of the operation's counties"))
    if day is None:
        errors.setdefault(field, []).append(_("Enter the date"))
    elif day > timezone.localdate():
        errors.setdefault(field, []).append(_("The date must be today or in the past"))
    elif operation.enforcement_started_at and day < timezone.localdate(
        operation.enforcement_started_at
    ):
        errors.setdefault(field, []).append(
            _("The date must be on or after the day enforcement started")
        )
    return errors


@transaction.atomic
def result_record(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int,
    county_id: int | None,
    recorded_on: dt.date | None,
    arrests: int | None,
    charges: int | None,
    convictions: int | None,
    note: str = "",
) -> ResultEntry:
    operation = lock(actor, operation_id)
    errors = _common_errors(operation, county_id, recorded_on, "recorded_on")
    values = {
        name: count_errors(errors, name, value)
        for name, value in (
            ("arrests", arrests),
            ("charges", charges),
            ("convictions", convictions),
        )
    }
    if not errors and not any(values.values()):
        errors.setdefault("arrests", []).append(
            _("Enter at least one arrest, charge or conviction")
        )
    text = text_errors(errors, "note", note, required=None, limit=SHORT_MAX * 2)
    raise_if(errors)
    assert county_id is not None and recorded_on is not None  # noqa: S101 - checked above
    entry = ResultEntry.objects.create(
        operation=operation,
        county_id=county_id,
        recorded_on=recorded_on,
        note=text,
        recorded_by=actor,
        recorded_at=timezone.now(),
        **values,
    )
    audit(context, entry, reason="operation result recorded")
    return entry


@transaction.atomic
def seizure_record(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int,
    county_id: int | None,
    seized_on: dt.date | None,
    drug: str,
    quantity: Decimal | None,
    unit: str,
    street_value_pence: int | None,
) -> Seizure:
    operation = lock(actor, operation_id)
    errors = _common_errors(operation, county_id, seized_on, "seized_on")
    if drug not in DrugType.values:
        errors.setdefault("drug", []).append(_("Choose the drug seized"))
    if quantity is None or quantity <= 0 or quantity > MAX_QUANTITY:
        errors.setdefault("quantity", []).append(
            _("Enter a quantity more than 0 and up to 1,000,000")
        )
    if unit not in QuantityUnit.values:
        errors.setdefault("unit", []).append(_("Choose the unit of the quantity"))
    if street_value_pence is None or not 0 <= street_value_pence <= MAX_VALUE_PENCE:
        errors.setdefault("street_value", []).append(
            _("Enter the estimated street value in pounds, up to £100,000,000")
        )
    raise_if(errors)
    # Checked above (an error otherwise).
    assert county_id is not None and seized_on is not None  # noqa: S101
    assert quantity is not None and street_value_pence is not None  # noqa: S101
    seizure = Seizure.objects.create(
        operation=operation,
        county_id=county_id,
        seized_on=seized_on,
        drug=drug,
        quantity=quantity,
        unit=unit,
        street_value_pence=street_value_pence,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit(context, seizure, reason="seizure recorded")
    return seizure
