"""Builders shared by the custody tests."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.utils import timezone
from tests.factories import make_person as _make_person

from pontio.audit.services import AuditContext
from pontio.custody import services
from pontio.custody.models import CustodyRecord, CustodySuite, DrugTest, Offence, RequiredAssessment
from pontio.referrals.contact import ContactRoute

CONTEXT = AuditContext.system("test")
CARMS, CERED, PEMBS, POWYS = "W06000010", "W06000008", "W06000009", "W06000023"

# An adult (born 1990) living in Llanelli, Carmarthenshire, unless told otherwise.
make_person = functools.partial(_make_person, county_code=CARMS)


def suite(code: str = "LLANELLI") -> CustodySuite:
    return CustodySuite.objects.get(code=code)


def offence(code: str) -> Offence:
    return Offence.objects.get(code=code)


def book(
    actor: Any,
    person: Any,
    *offences: tuple[str, bool | None] | str,
    suite_code: str = "LLANELLI",
    arrested_at: dt.datetime | None = None,
    number: str = "",
    **changes: Any,
) -> CustodyRecord:
    entries = [
        services.OffenceEntry(offence(item))
        if isinstance(item, str)
        else services.OffenceEntry(offence(item[0]), item[1])
        for item in (offences or ("TA1968_S1",))
    ]
    book.counter += 1  # type: ignore[attr-defined]
    data = services.BookingData(
        custody_number=number or f"LL/{book.counter:05d}/26",  # type: ignore[attr-defined]
        suite=suite(suite_code),
        arrested_at=arrested_at or timezone.now() - dt.timedelta(hours=2),
        offences=entries,
        **changes,
    )
    return services.custody_book(context=CONTEXT, actor=actor, data=data, person_id=person.pk)


book.counter = 0  # type: ignore[attr-defined]


def fresh(record: CustodyRecord) -> CustodyRecord:
    return CustodyRecord.objects.get(pk=record.pk)


def request(actor: Any, record: CustodyRecord, stage: str = "arrest", **changes: Any) -> DrugTest:
    values: dict[str, Any] = {"warning_given": True, "appropriate_adult_present": False}
    values.update(changes)
    return services.test_request(
        context=CONTEXT,
        actor=actor,
        record_id=record.pk,
        expected_version=fresh(record).version,
        stage=stage,
        **values,
    )


def sample(actor: Any, record: CustodyRecord, result: str = "cocaine", **changes: Any) -> DrugTest:
    services.test_outcome(
        context=CONTEXT,
        actor=actor,
        record_id=record.pk,
        expected_version=fresh(record).version,
        outcome="sample_taken",
    )
    return services.test_result(
        context=CONTEXT,
        actor=actor,
        record_id=record.pk,
        expected_version=fresh(record).version,
        result=result,
        **changes,
    )


def positive(actor: Any, person: Any, result: str = "cocaine", **changes: Any) -> CustodyRecord:
    record = book(actor, person)
    request(actor, record)
    sample(actor, record, result, **changes)
    return fresh(record)


def contact() -> ContactRoute:
    return ContactRoute(phone="07700 900123", channels=["phone"])


def next_working_day(days: int = 7, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def impose(
    actor: Any, record: CustodyRecord, at: dt.datetime | None = None, **changes: Any
) -> RequiredAssessment:
    values: dict[str, Any] = {
        "appointment_at": at or next_working_day(),
        "appointment_place": "Dyfed Drug and Alcohol Service, 1 Stepney Street, Llanelli",
        "contact": contact(),
        "consent_given": True,
    }
    values.update(changes)
    return services.assessment_impose(
        context=CONTEXT,
        actor=actor,
        record_id=record.pk,
        expected_version=fresh(record).version,
        **values,
    )
