"""Changes to reference data (audited, version-checked)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.recording import AuditAction, AuditContext, record
from pontio.core.scopes import restrict


@transaction.atomic
def county_update(
    *,
    context: AuditContext,
    actor: Any,
    county_id: int,
    expected_version: int | None,
    values: dict[str, Any],
) -> County:
    county = (
        restrict(County.objects.select_for_update(), actor, "change").filter(pk=county_id).first()
    )
    if county is None:
        raise PermissionDenied
    before = snapshot_fields(county, exclude={"boundary", "updated_at"})
    check_version(county, expected_version)
    for name, value in values.items():
        setattr(county, name, value)
    county.full_clean(exclude=["boundary"])
    county.save()
    record(
        context=context,
        action=AuditAction.UPDATE,
        obj=county,
        before=before,
        after=snapshot_fields(county, exclude={"boundary", "updated_at"}),
    )
    return county
