"""Demo device examinations (demo and tests only, never production): six months of requests
made, taken and resulted through the real services at the moments they would have happened
(``time_machine.travel``), so every date, timer and audit event is as in real life.

- The sources: a demo operation across the four counties (made by the demo operations lead
  through the operations service, if it is not there yet), from which the demo intelligence
  officer requests examinations of the devices seized.
- The examiners: the demo examiner and a colleague in the central unit from the start; local
  digital media investigators in Carmarthenshire and Powys, trained for triage and logical
  extraction, from three months ago ("local capacity added").
- Before local capacity, the central unit is slow (triage takes about six working days
  against a target of two, logical about eighteen against ten); afterwards the local
  investigators take their counties' triage and logical work and turn it round within target,
  and the central unit, with less in its queue, speeds up too. The capacity page shows it.
- The last weeks' requests are still open: some in the queue, some assigned, a few overdue.

Idempotent: each request's first exhibit is its demo key (``DEMO/DME/<n>/1``); a key already
used is skipped. The random choices are seeded.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone

from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import Role
from pontio.accounts.services.users import UserData, user_create
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.core.working_days import add_working_days, is_working_day
from pontio.examinations import services
from pontio.examinations.models import Device, ExaminationRequest, ExaminerProfile
from pontio.examinations.vocab import Level, Unit

SEED = 18
KEY = "DEMO/DME/"
CONTEXT = AuditContext.system("seed_examinations")
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"
COUNTY_WEIGHTS: dict[str, int] = {CARMS: 35, PEMBS: 22, CERED: 15, POWYS: 28}
LEVEL_WEIGHTS: dict[str, int] = {Level.TRIAGE: 50, Level.LOGICAL: 35, Level.FULL: 15}
PRIORITY_WEIGHTS = {"urgent": 8, "high": 27, "normal": 65}
BASIS_WEIGHTS = {"mda_s23": 35, "pace_s32": 20, "pace_s18": 15, "pace_s19_s20": 15, "warrant": 15}
KIND_WEIGHTS = {"phone": 70, "computer": 10, "storage": 15, "other": 5}
OPERATION_NAME = "Ymgyrch Dyfais (demo)"
REASONS = {
    "urgent": "Suspect on bail; a decision to charge is due",
    "high": "Seized on an enforcement day; supply network",
    "normal": "",
}
SUMMARIES = (
    "Material relevant to supply found",
    "Nothing of evidential value found",
    "Partial extraction; device damaged",
    "Material relevant to the investigation found on some devices",
)
# Working days from request to result: (low, high) by unit and level, before and after local
# capacity was added (the central unit speeds up once its queue is shared).
BEFORE: dict[str, tuple[int, int]] = {
    Level.TRIAGE: (3, 9),
    Level.LOGICAL: (12, 24),
    Level.FULL: (28, 45),
}
AFTER_CENTRAL: dict[str, tuple[int, int]] = {
    Level.TRIAGE: (1, 4),
    Level.LOGICAL: (7, 13),
    Level.FULL: (22, 34),
}
AFTER_LOCAL: dict[str, tuple[int, int]] = {Level.TRIAGE: (0, 2), Level.LOGICAL: (4, 10)}


@dataclass
class Result:
    created: int = 0
    skipped: int = 0
    completed: int = 0
    open: int = 0
    refused: int = 0


def _refuse_in_production() -> None:
    if settings.PONTIO_ENV not in {"demo", "test"}:
        raise ImproperlyConfigured("Demo data can only be loaded with PONTIO_ENV=demo or test.")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _examiner(
    admin: User,
    username: str,
    first: str,
    last: str,
    unit: str,
    county: County | None,
    levels: list[str],
    since: dt.date,
    supervisor: bool = False,
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            context=CONTEXT,
            actor=admin,
            data=UserData(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.pontio.invalid",
                organisation=Organisation.objects.get(name="Dyfed-Powys Police"),
                roles=[Role.DIGITAL_MEDIA_EXAMINER],
                force_wide=county is None,
                counties=[county] if county else [],
            ),
            invite=False,
        )
    if not ExaminerProfile.objects.filter(user=user).exists():
        services.examiner_profile_save(
            context=CONTEXT,
            actor=admin,
            user_id=user.pk,
            unit=unit,
            county=county,
            levels=levels,
            supervisor=supervisor,
            active_from=since,
        )
    return user


def _operation(lead: User, start: dt.date) -> Any:
    from pontio.operations.models import Operation
    from pontio.operations.services.operations import operation_create

    found = Operation.objects.filter(code_name=OPERATION_NAME).first()
    if found is not None:
        return found
    with time_machine.travel(_at(start, 9), tick=False):
        return operation_create(
            context=CONTEXT,
            actor=lead,
            code_name=OPERATION_NAME,
            objective="",
            county_ids=list(County.objects.values_list("pk", flat=True)),
        )


def seed_examinations(*, today: dt.date | None = None, per_day: float = 1.1) -> Result:
    _refuse_in_production()
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    start = (today.replace(day=1) - dt.timedelta(days=160)).replace(day=1)
    local_from = (today.replace(day=1) - dt.timedelta(days=70)).replace(day=1)
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["admin", "intelligence", "operations", "examiner"]
        )
    }
    counties = {c.ons_code: c for c in County.objects.all()}
    admin = users["admin"]
    central = [
        _examiner(admin, "examiner", "", "", Unit.CENTRAL, None, list(Level.values), start, True),
        _examiner(
            admin, "dfu.examiner", "Elin", "Parry", Unit.CENTRAL, None, list(Level.values), start
        ),
    ]
    local = {
        CARMS: _examiner(
            admin,
            "dmi.carms",
            "Dylan",
            "Rees",
            Unit.LOCAL,
            counties[CARMS],
            ["triage", "logical"],
            local_from,
        ),
        POWYS: _examiner(
            admin,
            "dmi.powys",
            "Nia",
            "Vaughan",
            Unit.LOCAL,
            counties[POWYS],
            ["triage", "logical"],
            local_from,
        ),
    }
    requester = users["intelligence"]
    operation = _operation(users["operations"], start)
    result = Result()
    day, n = start, 0
    while day < today:  # nothing made today: a demo loaded in the morning has no future times
        if not is_working_day(day):
            day += dt.timedelta(days=1)
            continue
        made = int(per_day) + (1 if rng.random() < per_day % 1 else 0)
        for _ in range(made):
            n += 1
            # Each request draws from its own generator, so a rerun that skips it draws
            # the same days and requests after it.
            own = random.Random(SEED * 100_000 + n)  # noqa: S311 - demo data, not security
            _one(
                own,
                n,
                day,
                today,
                local_from,
                counties,
                requester,
                operation,
                central,
                local,
                result,
            )
        day += dt.timedelta(days=1)
    return result


def _one(
    rng: random.Random,
    n: int,
    day: dt.date,
    today: dt.date,
    local_from: dt.date,
    counties: dict[str, County],
    requester: User,
    operation: Any,
    central: list[User],
    local: dict[str, User],
    result: Result,
) -> None:
    county_code = _pick(rng, COUNTY_WEIGHTS)
    level = _pick(rng, LEVEL_WEIGHTS)
    priority = _pick(rng, PRIORITY_WEIGHTS)
    basis = _pick(rng, BASIS_WEIGHTS)
    devices = [
        services.DeviceEntry(_pick(rng, KIND_WEIGHTS), f"{KEY}{n}/{i}")
        for i in range(1, rng.choice([1, 1, 2, 3]) + 1)
    ]
    hour = rng.randint(8, 16)
    after = day >= local_from
    examiner = local.get(county_code) if after and level != Level.FULL else None
    if examiner is not None:
        low, high = AFTER_LOCAL[level]
    else:
        examiner = central[n % len(central)]
        low, high = (AFTER_CENTRAL if after else BEFORE)[level]
    taken = min(rng.randint(low, high), rng.randint(0, 2))
    turnaround = rng.randint(low, high)
    if Device.objects.filter(exhibit_reference=f"{KEY}{n}/1").exists():
        result.skipped += 1
        return
    try:
        with time_machine.travel(_at(day, hour, rng.randint(0, 59)), tick=False):
            row = services.examination_request_create(
                context=CONTEXT,
                actor=requester,
                data=services.RequestData(
                    source_kind="operation",
                    source_reference=operation.reference,
                    county=counties[county_code],
                    legal_basis=basis,
                    legal_basis_reference=f"SW/{n:04d}" if basis == "warrant" else "",
                    level=level,
                    priority=priority,
                    priority_reason=REASONS[priority],
                    devices=devices,
                ),
            )
        result.created += 1
        take_day = add_working_days(day, taken)
        if take_day > today or (take_day == today and rng.random() < 0.5):
            result.open += 1
            return
        with time_machine.travel(_at(take_day, 9, 30), tick=False):
            row = services.examination_take(
                context=CONTEXT, actor=examiner, request_id=row.pk, expected_version=row.version
            )
        done_day = add_working_days(day, max(turnaround, taken))
        if done_day >= today:
            result.open += 1
            return
        with time_machine.travel(_at(done_day, 15, 0), tick=False):
            outcomes = []
            for device in row.devices.all():
                outcome = rng.choices(
                    ["items_found", "nothing_found", "partial", "locked", "damaged"],
                    weights=[45, 35, 8, 8, 4],
                )[0]
                count = rng.randint(1, 60) if outcome == "items_found" else None
                outcomes.append(services.DeviceResult(device.pk, outcome, count))
            services.examination_result(
                context=CONTEXT,
                actor=examiner,
                request_id=row.pk,
                expected_version=ExaminationRequest.objects.get(pk=row.pk).version,
                devices=outcomes,
                summary=rng.choice(SUMMARIES),
                report_reference=f"DFU/{done_day:%y}/{n:04d}",
            )
        result.completed += 1
    except ValidationError:
        result.refused += 1
