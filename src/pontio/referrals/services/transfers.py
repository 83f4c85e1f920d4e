"""Provider-to-provider transfer: a provider proposes to move a referral it is working to
another service in the directory; the receiving provider accepts or declines.

- The sending provider's staff (``referrals.work``, the referral in their scope) propose,
  once the referral has reached them (received, accepted, in progress or on hold), with a
  reason, to a different directory service that can take the person by the same routing
  rules as the officer's page (``routing.assess``). The person may be assessed for the
  referral's county or, when they have moved since, for the county of their current
  address (``transfer_options``).
- The receiving provider's staff decide: a manager of ``to_provider``, or a caseworker or
  navigator of it covering the county the new referral will be for (``may_decide``).
- Accepting makes a new referral at the receiving service with the same person, contact
  route, risks, needs and consent; the referring officer and force stay the original ones;
  it points back to the old referral (``transferred_from``), is accepted by the decider, and
  its timers start on the day of acceptance. The old referral is cancelled with
  ``lifecycle.TRANSFER_CODE``. The referring officer and their supervisors get an alert.
- Declining needs a reason; the old referral carries on unchanged. The proposer may
  withdraw a proposal still waiting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import PROVIDER_ROLES, Role
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.directory.models import Service
from pontio.referrals import lifecycle, routing, sla
from pontio.referrals.models import Alert, Party, Referral, Status, Transfer
from pontio.referrals.services.common import age_on, check_texts, lock_referral, snapshot
from pontio.referrals.services.create import (
    FLAT_FIELDS,
    _make_reference,
    current_county,
    data_of,
    need_for,
)
from pontio.referrals.services.notify import alert_police, page_link, queue_link_emails

TEMPLATE = "referral_transfer"
# The statuses a referral may be transferred from: it has reached the provider and is open.
TRANSFERABLE = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD})
# What the new referral copies besides the officer's data (amendable needs).
NEEDS_FIELDS = ("support_needs", "interpreter_language", "accessibility_needs")


# --- which services can take the person -------------------------------------------------


def counties_for(referral: Referral) -> list[County]:
    """The county the referral is for, then the person's current county if they moved."""
    counties = [referral.county]
    now = current_county(referral.person)
    if now is not None and now.pk != referral.county_id:
        counties.append(now)
    return counties


def transfer_options(
    referral: Referral, today: dt.date | None = None
) -> list[tuple[routing.Option, County]]:
    """Every directory service assessed for this person (the officer's routing rules), with
    the county it would take them for; eligible first. The current service is left out."""
    data = data_of(referral)
    services = [s for s in routing.candidate_services() if s.pk != referral.service_id]
    assessed: dict[int, tuple[routing.Option, County]] = {}
    for county in counties_for(referral):
        data.county = county
        for option in routing.route(need_for(referral.person, data, today), services):
            known = assessed.get(option.service.pk)
            if known is None or (option.eligible and not known[0].eligible):
                assessed[option.service.pk] = (option, county)
    return sorted(assessed.values(), key=lambda pair: pair[0].sort_key())


def _assess_target(referral: Referral, service_id: int) -> tuple[Service, County]:
    """The service and the county it takes the person for; else the routing's reason."""
    if service_id == referral.service_id:
        raise ValidationError(
            {
                "service": [
                    ValidationError(
                        _("Choose a service other than the current one"), code="same_service"
                    )
                ]
            }
        )
    found = next(
        (pair for pair in transfer_options(referral) if pair[0].service.pk == service_id), None
    )
    if found is None:
        raise ValidationError(
            {
                "service": [
                    ValidationError(_("Choose a service from the list"), code="unknown_service")
                ]
            }
        )
    option, county = found
    if not option.eligible:
        raise ValidationError(
            {
                "service": [
                    ValidationError(
                        _("This service cannot take the person: %(why)s")
                        % {"why": "; ".join(option.problems)},
                        code="not_eligible",
                    )
                ]
            }
        )
    if option.service.organisation.owner_id is None:
        raise ValidationError(
            {
                "service": [
                    _("%(service)s has no Pontio inbox") % {"service": option.service.display_name}
                ]
            },
            code="no_inbox",
        )
    return option.service, county


def _owner_id(service: Service) -> int:
    owner_id = service.organisation.owner_id
    if owner_id is None:  # checked by ``_assess_target``
        raise PermissionDenied
    return owner_id


# --- who is told, who decides -------------------------------------------------------------


def receiving_staff(transfer: Transfer, county_id: int) -> list[User]:
    """The receiving provider's staff who look after the county (managers always)."""
    return list(
        User.objects.filter(
            organisation_id=transfer.to_provider_id,
            is_active=True,
            role_grants__role__in=list(PROVIDER_ROLES),
        )
        .filter(
            Q(force_wide=True) | Q(counties=county_id) | Q(role_grants__role=Role.PROVIDER_MANAGER)
        )
        .distinct()
    )


def _notify_receiving(transfer: Transfer, county_id: int) -> None:
    """A link-only email to the transfer's page (no name, no detail): the receiving staff
    cannot open the referral itself."""
    link = page_link(reverse("referrals:transfer-decide", args=[transfer.pk]))
    queue_link_emails(receiving_staff(transfer, county_id), TEMPLATE, link)


def may_decide(user: User, transfer: Transfer, county_id: int | None = None) -> bool:
    """A manager of the receiving provider, or its caseworker or navigator covering the
    county the new referral is for (the staff who would see the new referral)."""
    if user.organisation_id != transfer.to_provider_id or not user.has_role(*PROVIDER_ROLES):
        return False
    if user.has_role(Role.PROVIDER_MANAGER) or user.force_wide:
        return True
    if county_id is None:
        county_id = target_county(transfer).pk
    return county_id in user.county_ids


def target_county_of(referral: Referral, to_service: Service) -> County:
    """The county a new referral at ``to_service`` would be for: the first it serves."""
    served = set(to_service.counties.values_list("pk", flat=True))
    counties = counties_for(referral)
    return next((c for c in counties if c.pk in served), counties[0])


def target_county(transfer: Transfer) -> County:
    return target_county_of(transfer.referral, transfer.to_service)


def _lock_transfer(actor: User, transfer_id: int) -> Transfer:
    require_permission(actor, "referrals.work")
    transfer = (
        restrict(Transfer.objects.select_for_update(), actor, "change")
        .filter(pk=transfer_id)
        .select_related("referral", "to_service", "to_provider")
        .first()
    )
    if transfer is None:
        raise PermissionDenied
    return transfer


def _still_proposed(transfer: Transfer) -> None:
    if transfer.state != Transfer.State.PROPOSED:
        raise ValidationError(
            _("This transfer has already been %(state)s")
            % {"state": str(Transfer.State(transfer.state).label).lower()},
            code="transfer_decided",
        )


# --- proposing and withdrawing ------------------------------------------------------------


@transaction.atomic
def transfer_propose(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    expected_version: int | None,
    service_id: int | None,
    reason: str,
) -> Transfer:
    """Propose to move the referral to another service (the receiving staff are told)."""
    referral = lock_referral(actor, referral_id, "referrals.work")
    if referral.status not in TRANSFERABLE:
        raise ValidationError(
            _("Only an open referral that has reached your service can be transferred"),
            code="not_transferable",
        )
    errors: dict[str, list[Any]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Enter why the referral should be transferred")]
    if not service_id:
        errors["service"] = [_("Choose the service to transfer the referral to")]
    if errors:
        raise ValidationError(errors)
    check_texts(reason=reason)
    if Transfer.objects.filter(referral=referral, state=Transfer.State.PROPOSED).exists():
        raise ValidationError(
            _("A transfer of this referral is already waiting for a decision"),
            code="transfer_waiting",
        )
    service, county = _assess_target(referral, int(service_id or 0))
    check_version(referral, expected_version)
    referral.save(update_fields=["version", "updated_at"])
    transfer = Transfer.objects.create(
        referral=referral,
        to_service=service,
        to_provider_id=_owner_id(service),
        reason=reason,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=transfer,
        person_id=referral.person_id,
        after=snapshot(transfer),
    )
    _notify_receiving(transfer, county.pk)
    return transfer


@transaction.atomic
def transfer_withdraw(
    *,
    context: AuditContext,
    actor: User,
    transfer_id: int,
    expected_version: int | None,
) -> Transfer:
    """The proposing provider takes back a proposal still waiting."""
    transfer = _lock_transfer(actor, transfer_id)
    # The sender's staff: the referral in their own scope (not merely the receiving side).
    lock_referral(actor, transfer.referral_id, "referrals.work")
    if actor.organisation_id != transfer.referral.provider_id:
        raise PermissionDenied
    _still_proposed(transfer)
    before = snapshot(transfer)
    check_version(transfer, expected_version)
    transfer.state = Transfer.State.WITHDRAWN
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=transfer,
        person_id=transfer.referral.person_id,
        reason="transfer withdrawn",
        before=before,
        after=snapshot(transfer),
    )
    return transfer


# --- deciding -----------------------------------------------------------------------------


def _new_referral(
    old: Referral, service: Service, county: County, actor: User, why: str, now: dt.datetime
) -> Referral:
    """The referral at the receiving service: the same person, details and consent, the
    same referring officer; its timers start on the day of acceptance."""
    today = timezone.localtime(now).date()
    values = {name: getattr(old, name) for name in (*FLAT_FIELDS, *NEEDS_FIELDS)}
    values.pop("substances")
    values["county"] = county
    referral = Referral(
        **values,
        consent_id=old.consent_id,
        reference=f"new-{now.timestamp()}-{actor.pk}"[:20],
        person_id=old.person_id,
        age_at_referral=age_on(old.person.date_of_birth, today),
        service=service,
        provider_id=_owner_id(service),
        proposed_service=None,
        routing_reason=why,
        referred_by_id=old.referred_by_id,
        referring_organisation_id=old.referring_organisation_id,
        transferred_from=old,
        status=Status.REQUESTED,
        next_actor=Party.PROVIDER,
        sent_at=now,
        sent_on=today,
        **sla.due_dates(today),
    )
    referral.save()
    referral.reference = _make_reference(referral)
    referral.save(update_fields=["reference"])
    referral.substances.set(old.substances.all())
    referral.events.create(
        at=now,
        actor=actor,
        actor_organisation_id=actor.organisation_id,
        from_status="",
        to_status=Status.REQUESTED,
        reason=why,
    )
    return referral


@transaction.atomic
def transfer_decide(
    *,
    context: AuditContext,
    actor: User,
    transfer_id: int,
    expected_version: int | None,
    accept: bool,
    reason: str = "",
) -> Transfer:
    """Accept (a new referral at the receiving service; the old one closed as transferred)
    or decline (with a reason; the old referral carries on)."""
    transfer = _lock_transfer(actor, transfer_id)
    county = target_county(transfer)
    if not may_decide(actor, transfer, county.pk):
        raise PermissionDenied
    _still_proposed(transfer)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(
            {"reason": [_("Enter why you are declining the transfer")]}, code="reason_required"
        )
    check_texts(reason=reason)
    before = snapshot(transfer)
    check_version(transfer, expected_version)
    now = timezone.now()
    transfer.decided_by = actor
    transfer.decided_at = now
    transfer.decision_reason = reason
    if not accept:
        transfer.state = Transfer.State.DECLINED
        transfer.save()
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=transfer,
            person_id=transfer.referral.person_id,
            reason="transfer declined",
            before=before,
            after=snapshot(transfer),
        )
        return transfer
    old = Referral.objects.select_for_update().select_related("person").get(pk=transfer.referral_id)
    if old.status not in TRANSFERABLE or Referral.objects.filter(transferred_from=old).exists():
        raise ValidationError(
            _("The referral has been closed since the transfer was proposed"),
            code="not_transferable",
        )
    # Still a service that can take the person (the directory may have changed).
    service, county = _assess_target(old, transfer.to_service_id)
    old_before = snapshot(old)
    lifecycle.transition(
        old,
        Status.CANCELLED,
        actor=actor,
        party=Party.PROVIDER,
        code=lifecycle.TRANSFER_CODE,
        reason=_("Transferred to %(service)s") % {"service": service.display_name},
        at=now,
    )
    old.version += 1
    old.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=old,
        person_id=old.person_id,
        reason="transferred",
        before=old_before,
        after=snapshot(old),
    )
    why = _("Transferred from %(service)s: %(reason)s") % {
        "service": old.service.display_name,
        "reason": transfer.reason,
    }
    new = _new_referral(old, service, county, actor, why, now)
    lifecycle.transition(new, Status.ACCEPTED, actor=actor, party=Party.PROVIDER, at=now)
    new.save()
    after = snapshot(new)
    after["substances"] = [s.code for s in new.substances.all()]
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=new,
        person_id=new.person_id,
        reason="transfer accepted",
        after=after,
    )
    transfer.state = Transfer.State.ACCEPTED
    transfer.new_referral = new
    transfer.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=transfer,
        person_id=old.person_id,
        reason="transfer accepted",
        before=before,
        after=snapshot(transfer),
    )
    alert_police(new, Alert.Kind.TRANSFERRED)
    return transfer
