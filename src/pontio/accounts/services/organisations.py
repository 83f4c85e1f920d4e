"""Organisation administration (scoped and audited)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pontio.accounts.models import (
    Organisation,
    User,
)
from pontio.accounts.policies import organisation_scope
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County, snapshot_fields
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict


@dataclass
class OrganisationData:
    name: str
    name_cy: str
    kind: str
    counties: Iterable[County]
    is_active: bool = True


def _org_snapshot(org: Organisation) -> dict[str, Any]:
    data = snapshot_fields(org, exclude={"created_at", "updated_at"})
    data["counties"] = sorted(org.counties.values_list("ons_code", flat=True))
    return data


@transaction.atomic
def organisation_create(
    *, context: AuditContext, actor: User, data: OrganisationData
) -> Organisation:
    if organisation_scope(actor, "create") is None:
        raise PermissionDenied
    if Organisation.objects.filter(name__iexact=data.name).exists():
        raise ValidationError({"name": [_("An organisation with this name already exists.")]})
    org = Organisation.objects.create(
        name=data.name, name_cy=data.name_cy, kind=data.kind, is_active=data.is_active
    )
    org.counties.set(list(data.counties))
    audit_record(
        context=context, action=AuditAction.CREATE, obj=org, before={}, after=_org_snapshot(org)
    )
    return org


@transaction.atomic
def organisation_update(
    *,
    context: AuditContext,
    actor: User,
    organisation_id: int,
    expected_version: int | None,
    data: OrganisationData,
) -> Organisation:
    org = (
        restrict(Organisation.objects.select_for_update(), actor, "change")
        .filter(pk=organisation_id)
        .first()
    )
    if org is None:
        raise PermissionDenied
    before = _org_snapshot(org)  # taken before the version moves on
    check_version(org, expected_version)
    if Organisation.objects.filter(name__iexact=data.name).exclude(pk=org.pk).exists():
        raise ValidationError({"name": [_("An organisation with this name already exists.")]})
    if data.kind != org.kind and org.users.exists():
        raise ValidationError(
            {"kind": [_("The type cannot change while the organisation has users.")]}
        )
    org.name, org.name_cy, org.kind, org.is_active = (
        data.name,
        data.name_cy,
        data.kind,
        data.is_active,
    )
    org.save()
    org.counties.set(list(data.counties))
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=org,
        before=before,
        after=_org_snapshot(org),
    )
    return org
