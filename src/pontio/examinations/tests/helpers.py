"""Builders shared by the examinations tests (and the access matrix's world)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import Role
from pontio.accounts.services.users import UserData, user_create
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.examinations import services
from pontio.examinations.models import ExaminationRequest
from pontio.examinations.services import DeviceEntry, RequestData

CONTEXT = AuditContext.system("test")
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"


def county(code: str) -> County:
    return County.objects.get(ons_code=code)


def make_operation(lead: User, codes: tuple[str, ...] = (CARMS, PEMBS)) -> Any:
    """An operation of the operations lead, through the operations service (its phase does
    not matter to an examination request)."""
    from pontio.operations.services.operations import operation_create

    return operation_create(
        context=CONTEXT,
        actor=lead,
        code_name="Ymgyrch Dyfais",
        objective="",
        county_ids=[county(c).pk for c in codes],
    )


def make_examiner(
    admin: User,
    username: str,
    *,
    unit: str = "local",
    county_code: str | None = POWYS,
    levels: tuple[str, ...] = ("triage",),
    supervisor: bool = False,
    active_from: dt.date | None = None,
) -> User:
    """A digital media examiner account (through the accounts service) and its profile."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            context=CONTEXT,
            actor=admin,
            data=UserData(
                username=username,
                first_name=username.split(".")[0].title(),
                last_name="Archwiliwr",
                email=f"{username}@demo.pontio.invalid",
                organisation=Organisation.objects.get(name="Dyfed-Powys Police"),
                roles=[Role.DIGITAL_MEDIA_EXAMINER],
                force_wide=unit == "central",
                counties=[county(county_code)] if county_code and unit == "local" else [],
                staff_number="",
            ),
            invite=False,
        )
    services.examiner_profile_save(
        context=CONTEXT,
        actor=admin,
        user_id=user.pk,
        unit=unit,
        county=county(county_code) if unit == "local" and county_code else None,
        levels=list(levels),
        supervisor=supervisor,
        active_from=active_from or timezone.localdate() - dt.timedelta(days=400),
    )
    return User.objects.get(pk=user.pk)


def build_world(users: dict[str, Any]) -> dict[str, Any]:
    from pontio.custody.reference import load_all

    load_all()
    users["operation"] = make_operation(users["operations"])
    users["examiner_profile_user"] = make_examiner(
        users["admin"],
        "examiner",
        unit="central",
        county_code=None,
        levels=("triage", "logical", "full"),
        supervisor=True,
    )
    users["powys_dmi"] = make_examiner(users["admin"], "powys.dmi", county_code=POWYS)
    return users


def phones(n: int = 3, prefix: str = "EXH/RM/") -> list[DeviceEntry]:
    return [DeviceEntry("phone", f"{prefix}{i}") for i in range(1, n + 1)]


def data(source: Any, **changes: Any) -> RequestData:
    """A triage request of three phones from an operation (or a custody record)."""
    from pontio.custody.models import CustodyRecord

    values: dict[str, Any] = {
        "source_kind": "custody" if isinstance(source, CustodyRecord) else "operation",
        "source_reference": getattr(source, "custody_number", None) or source.reference,
        "county": county(CARMS),
        "legal_basis": "mda_s23",
        "level": "triage",
        "priority": "high",
        "priority_reason": "Seized on the enforcement day; supply network",
        "devices": phones(),
    }
    values.update(changes)
    return RequestData(**values)


def make_request(actor: User, source: Any, **changes: Any) -> ExaminationRequest:
    return services.examination_request_create(
        context=CONTEXT, actor=actor, data=data(source, **changes)
    )


def fresh(row: ExaminationRequest) -> ExaminationRequest:
    return ExaminationRequest.objects.get(pk=row.pk)


def take(actor: User, row: ExaminationRequest) -> ExaminationRequest:
    return services.examination_take(
        context=CONTEXT, actor=actor, request_id=row.pk, expected_version=fresh(row).version
    )


def result(actor: User, row: ExaminationRequest, **changes: Any) -> ExaminationRequest:
    devices = list(fresh(row).devices.all())
    values: dict[str, Any] = {
        "devices": [
            services.DeviceResult(
                d.pk, "items_found" if i == 0 else "nothing_found", 4 if i == 0 else None
            )
            for i, d in enumerate(devices)
        ],
        "summary": "Material relevant to supply found on one phone",
        "report_reference": "DFU/2026/0042",
    }
    values.update(changes)
    return services.examination_result(
        context=CONTEXT,
        actor=actor,
        request_id=row.pk,
        expected_version=fresh(row).version,
        **values,
    )
