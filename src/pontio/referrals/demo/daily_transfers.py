"""Demo transfers: one referral of the Dyfed Drug and Alcohol Service transferred to
Kaleidoscope Powys and accepted there, and one proposed and waiting for Kaleidoscope
Powys ("powys.caseworker"). The people have moved to Powys (a new current address added by
the referring officer), which is why Kaleidoscope Powys can take them. Idempotent."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.models import County
from pontio.directory.models import Service
from pontio.people.services.parts import AddressData, address_add
from pontio.referrals import routing
from pontio.referrals.models import Referral, Transfer
from pontio.referrals.services import transfers as service
from pontio.referrals.services.create import data_of, need_for

SENDER = "Dyfed Drug and Alcohol Service"
RECEIVER = "Kaleidoscope Powys"
POWYS = "W06000023"
REASON = "The person has moved to Llandrindod Wells and asked to be supported nearer home."


def _takes_them_in_powys(referral: Referral, target: Service, powys: County) -> bool:
    data = dataclasses.replace(data_of(referral), county=powys)
    return routing.assess(target, need_for(referral.person, data)).eligible


def _move_to_powys(context: AuditContext, referral: Referral, now: dt.datetime) -> bool:
    officer = referral.referred_by
    person = referral.person
    try:
        address_add(
            context=context,
            actor=officer,
            person_id=person.pk,
            expected_version=person.version,
            data=AddressData(
                line_1="4 Temple Street",
                town="Llandrindod Wells",
                postcode="LD1 5DP",
                valid_from=now.date(),
                county=County.objects.get(ons_code=POWYS),
            ),
        )
    except (ValidationError, PermissionDenied):  # a person the officer cannot change
        return False
    return True


def seed(context: AuditContext, now: dt.datetime) -> int:
    target = (
        Service.objects.filter(organisation__owner__name=RECEIVER, accepts_pontio_referrals=True)
        .order_by("name")
        .first()
    )
    sender = User.objects.filter(
        organisation__name=SENDER, role_grants__role="provider_manager", is_active=True
    ).first()
    receiver = User.objects.filter(username="powys.caseworker", is_active=True).first()
    if target is None or sender is None or receiver is None:
        return 0
    made = 0
    # Once made, a demo user may decide the waiting one: that does not make it wanted again.
    done = Transfer.objects.filter(to_service=target, referral__provider__name=SENDER)
    wanted: list[str] = []
    if not done.filter(state=Transfer.State.ACCEPTED).exists():
        wanted.append(Transfer.State.ACCEPTED)
    if done.count() < 2 and not done.exclude(state=Transfer.State.ACCEPTED).exists():
        wanted.append(Transfer.State.PROPOSED)
    if not wanted:
        return 0
    powys = County.objects.get(ons_code=POWYS)
    candidates = list(
        Referral.objects.filter(provider__name=SENDER, status__in=service.TRANSFERABLE)
        .exclude(transfers__state=Transfer.State.PROPOSED)
        .select_related("person", "county", "referred_by")
        .order_by("pk")
    )
    # People not yet transferred first; another referral of the same person if need be.
    used: set[int] = set()
    for distinct in (True, False):
        for referral in candidates:
            if not wanted:
                break
            if distinct and referral.person_id in used:
                continue
            referral.refresh_from_db()
            if referral.status not in service.TRANSFERABLE:
                continue
            if not _takes_them_in_powys(referral, target, powys):
                continue
            if service.target_county_of(referral, target) != powys and not _move_to_powys(
                context, referral, now
            ):
                continue
            referral.refresh_from_db()
            transfer = service.transfer_propose(
                context=context,
                actor=sender,
                referral_id=referral.pk,
                expected_version=referral.version,
                service_id=target.pk,
                reason=REASON,
            )
            made += 1
            used.add(referral.person_id)
            if wanted.pop(0) == Transfer.State.ACCEPTED:
                service.transfer_decide(
                    context=context,
                    actor=receiver,
                    transfer_id=transfer.pk,
                    expected_version=transfer.version,
                    accept=True,
                )
                made += 1
    return made
