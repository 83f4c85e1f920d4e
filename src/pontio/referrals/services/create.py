"""Sending a referral: what the officer enters, the checks, the proposal and the idempotency.

A referral acknowledged to the user is saved with its first event and its audit record in
the same transaction, so it is never lost. A retried send with the same idempotency key
returns the referral already made; the same key with a different referral is refused
(``idempotency_key_reused``), so a key can never hide a second, different referral.

Lawful basis: the police share a person's details with a provider with their consent or,
without it, under DPA 2018 Part 3 (s31 law enforcement purposes; s35 and Schedule 8 for the
health details a referral carries), which needs the force's policy reference (its
Appropriate Policy Document or information sharing protocol under WASPI); see DOMAIN.md
§8.2. The provider then processes the referral under UK GDPR. What the officer records is
one consent record of the person (``people.ConsentRecord``, made in the same transaction and
shown on the person's page); the referral points to it and carries a copy of its values for
the provider, who may not read person records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.models import County
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.directory.models import Service, Substance
from pontio.people.models import ConsentRecord, Person
from pontio.people.services import consent_record_for_referral
from pontio.referrals import routing, sla
from pontio.referrals.contact import ContactRoute, check_contact_route
from pontio.referrals.models import Party, Pathway, Referral, Status
from pontio.referrals.services.common import age_on, limit_errors, snapshot, text_errors
from pontio.referrals.services.notify import notify_provider

# --- what the officer enters: one field list ------------------------------------------


@dataclass
class ReferralData:
    """What the officer enters. ``county`` defaults to the person's current county.

    The fields of this class (and of ``ContactRoute``) are the one list of what a referral
    carries: ``flat()``/``from_flat()`` turn it into the referral's own field names, which
    the referral model, the police form, its session draft and the API all use.
    """

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
    support_needs: str = ""
    interpreter_language: str = ""
    accessibility_needs: str = ""
    source_reference: str = ""
    county: County | None = None

    def flat(self) -> dict[str, Any]:
        """Every value under the referral's field name (the contact route spread out)."""
        values = {name: getattr(self, name) for name in DATA_FIELDS}
        route = self.contact
        values.update({kept: getattr(route, name) for name, kept in CONTACT_FIELDS.items()})
        return values

    @classmethod
    def from_flat(cls, values: Mapping[str, Any]) -> ReferralData:
        """From values under the referral's field names; a missing one is empty."""
        data: dict[str, Any] = {
            name: EMPTY.get(name, "") if values.get(name) is None else values[name]
            for name in DATA_FIELDS
        }
        data["substances"] = tuple(data["substances"])
        data["consent_given"] = bool(data["consent_given"])
        route: dict[str, Any] = {
            name: values.get(flat_name) or "" for name, flat_name in CONTACT_FIELDS.items()
        }
        route["channels"] = list(values.get(CONTACT_FIELDS["channels"]) or [])
        return cls(contact=ContactRoute(**route), **data)


# Where each part of the contact route is kept on a referral (three are renamed there).
CONTACT_FIELDS: dict[str, str] = {
    f.name: {
        "phone": "contact_phone",
        "email": "contact_email",
        "channels": "contact_channels",
    }.get(f.name, f.name)
    for f in fields(ContactRoute)
}
DATA_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ReferralData) if f.name != "contact")
FLAT_FIELDS: tuple[str, ...] = (*DATA_FIELDS, *CONTACT_FIELDS.values())
EMPTY: dict[str, Any] = {"substances": (), "consent_given": False, "county": None}


def data_of(referral: Referral) -> ReferralData:
    """The referral's details as they were sent (to send them again, or to compare)."""
    values = {name: getattr(referral, name) for name in FLAT_FIELDS if name != "substances"}
    values["substances"] = tuple(referral.substances.all())
    return ReferralData.from_flat(values)


# --- the checks -----------------------------------------------------------------------

# The column's length (``Referral.interpreter_language``).
INTERPRETER_MAX = 60


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
    errors: dict[str, list[Any]] = {}
    if data.pathway not in Pathway.values:
        errors["pathway"] = [_("Choose the police contact the referral comes from")]
    reason = (data.reason or "").strip()
    if not reason:
        errors["reason"] = [_("Enter the reason for the referral")]
    errors.update(
        text_errors(
            reason=data.reason,
            risk_notes=data.risk_notes,
            safeguarding_notes=data.safeguarding_notes,
            release_plan=data.contact.release_plan,
            support_needs=data.support_needs,
            accessibility_needs=data.accessibility_needs,
        )
    )
    errors.update(
        limit_errors(
            contact_times=(data.contact_times, 200),
            source_reference=(data.source_reference, 40),
            interpreter_language=(data.interpreter_language, INTERPRETER_MAX),
        )
    )
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
        for name, messages in error.error_dict.items():
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
        contact_times=(data.contact_times or "").strip(),
        risk_notes=(data.risk_notes or "").strip(),
        safeguarding_notes=(data.safeguarding_notes or "").strip(),
        support_needs=(data.support_needs or "").strip(),
        interpreter_language=(data.interpreter_language or "").strip(),
        accessibility_needs=(data.accessibility_needs or "").strip(),
        source_reference=(data.source_reference or "").strip(),
        county=county,
    )


# --- the services that can take it, and the proposal ----------------------------------


def home_of(person: Person, data: ReferralData) -> tuple[str, str]:
    """Where the person lives, for the nearest service: the address the referral carries
    (the one the officer confirmed), else the person's current address; (town, postcode)."""
    route = data.contact
    if route.address_postcode or route.address_town:
        return route.address_town, route.address_postcode
    address = (
        person.addresses.filter(valid_to__isnull=True)
        .order_by("-valid_from", "-pk")
        .only("town", "postcode")
        .first()
    )
    return (address.town, address.postcode) if address else ("", "")


def need_for(person: Person, data: ReferralData, today: dt.date | None = None) -> routing.Need:
    today = today or timezone.localdate()
    county = data.county or current_county(person)
    if county is None:
        raise ValidationError(
            {"county": [_("Choose the county the person lives in or will be supported in")]}
        )
    town, postcode = home_of(person, data)
    return routing.Need(
        county=county,
        pathway=data.pathway,
        substances=tuple(data.substances),
        age=age_on(person.date_of_birth, today),
        gender=person.gender,
        town=town,
        postcode=postcode,
    )


def service_options(
    person: Person, data: ReferralData, today: dt.date | None = None
) -> tuple[list[routing.Option], routing.Option | None]:
    """Every directory service assessed for this referral, and the one Pontio proposes.

    The one place the proposal is made: the officer's page shows it, the API sends to it
    when no service is named, and sending checks the chosen service against the same list.
    """
    options = routing.route(need_for(person, data, today))
    return options, routing.proposal(options)


def _choose_service(
    options: list[routing.Option], proposed: routing.Option | None, service_id: int | None
) -> routing.Option:
    if service_id is None:
        if proposed is None:
            raise ValidationError(
                {
                    "service": [
                        _("No service can take this referral: choose one from the directory")
                    ]
                },
                code="no_service",
            )
        return proposed
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
    return chosen


def _provider_organisation(service: Service) -> Any:
    owner = service.organisation.owner
    if owner is None:
        raise ValidationError(
            {"service": [_("%(service)s has no Pontio inbox") % {"service": service.display_name}]}
        )
    return owner


def _viewable_person(actor: User, person_id: int) -> Person:
    person = (
        restrict(Person.objects.all(), actor, "view").filter(pk=person_id, is_active=True).first()
    )
    if person is None:
        raise PermissionDenied
    return person


# --- idempotency ----------------------------------------------------------------------

MAX_KEY = 80


def check_idempotency_key(raw: str | None, *, required: bool) -> str:
    """The key a sender chose so that a retry cannot make the referral twice.

    The officer's page always makes one; an API client must send one (``required``).
    """
    key = (raw or "").strip()
    if required and not key:
        raise ValidationError(
            _(
                "Send an Idempotency-Key header (for example a new UUID) so that a "
                "retried request cannot make the referral twice"
            ),
            code="idempotency_key_required",
        )
    if len(key) > MAX_KEY:
        raise ValidationError(
            _("The Idempotency-Key must be 80 characters or fewer"),
            code="idempotency_key_too_long",
        )
    return key


def referral_sent_with(actor: User, key: str) -> Referral | None:
    """The referral the actor already sent with this key (through their scope), if any."""
    if not key:
        return None
    return (
        restrict(Referral.objects.all(), actor, "view")
        .filter(referred_by=actor, idempotency_key=key)
        .first()
    )


def _comparable(data: ReferralData) -> dict[str, Any]:
    values = data.flat()
    values["substances"] = sorted(s.pk for s in data.substances)
    values["county"] = data.county.pk if data.county else None
    values["contact_channels"] = list(values["contact_channels"])
    return values


def _same_referral(
    existing: Referral, person_id: int, data: ReferralData, service_id: int | None
) -> bool:
    """Whether a retry asks for the referral already made (a missing service means
    "the proposed one", so it never differs from the service the first send chose)."""
    if existing.person_id != person_id:
        return False
    if service_id is not None and existing.service_id != service_id:
        return False
    try:
        cleaned = check_referral_data(data, existing.person)
    except ValidationError:
        return False  # the first one was valid, so this is another referral
    return _comparable(cleaned) == _comparable(data_of(existing))


def repeated_send(
    *,
    actor: User,
    key: str,
    person_id: int | None = None,
    data: ReferralData | None = None,
    service_id: int | None = None,
) -> Referral | None:
    """The referral already sent with this key, when this send is its retry; None if the key
    is new. The same key with a different referral is refused (``idempotency_key_reused``).

    Without ``data`` (the page's second click, whose draft is gone) any earlier referral
    made with the key is the answer.
    """
    existing = referral_sent_with(actor, key)
    if existing is None or data is None or person_id is None:
        return existing
    if not _same_referral(existing, person_id, data, service_id):
        raise ValidationError(
            _(
                "This Idempotency-Key was used for a different referral. Send a new key "
                "to make a new referral."
            ),
            code="idempotency_key_reused",
        )
    return existing


# --- sending --------------------------------------------------------------------------


def _make_reference(referral: Referral) -> str:
    return f"PR{referral.sent_on:%y}-{referral.pk:06d}"


def _consent_of(
    context: AuditContext,
    actor: User,
    person: Person,
    data: ReferralData,
    transferred_from: Referral | None,
) -> ConsentRecord:
    """The person's consent record the referral rests on: made now (shown on the person's
    page), or, for a referral sent again elsewhere, the one the first referral made."""
    if transferred_from is not None and transferred_from.consent_id is not None:
        return transferred_from.consent  # type: ignore[return-value]
    return consent_record_for_referral(
        context=context,
        actor=actor,
        person_id=person.pk,
        given=data.consent_given,
        basis=data.lawful_basis,
        policy_reference=data.policy_reference,
    )


def referral_create(
    *,
    context: AuditContext,
    actor: User,
    person_id: int,
    data: ReferralData,
    service_id: int | None = None,
    idempotency_key: str = "",
    transferred_from: Referral | None = None,
) -> tuple[Referral, bool]:
    """Send a referral to ``service_id`` (the proposed service when None); returns
    (referral, created). A retry with the same idempotency key returns the first referral
    and changes nothing."""
    require_permission(actor, "referrals.create")
    key = check_idempotency_key(idempotency_key, required=False)
    if key:
        existing = repeated_send(
            actor=actor, key=key, person_id=person_id, data=data, service_id=service_id
        )
        if existing is not None:
            return existing, False
    person = _viewable_person(actor, person_id)
    cleaned = check_referral_data(data, person)
    now = timezone.now()
    today = timezone.localtime(now).date()
    options, proposed = service_options(person, cleaned, today)
    chosen = _choose_service(options, proposed, service_id)
    service = chosen.service
    provider = _provider_organisation(service)
    why = "; ".join([*chosen.reasons, chosen.ranking] if chosen.ranking else chosen.reasons)
    values = cleaned.flat()
    del values["substances"]
    try:
        with transaction.atomic():
            referral = Referral(
                **values,
                consent=_consent_of(context, actor, person, cleaned, transferred_from),
                reference=f"new-{timezone.now().timestamp()}-{actor.pk}"[:20],
                person=person,
                age_at_referral=age_on(person.date_of_birth, today),
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
            notify_provider(referral)
    except IntegrityError:
        # Two sends with one key at the same moment: the other one won.
        existing = referral_sent_with(actor, key)
        if existing is not None:
            return existing, False
        raise
    return referral, True
