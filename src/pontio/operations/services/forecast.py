"""The demand forecast: expected referrals and safeguarding by county and week, and its
sharing with the provider organisations serving those counties (accounts.Organisation's
counties served). A change after sharing un-shares the forecast (it must be shared again
before enforcement), so a provider never plans on figures the lead has since changed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import OrganisationKind
from pontio.audit.services import AuditContext
from pontio.core.concurrency import check_version
from pontio.operations import lifecycle
from pontio.operations.models import ForecastRow, ForecastShare, Operation
from pontio.operations.services.common import (
    audit,
    count_errors,
    lock,
    raise_if,
    snapshot,
)


def week_of(day: dt.date) -> dt.date:
    """The Monday of the day's week (forecasts are by week starting on Monday)."""
    return day - dt.timedelta(days=day.weekday())


def _editable(operation: Operation, errors: dict[str, list[str]]) -> None:
    if not lifecycle.forecast_editable(operation):
        errors.setdefault("__all__", []).append(
            _(
                "Enforcement has started: the forecast is fixed, so the demand can be "
                "compared with it"
            )
        )


def _unshare(context: AuditContext, operation: Operation) -> None:
    if operation.forecast_shared_at is not None:
        before = snapshot(operation)
        operation.forecast_shared_at = None
        operation.save()
        audit(context, operation, before=before, reason="forecast changed after sharing")


@transaction.atomic
def forecast_row_set(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int,
    expected_version: int | None,
    county_id: int | None,
    week_starting: dt.date | None,
    expected_referrals: int | None,
    expected_safeguarding: int | None,
) -> ForecastRow:
    """Add the row of a county and week, or change it if there is one."""
    operation = lock(actor, operation_id)
    errors: dict[str, list[str]] = {}
    _editable(operation, errors)
    county_ids = set(operation.counties.values_list("pk", flat=True))
    if county_id is None or int(county_id) not in county_ids:
        errors.setdefault("county", []).append(_("Select one of the operation's counties"))
    if week_starting is None:
        errors.setdefault("week_starting", []).append(_("Enter the week"))
    referrals = count_errors(errors, "expected_referrals", expected_referrals)
    safeguarding = count_errors(errors, "expected_safeguarding", expected_safeguarding)
    raise_if(errors)
    assert county_id is not None and week_starting is not None  # noqa: S101 - checked above
    check_version(operation, expected_version)
    operation.save()
    week = week_of(week_starting)
    row = ForecastRow.objects.filter(
        operation=operation, county_id=county_id, week_starting=week
    ).first()
    before = snapshot(row) if row else None
    if row is None:
        row = ForecastRow(operation=operation, county_id=county_id, week_starting=week)
    else:
        row.version += 1
    row.expected_referrals = referrals
    row.expected_safeguarding = safeguarding
    row.save()
    audit(context, row, before=before, reason="forecast row set")
    _unshare(context, operation)
    return row


@transaction.atomic
def forecast_row_remove(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int,
    expected_version: int | None,
    row_id: int,
) -> None:
    operation = lock(actor, operation_id)
    errors: dict[str, list[str]] = {}
    _editable(operation, errors)
    row = ForecastRow.objects.filter(operation=operation, pk=row_id).first()
    if row is None:
        errors.setdefault("__all__", []).append(_("That forecast row has already been removed"))
    raise_if(errors)
    assert row is not None  # noqa: S101 - an error otherwise
    check_version(operation, expected_version)
    operation.save()
    before = snapshot(row)
    audit(context, row, before=before, reason="forecast row removed")
    row.delete()
    _unshare(context, operation)


def providers_for(operation: Operation) -> list[Organisation]:
    """The active provider organisations serving a county of the forecast."""
    counties = operation.forecast.values("county_id")
    return list(
        Organisation.objects.filter(
            kind=OrganisationKind.PROVIDER, is_active=True, counties__in=counties
        )
        .distinct()
        .order_by("name")
    )


@transaction.atomic
def forecast_share(
    *,
    context: AuditContext,
    actor: User,
    operation_id: int,
    expected_version: int | None,
) -> list[Organisation]:
    """Share the forecast with every provider serving its counties; they see it on their
    home page (county, week and numbers only)."""
    operation = lock(actor, operation_id)
    errors: dict[str, list[str]] = {}
    _editable(operation, errors)
    if not operation.forecast.exists():
        errors.setdefault("__all__", []).append(
            _("Add the expected referrals by county and week before sharing the forecast")
        )
    providers = providers_for(operation) if not errors else []
    if not errors and not providers:
        errors.setdefault("__all__", []).append(
            _("No provider organisation serves the forecast's counties")
        )
    raise_if(errors)
    check_version(operation, expected_version)
    now = timezone.now()
    before = snapshot(operation)
    operation.forecast_shared_at = now
    operation.save()
    audit(context, operation, before=before, reason="forecast shared")
    for organisation in providers:
        share = ForecastShare.objects.create(
            operation=operation, organisation=organisation, shared_at=now, shared_by=actor
        )
        audit(context, share, reason="forecast shared with provider")
    return providers
