"""Writes to referrals, each in one transaction with its audit event (person id set).

A referral acknowledged to the user is saved with its first event and its audit record in
the same transaction, so it is never lost; a retried create with the same idempotency key
returns the referral already made. Every update names the version it started from.

Lawful basis: the police share a person's details with a provider with their consent or,
without it, under DPA 2018 Part 3 (s31 law enforcement purposes; s35 and Schedule 8 for the
health details a referral carries), which needs the force's policy reference (its
Appropriate Policy Document or information sharing protocol under WASPI); see DOMAIN.md
§8.2. The provider then processes the referral under UK GDPR.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import POLICE_SUPERVISOR_ROLES, PROVIDER_ROLES, Role
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import County, Notification, snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.directory.models import Service, Substance
from pontio.people.models import ConsentRecord, Person
from pontio.referrals import lifecycle, routing, sla
from pontio.referrals.contact import ContactRoute, check_contact_route
from pontio.referrals.models import (
    FINISHED,
    Alert,
    Appointment,
    ClinicalRecord,
    ContactAttempt,
    ContactChannel,
    Party,
    Pathway,
    Referral,
    ReferralCode,
    Status,
    TopEntry,
    TopStage,
)

SNAPSHOT_EXCLUDE = {"created_at", "updated_at"}
MAX_REASON = 4000


def snapshot(obj: Any) -> dict[str, Any]:
    return snapshot_fields(obj, exclude=SNAPSHOT_EXCLUDE)


def party_of(user: User) -> str:
    """Which side of the referral the user acts for."""
    return Party.PROVIDER if user.has_role(*PROVIDER_ROLES) else Party.POLICE


def age_on(date_of_birth: dt.date | None, on: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


# --- create ---------------------------------------------------------------------------


@dataclass
class ReferralData:
    """What the officer enters. ``county`` defaults to the person's current county."""

    pathway: str
    reason: str
    substances: tuple[Substance, ...]
    consent_given: bool
    lawful_basis: str = ""
    policy_reference: str = ""
    preferred_language: str = ""
    contact: ContactRoute = field(default_factory=ContactRoute)
    contact_times: str = ""
    risk_notes: str = ""
    safeguarding_notes: str = ""
    source_reference: str = ""
    county: County | None = None


def current_county(person: Person) -> County | None:
    address = (
        person.addresses.filter(valid_to__isnull=True, county__isnull=False)
        .select_related("county")
        .defer("county__boundary")
        .order_by("-valid_from", "-pk")
        .first()
    )
    return address.county if address else None


def check_referral_data(data: ReferralData, person: Person) -> ReferralData:
    """The data cleaned, or one ValidationError naming every problem (by field)."""
    errors: dict[str, list[str]] = {}
    if data.pathway not in Pathway.values:
        errors["pathway"] = [_("Choose the police contact the referral comes from")]
    reason = (data.reason or "").strip()
    if not reason:
        errors["reason"] = [_("Enter the reason for the referral")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("The reason must be 4000 characters or fewer")]
    if not data.substances:
        errors["substances"] = [_("Choose at least one substance")]
    basis = data.lawful_basis
    policy = (data.policy_reference or "").strip()
    if data.consent_given:
        basis = ConsentRecord.Basis.CONSENT
    else:
        if basis not in ConsentRecord.Basis.values or basis == ConsentRecord.Basis.CONSENT:
            errors["lawful_basis"] = [
                _(
                    "The person has not consented: choose the lawful basis for sharing "
                    "without consent"
                )
            ]
        if not policy:
            errors["policy_reference"] = [
                _(
                    "Enter the policy reference for sharing without consent, like the "
                    "information sharing protocol"
                )
            ]
    language = data.preferred_language or person.preferred_language
    if language not in ("en", "cy"):
        errors["preferred_language"] = [_("Choose English or Welsh")]
    county = data.county or current_county(person)
    if county is None:
        errors["county"] = [_("Choose the county the person lives in or will be supported in")]
    try:
        contact = check_contact_route(data.contact)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
        contact = data.contact
    if errors:
        raise ValidationError(errors, code="invalid_referral")
    return ReferralData(
        pathway=data.pathway,
        reason=reason,
        substances=tuple(data.substances),
        consent_given=data.consent_given,
        lawful_basis=basis,
        policy_reference=policy,
        preferred_language=language,
        contact=contact,
        contact_times=(data.contact_times or "").strip()[:200],
        risk_notes=(data.risk_notes or "").strip(),
        safeguarding_notes=(data.safeguarding_notes or "").strip(),
        source_reference=(data.source_reference or "").strip()[:40],
        county=county,
    )


def need_for(person: Person, data: ReferralData, today: dt.date | None = None) -> routing.Need:
    today = today or timezone.localdate()
    county = data.county or current_county(person)
    if county is None:
        raise ValidationError(
            {"county": [_("Choose the county the person lives in or will be supported in")]}
        )
    return routing.Need(
        county=county,
        pathway=data.pathway,
        substances=tuple(data.substances),
        age=age_on(person.date_of_birth, today),
        gender=person.gender,
    )


def _viewable_person(actor: User, person_id: int) -> Person:
    person = (
        restrict(Person.objects.all(), actor, "view").filter(pk=person_id, is_active=True).first()
    )
    if person is None:
        raise PermissionDenied
    return person


def _provider_organisation(service: Service) -> Any:
    owner = service.organisation.owner
    if owner is None:
        raise ValidationError(
            {"service": [_("%(service)s has no Pontio inbox") % {"service": service.display_name}]}
        )
    return owner


def _choose_service(
    need: routing.Need, service_id: int
) -> tuple[Service, routing.Option, routing.Option | None]:
    options = routing.route(need)
    chosen = next((o for o in options if o.service.pk == service_id), None)
    if chosen is None:
        raise ValidationError(
            {"service": [_("Choose a service from the list")]}, code="unknown_service"
        )
    if not chosen.eligible:
        raise ValidationError(
            {
                "service": [
                    _("This service cannot take the referral: %(why)s")
                    % {"why": "; ".join(chosen.problems)}
                ]
            },
            code="not_eligible",
        )
    return chosen.service, chosen, routing.proposal(options)


def _make_reference(referral: Referral) -> str:
    return f"PR{referral.sent_on:%y}-{referral.pk:06d}"


def referral_create(
    *,
    context: AuditContext,
    actor: User,
    person_id: int,
    data: ReferralData,
    service_id: int,
    idempotency_key: str = "",
    transferred_from: Referral | None = None,
) -> tuple[Referral, bool]:
    """Send a referral; returns (referral, created). A repeated idempotency key returns the
    first referral made with it and changes nothing."""
    require_permission(actor, "referrals.create")
    key = (idempotency_key or "").strip()[:80]
    if key:
        existing = Referral.objects.filter(referred_by=actor, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    person = _viewable_person(actor, person_id)
    cleaned = check_referral_data(data, person)
    now = timezone.now()
    today = timezone.localtime(now).date()
    need = need_for(person, cleaned, today)
    service, chosen, proposed = _choose_service(need, service_id)
    provider = _provider_organisation(service)
    why = "; ".join(chosen.reasons)
    contact = cleaned.contact
    try:
        with transaction.atomic():
            referral = Referral(
                reference=f"new-{timezone.now().timestamp()}-{actor.pk}"[:20],
                person=person,
                pathway=cleaned.pathway,
                source_reference=cleaned.source_reference,
                reason=cleaned.reason,
                risk_notes=cleaned.risk_notes,
                safeguarding_notes=cleaned.safeguarding_notes,
                consent_given=cleaned.consent_given,
                lawful_basis=cleaned.lawful_basis,
                policy_reference=cleaned.policy_reference,
                preferred_language=cleaned.preferred_language,
                contact_channels=list(contact.channels),
                contact_times=cleaned.contact_times,
                contact_phone=contact.phone,
                address_line_1=contact.address_line_1,
                address_line_2=contact.address_line_2,
                address_town=contact.address_town,
                address_postcode=contact.address_postcode,
                release_plan=contact.release_plan,
                county=need.county,
                age_at_referral=need.age,
                service=service,
                provider=provider,
                proposed_service=proposed.service if proposed else None,
                routing_reason=why,
                referred_by=actor,
                referring_organisation=actor.organisation,
                transferred_from=transferred_from,
                idempotency_key=key,
                status=Status.REQUESTED,
                next_actor=Party.PROVIDER,
                sent_at=now,
                sent_on=today,
                **sla.due_dates(today),
            )
            referral.save()
            referral.reference = _make_reference(referral)
            referral.save(update_fields=["reference"])
            referral.substances.set(cleaned.substances)
            referral.events.create(
                at=now,
                actor=actor,
                actor_organisation_id=actor.organisation_id,
                from_status="",
                to_status=Status.REQUESTED,
                reason=why,
            )
            after = snapshot(referral)
            after["substances"] = [s.code for s in cleaned.substances]
            audit_record(
                context=context,
                action=AuditAction.CREATE,
                obj=referral,
                person_id=person.pk,
                after=after,
            )
            _notify_provider(referral)
    except IntegrityError:
        if key:
            existing = Referral.objects.filter(referred_by=actor, idempotency_key=key).first()
            if existing is not None:
                return existing, False
        raise
    return referral, True


# --- notifications and alerts ---------------------------------------------------------


def _link(referral: Referral) -> str:
    return settings.PONTIO_BASE_URL.rstrip("/") + reverse("referrals:detail", args=[referral.pk])


def _queue_notifications(users: list[User], template: str, referral: Referral) -> None:
    """Link-only emails (GOV.UK Notify): no name, no detail, just where to look."""
    link = _link(referral)
    made = [
        Notification.objects.create(
            template=template,
            language=user.preferred_language,
            recipient_user_id=user.pk,
            email_address=user.email,
            link=link,
        )
        for user in users
        if user.email
    ]
    if made:
        from pontio.referrals.tasks import send_notifications

        ids = [n.pk for n in made]
        transaction.on_commit(lambda: send_notifications.enqueue(notification_ids=ids))


def provider_recipients(referral: Referral) -> list[User]:
    """Staff of the provider who look after referrals in the referral's county."""
    users = (
        User.objects.filter(
            organisation_id=referral.provider_id,
            is_active=True,
            role_grants__role__in=list(PROVIDER_ROLES),
        )
        .filter(
            Q(force_wide=True)
            | Q(counties=referral.county_id)
            | Q(role_grants__role=Role.PROVIDER_MANAGER)
        )
        .distinct()
    )
    return list(users)


def police_recipients(referral: Referral) -> list[User]:
    """The referring officer and their supervisors (sergeants and inspectors of the area)."""
    supervisors = (
        User.objects.filter(
            organisation_id=referral.referring_organisation_id,
            is_active=True,
            role_grants__role__in=list(POLICE_SUPERVISOR_ROLES),
        )
        .filter(Q(force_wide=True) | Q(counties=referral.county_id))
        .exclude(pk=referral.referred_by_id)
        .distinct()
    )
    officer = referral.referred_by
    return ([officer] if officer.is_active else []) + list(supervisors)


def _notify_provider(referral: Referral) -> None:
    _queue_notifications(provider_recipients(referral), "referral_received", referral)


def alert_police(referral: Referral, kind: str) -> list[Alert]:
    recipients = police_recipients(referral)
    alerts = [Alert.objects.create(recipient=u, referral=referral, kind=kind) for u in recipients]
    _queue_notifications(recipients, "referral_update", referral)
    return alerts


# --- moves ----------------------------------------------------------------------------


def _lock(actor: User, referral_id: int, permission: str) -> Referral:
    require_permission(actor, permission)
    referral = (
        restrict(Referral.objects.select_for_update(), actor, "change")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise PermissionDenied
    return referral


def _save_move(
    *,
    context: AuditContext,
    actor: User,
    referral: Referral,
    before: dict[str, Any],
    reason: str = "",
) -> Referral:
    referral.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=referral,
        person_id=referral.person_id,
        reason=reason[:200],
        before=before,
        after=snapshot(referral),
    )
    return referral


def _after_move(referral: Referral, to_status: str, party: str) -> None:
    if party == Party.POLICE:
        # A withdrawal: the provider's staff are told (link only) so nobody keeps working it.
        _queue_notifications(provider_recipients(referral), "referral_update", referral)
        return
    if to_status == Status.REJECTED:
        alert_police(referral, Alert.Kind.REJECTED)
    elif (
        to_status in FINISHED
        and referral.status_code
        and referral.status_code.kind == ReferralCode.Kind.CLOSURE
    ):
        alert_police(referral, Alert.Kind.CLOSED)


@transaction.atomic
def referral_transition(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    expected_version: int | None,
    to_status: str,
    code: ReferralCode | str | None = None,
    reason: str = "",
) -> Referral:
    """Move a referral (accept, reject, hold, resume, close, withdraw) by the lifecycle table."""
    party = party_of(actor)
    permission = "referrals.work" if party == Party.PROVIDER else "referrals.withdraw"
    referral = _lock(actor, referral_id, permission)
    if party == Party.POLICE and to_status != Status.CANCELLED:
        raise ValidationError(
            _("The police can withdraw a referral; the provider makes every other change"),
            code="wrong_party",
        )
    before = snapshot(referral)
    check_version(referral, expected_version)
    lifecycle.transition(referral, to_status, actor=actor, party=party, code=code, reason=reason)
    _save_move(context=context, actor=actor, referral=referral, before=before, reason=reason)
    _after_move(referral, to_status, party)
    return referral


@transaction.atomic
def referral_mark_received(
    *, context: AuditContext, actor: User, referral_id: int
) -> Referral | None:
    """The provider has opened a new referral: requested -> received (once, no version)."""
    if party_of(actor) != Party.PROVIDER:
        return None
    referral = _lock(actor, referral_id, "referrals.work")
    if referral.status != Status.REQUESTED:
        return referral
    before = snapshot(referral)
    referral.version += 1
    lifecycle.transition(
        referral,
        Status.RECEIVED,
        actor=actor,
        party=Party.PROVIDER,
        reason=_("Opened by the provider"),
    )
    return _save_move(context=context, actor=actor, referral=referral, before=before)


@transaction.atomic
def referral_allocate(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    expected_version: int | None,
    caseworker_id: int | None,
) -> Referral:
    referral = _lock(actor, referral_id, "referrals.allocate")
    caseworker = None
    if caseworker_id is not None:
        caseworker = (
            User.objects.filter(
                pk=caseworker_id,
                is_active=True,
                organisation_id=referral.provider_id,
                role_grants__role__in=list(PROVIDER_ROLES),
            )
            .distinct()
            .first()
        )
        if caseworker is None:
            raise ValidationError(
                {"caseworker": [_("Choose a caseworker of your organisation")]},
                code="unknown_caseworker",
            )
    before = snapshot(referral)
    check_version(referral, expected_version)
    referral.allocated_to = caseworker
    return _save_move(context=context, actor=actor, referral=referral, before=before)


# --- provider work --------------------------------------------------------------------


def _save_work(
    context: AuditContext, referral: Referral, record: Any, before: dict[str, Any]
) -> None:
    """Save the referral a piece of work changed, and audit the new row and the change."""
    referral.version += 1
    referral.save()
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=record,
        person_id=referral.person_id,
        after=snapshot(record),
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=referral,
        person_id=referral.person_id,
        before=before,
        after=snapshot(referral),
    )


WORKING = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD})


def _require_working(referral: Referral) -> None:
    if referral.status in (Status.REQUESTED, Status.RECEIVED):
        raise ValidationError(
            _("Accept the referral before recording work on it"), code="not_accepted"
        )
    if referral.status not in WORKING:
        raise ValidationError(
            _("This referral is closed: nothing more can be recorded on it"), code="closed"
        )


def _check_when(
    when: dt.date, referral: Referral, field_name: str, today: dt.date | None = None
) -> None:
    today = today or timezone.localdate()
    if when > today:
        raise ValidationError({field_name: [_("The date cannot be in the future")]}, code="future")
    if when < referral.sent_on:
        raise ValidationError(
            {
                field_name: [
                    _("The date cannot be before the referral was sent (%(date)s)")
                    % {"date": referral.sent_on.strftime("%d/%m/%Y")}
                ]
            },
            code="before_referral",
        )


def _start_work(actor: User, referral: Referral, reason: str) -> None:
    """First real contact or attendance starts the work: accepted -> in-progress."""
    if referral.status == Status.ACCEPTED:
        lifecycle.transition(
            referral, Status.IN_PROGRESS, actor=actor, party=Party.PROVIDER, reason=reason
        )


@transaction.atomic
def contact_attempt_add(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    at: dt.datetime,
    channel: str,
    outcome: str,
    notes: str = "",
) -> ContactAttempt:
    referral = _lock(actor, referral_id, "referrals.work")
    _require_working(referral)
    if channel not in ContactChannel.values:
        raise ValidationError({"channel": [_("Choose how you tried to make contact")]})
    if outcome not in ContactAttempt.Outcome.values:
        raise ValidationError({"outcome": [_("Choose the outcome of the attempt")]})
    _check_when(timezone.localtime(at).date(), referral, "at")
    before = snapshot(referral)
    attempt = ContactAttempt.objects.create(
        referral=referral,
        at=at,
        channel=channel,
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=actor,
    )
    day = timezone.localtime(at).date()
    if referral.first_contact_on is None or day < referral.first_contact_on:
        referral.first_contact_on = day
    if outcome in ContactAttempt.SUCCESSFUL:
        _start_work(actor, referral, _("Contact made"))
    referral.version += 1
    referral.save()
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=attempt,
        person_id=referral.person_id,
        after=snapshot(attempt),
    )
    if before != snapshot(referral):
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=referral,
            person_id=referral.person_id,
            before=before,
            after=snapshot(referral),
        )
    return attempt


@transaction.atomic
def appointment_book(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    kind: str,
    starts_at: dt.datetime,
    place: str = "",
) -> Appointment:
    referral = _lock(actor, referral_id, "referrals.work")
    _require_working(referral)
    if kind not in Appointment.Kind.values:
        raise ValidationError({"kind": [_("Choose the type of appointment")]})
    if timezone.localtime(starts_at).date() < referral.sent_on:
        raise ValidationError(
            {"starts_at": [_("The appointment cannot be before the referral was sent")]}
        )
    appointment = Appointment.objects.create(
        referral=referral,
        kind=kind,
        starts_at=starts_at,
        place=place.strip()[:200],
        recorded_by=actor,
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=appointment,
        person_id=referral.person_id,
        after=snapshot(appointment),
    )
    return appointment


@transaction.atomic
def appointment_record_attendance(
    *,
    context: AuditContext,
    actor: User,
    appointment_id: int,
    expected_version: int | None,
    attendance: str,
) -> Appointment:
    require_permission(actor, "referrals.work")
    appointment = (
        restrict(Appointment.objects.select_for_update(), actor, "change")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise PermissionDenied
    referral = _lock(actor, appointment.referral_id, "referrals.work")
    _require_working(referral)
    if (
        attendance not in Appointment.Attendance.values
        or attendance == Appointment.Attendance.BOOKED
    ):
        raise ValidationError({"attendance": [_("Choose attended, did not attend or cancelled")]})
    if attendance in (Appointment.Attendance.ATTENDED, Appointment.Attendance.DID_NOT_ATTEND) and (
        appointment.starts_at > timezone.now()
    ):
        raise ValidationError(
            {"attendance": [_("The appointment has not happened yet: record attendance after it")]},
            code="future",
        )
    before = snapshot(appointment)
    referral_before = snapshot(referral)
    check_version(appointment, expected_version)
    appointment.attendance = attendance
    appointment.save()
    day = timezone.localtime(appointment.starts_at).date()
    if attendance == Appointment.Attendance.ATTENDED:
        _start_work(actor, referral, _("Attended an appointment"))
        if appointment.kind == Appointment.Kind.ASSESSMENT and referral.assessed_on is None:
            referral.assessed_on = day
    if referral_before != snapshot(referral):
        referral.version += 1
        referral.save()
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=referral,
            person_id=referral.person_id,
            before=referral_before,
            after=snapshot(referral),
        )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=appointment,
        person_id=referral.person_id,
        before=before,
        after=snapshot(appointment),
    )
    if attendance == Appointment.Attendance.DID_NOT_ATTEND:
        alert_police(referral, Alert.Kind.DID_NOT_ATTEND)
    return appointment


@transaction.atomic
def clinical_record_add(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    kind: str,
    on: dt.date,
    intervention: str = "",
    notes: str = "",
) -> ClinicalRecord:
    """Record the comprehensive assessment or the treatment start (sets the timer dates)."""
    referral = _lock(actor, referral_id, "referrals.work")
    _require_working(referral)
    if kind not in ClinicalRecord.Kind.values:
        raise ValidationError({"kind": [_("Choose assessment or treatment start")]})
    _check_when(on, referral, "on")
    if kind == ClinicalRecord.Kind.TREATMENT_START and (
        referral.assessed_on is None or on < referral.assessed_on
    ):
        raise ValidationError(
            {"on": [_("Record the assessment first: treatment starts on or after the assessment")]},
            code="no_assessment",
        )
    before = snapshot(referral)
    record = ClinicalRecord.objects.create(
        referral=referral,
        kind=kind,
        on=on,
        intervention=intervention.strip()[:120],
        notes=notes.strip(),
        recorded_by=actor,
    )
    if kind == ClinicalRecord.Kind.ASSESSMENT and (
        referral.assessed_on is None or on < referral.assessed_on
    ):
        referral.assessed_on = on
    if kind == ClinicalRecord.Kind.TREATMENT_START and referral.treatment_started_on is None:
        referral.treatment_started_on = on
    _start_work(actor, referral, _("Work started"))
    _save_work(context, referral, record, before)
    return record


TOP_DAY_FIELDS = (
    "alcohol_days",
    "opiates_days",
    "crack_days",
    "cocaine_days",
    "amphetamines_days",
    "cannabis_days",
    "other_days",
    "injecting_days",
    "shoplifting_days",
    "drug_selling_days",
    "vehicle_theft_days",
    "other_theft_days",
    "assault_days",
)
TOP_SCORE_FIELDS = ("psychological_health", "physical_health", "quality_of_life")


@transaction.atomic
def top_record(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    stage: str,
    interview_date: dt.date,
    main_substance: str,
    values: dict[str, Any],
) -> TopEntry:
    """Record a Treatment Outcomes Profile (start, review, exit or post-exit)."""
    from pontio.referrals.models import TOP_SUBSTANCES

    referral = _lock(actor, referral_id, "referrals.work")
    _require_working(referral)
    errors: dict[str, list[str]] = {}
    if stage not in TopStage.values:
        errors["stage"] = [_("Choose the stage of the profile")]
    if main_substance not in TOP_SUBSTANCES:
        errors["main_substance"] = [_("Choose the main problem substance")]
    for name in TOP_DAY_FIELDS:
        value = values.get(name)
        if value is not None and not (0 <= int(value) <= 28):
            errors[name] = [_("Enter a number of days from 0 to 28")]
    for name in TOP_SCORE_FIELDS:
        value = values.get(name)
        if value is not None and not (0 <= int(value) <= 20):
            errors[name] = [_("Enter a score from 0 to 20")]
    if main_substance in TOP_SUBSTANCES and values.get(f"{main_substance}_days") is None:
        errors[f"{main_substance}_days"] = [_("Enter the days the main problem substance was used")]
    try:
        _check_when(interview_date, referral, "interview_date")
    except ValidationError as error:
        errors.update(error.message_dict)
    entries = list(referral.top_entries.all())
    start = next((e for e in entries if e.stage == TopStage.START), None)
    if stage == TopStage.START and start is not None:
        errors["stage"] = [_("A start profile is already recorded for this referral")]
    if stage in (TopStage.REVIEW, TopStage.EXIT, TopStage.POST_EXIT):
        if start is None:
            errors["stage"] = [_("Record the start profile first")]
        elif interview_date < start.interview_date:
            errors["interview_date"] = [_("A review or exit cannot be before the start profile")]
    if errors:
        raise ValidationError(errors, code="invalid_top")
    before = snapshot(referral)
    entry = TopEntry.objects.create(
        referral=referral,
        stage=stage,
        interview_date=interview_date,
        main_substance=main_substance,
        recorded_by=actor,
        **{k: values.get(k) for k in (*TOP_DAY_FIELDS, *TOP_SCORE_FIELDS, "shared_equipment")},
    )
    if stage == TopStage.START and referral.treatment_started_on is None:
        # TOP is completed at treatment start: a start profile dates the start if nothing else has.
        referral.treatment_started_on = interview_date
        if referral.assessed_on is None:
            referral.assessed_on = interview_date
    _start_work(actor, referral, _("Treatment Outcomes Profile recorded"))
    _save_work(context, referral, entry, before)
    return entry


# --- police: re-send to another provider ----------------------------------------------


def data_of(referral: Referral) -> ReferralData:
    """The referral's details as entered, to send them again."""
    return ReferralData(
        pathway=referral.pathway,
        reason=referral.reason,
        substances=tuple(referral.substances.all()),
        consent_given=referral.consent_given,
        lawful_basis=referral.lawful_basis,
        policy_reference=referral.policy_reference,
        preferred_language=referral.preferred_language,
        contact=ContactRoute(
            phone=referral.contact_phone,
            address_line_1=referral.address_line_1,
            address_line_2=referral.address_line_2,
            address_town=referral.address_town,
            address_postcode=referral.address_postcode,
            release_plan=referral.release_plan,
            channels=list(referral.contact_channels),
        ),
        contact_times=referral.contact_times,
        risk_notes=referral.risk_notes,
        safeguarding_notes=referral.safeguarding_notes,
        source_reference=referral.source_reference,
        county=referral.county,
    )


@transaction.atomic
def referral_resend(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    expected_version: int | None,
    service_id: int,
    reason: str,
) -> Referral:
    """Send the referral to another service. An open referral is cancelled as transferred;
    a rejected one stays rejected. The new referral points back to the old (its history)."""
    old = _lock(actor, referral_id, "referrals.withdraw")
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Enter why the referral is being sent again")]})
    if hasattr(old, "transferred_to"):
        raise ValidationError(
            _("This referral has already been sent again as %(reference)s")
            % {"reference": old.transferred_to.reference},
            code="already_resent",
        )
    if old.status in (Status.COMPLETED, Status.FAILED, Status.CANCELLED):
        raise ValidationError(
            _("A closed referral cannot be sent again: make a new referral"), code="closed"
        )
    if service_id == old.service_id:
        raise ValidationError({"service": [_("Choose a different service")]}, code="same_service")
    before = snapshot(old)
    check_version(old, expected_version)
    if old.status != Status.REJECTED:
        lifecycle.transition(
            old,
            Status.CANCELLED,
            actor=actor,
            party=Party.POLICE,
            code="CAN_TRANSFERRED",
            reason=reason,
        )
    old.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=old,
        person_id=old.person_id,
        reason="re-sent",
        before=before,
        after=snapshot(old),
    )
    new, _created = referral_create(
        context=context,
        actor=actor,
        person_id=old.person_id,
        data=data_of(old),
        service_id=service_id,
        transferred_from=old,
    )
    return new


def mark_alerts_read(user: User, referral: Referral) -> int:
    return Alert.objects.filter(recipient=user, referral=referral, read_at__isnull=True).update(
        read_at=timezone.now()
    )
