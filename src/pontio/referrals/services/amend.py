"""Correcting a sent referral, and the provider's questions to the police.

Amendment: the police who may change a referral (``referrals.withdraw``, in their scope)
correct what it carries while it is open: the contact route (phone, address, release plan,
ways and times to contact), the risks and safeguarding notes, and the support,
interpreter and accessibility needs. The new contact route is checked by the same rules as
when the referral was sent (``contact.check_contact_route``), so an amendment can never
leave the provider without a way to reach the person. Each amendment keeps every changed
field with its value before and after (the changelog both sides see), bumps the referral's
version, is audited, and tells the provider's staff by a link-only email. Timers are not
touched: an amendment is a correction, not a new referral.

Information requests: the provider asks the referrer for something missing, with a hold
code whose next actor is the police (``HOLD_AWAITING_INFO``, ``HOLD_CONTACT_DETAILS``).
Asking does not change the referral's status (so it works on a referral that is requested,
received, accepted, in progress or on hold); the police become the ones to act next and are
alerted. When the code stops the timer, the first-contact clock waits with the question:
once answered, the first-contact due date moves back by the working days it waited (only
that timer, and only if not already met). One question waits at a time.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.permissions import require_permission
from pontio.core.phones import national_format
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.core.working_days import add_working_days, working_days_between
from pontio.referrals.contact import ContactRoute, check_contact_route
from pontio.referrals.models import (
    Alert,
    InformationRequest,
    Party,
    Referral,
    ReferralAmendment,
    ReferralCode,
    Status,
)
from pontio.referrals.services.common import limit_errors, lock_referral, snapshot, text_errors
from pontio.referrals.services.notify import (
    alert_police,
    provider_recipients,
    queue_notifications,
)

AMEND_PERMISSION = "referrals.withdraw"
ASK_PERMISSION = "referrals.work"

# The contact route's fields on a referral, by ``ContactRoute`` attribute.
ROUTE_FIELDS: dict[str, str] = {
    "contact_phone": "phone",
    "contact_email": "email",
    "address_line_1": "address_line_1",
    "address_line_2": "address_line_2",
    "address_town": "address_town",
    "address_postcode": "address_postcode",
    "release_plan": "release_plan",
    "contact_channels": "channels",
}
TEXT_FIELDS = (
    "release_plan",
    "risk_notes",
    "safeguarding_notes",
    "support_needs",
    "accessibility_needs",
)
# Short fields and their columns' lengths.
SHORT_FIELDS: dict[str, int] = {
    "address_line_1": 120,
    "address_line_2": 120,
    "address_town": 60,
    "contact_times": 200,
    "interpreter_language": 60,
}
# Every field an amendment may change, in the order the form and the changelog show them.
AMENDABLE: tuple[str, ...] = (
    "contact_phone",
    "contact_email",
    "address_line_1",
    "address_line_2",
    "address_town",
    "address_postcode",
    "release_plan",
    "contact_channels",
    "contact_times",
    "risk_notes",
    "safeguarding_notes",
    "support_needs",
    "interpreter_language",
    "accessibility_needs",
)
# The hold codes a provider may ask the police with (next actor: the police).
INFORMATION_CODES = ("HOLD_AWAITING_INFO", "HOLD_CONTACT_DETAILS")


def field_label(name: str) -> str:
    """The field's label in the reader's language (the model's verbose name)."""
    label = str(getattr(Referral._meta.get_field(name), "verbose_name", name))
    return label[:1].upper() + label[1:]


def display_value(name: str, value: Any) -> Any:
    """What the changelog keeps: a phone in its national format, ways to contact as their
    codes (shown by their label in the reader's language), text as it is."""
    if name == "contact_channels":
        return list(value or [])
    if name == "contact_phone" and value:
        return national_format(str(value))
    return str(value or "")


def _cleaned_changes(referral: Referral, changes: dict[str, Any]) -> dict[str, Any]:
    """The new values of every field the amendment changes (checked), or ValidationError."""
    unknown = sorted(set(changes) - set(AMENDABLE))
    if unknown:
        raise ValidationError(
            {
                "__all__": [
                    ValidationError(
                        _("“%(field)s” cannot be amended") % {"field": unknown[0][:40]},
                        code="not_amendable",
                    )
                ]
            }
        )
    errors: dict[str, list[Any]] = {}
    errors.update(text_errors(**{n: changes[n] for n in TEXT_FIELDS if n in changes}))
    errors.update(
        limit_errors(
            **{n: (changes[n], limit) for n, limit in SHORT_FIELDS.items() if n in changes}
        )
    )
    values = {name: changes.get(name, getattr(referral, name)) for name in AMENDABLE}
    texts = {attr: str(values[name] or "") for name, attr in ROUTE_FIELDS.items()}
    route = ContactRoute(
        phone=texts["phone"],
        address_line_1=texts["address_line_1"],
        address_line_2=texts["address_line_2"],
        address_town=texts["address_town"],
        address_postcode=texts["address_postcode"],
        release_plan=texts["release_plan"],
        channels=[str(c) for c in values["contact_channels"] or []],
        email=texts["email"],
    )
    try:
        cleaned_route = check_contact_route(route)
    except ValidationError as error:
        for name, messages in error.error_dict.items():
            if name == "__all__":
                messages = [
                    ValidationError(
                        _(
                            "This change would leave the provider with no way to contact the "
                            "person. Keep a UK phone number, a full address (first line, town "
                            "and postcode) or a custody release plan"
                        ),
                        code="no_contact_route",
                    )
                ]
            errors.setdefault(name, []).extend(messages)
        cleaned_route = route
    if errors:
        raise ValidationError(errors)
    cleaned: dict[str, Any] = {
        name: getattr(cleaned_route, attr) for name, attr in ROUTE_FIELDS.items()
    }
    for name in ("contact_times", "risk_notes", "safeguarding_notes", "support_needs"):
        cleaned[name] = str(values[name] or "").strip()
    for name in ("interpreter_language", "accessibility_needs"):
        cleaned[name] = str(values[name] or "").strip()
    return cleaned


def _apply_amendment(
    *, context: AuditContext, actor: User, referral: Referral, changes: dict[str, Any], reason: str
) -> ReferralAmendment:
    """Amend the locked referral (its version already checked); save, audit and notify."""
    if not referral.is_open:
        raise ValidationError(
            _("This referral is closed: it can no longer be amended"), code="closed"
        )
    reason_errors = text_errors(reason=reason)
    if reason_errors:
        raise ValidationError(reason_errors)
    cleaned = _cleaned_changes(referral, changes)
    changed = [name for name in AMENDABLE if cleaned[name] != getattr(referral, name)]
    if not changed:
        raise ValidationError(
            _("You have not changed anything: change at least one detail to amend the referral"),
            code="nothing_changed",
        )
    before = snapshot(referral)
    log = [
        {
            "field": name,
            "before": display_value(name, getattr(referral, name)),
            "after": display_value(name, cleaned[name]),
        }
        for name in changed
    ]
    for name in changed:
        setattr(referral, name, cleaned[name])
    referral.save()
    amendment = ReferralAmendment.objects.create(
        referral=referral,
        at=timezone.now(),
        actor=actor,
        actor_organisation_id=actor.organisation_id,  # type: ignore[misc]
        changes=log,
        reason=reason.strip(),
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=referral,
        person_id=referral.person_id,
        before=before,
        after=snapshot(referral),
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=amendment,
        person_id=referral.person_id,
        after=snapshot(amendment),
    )
    queue_notifications(provider_recipients(referral), "referral_amended", referral)
    return amendment


@transaction.atomic
def referral_amend(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    expected_version: int | None,
    changes: dict[str, Any],
    reason: str = "",
) -> ReferralAmendment:
    """Correct what an open referral carries (``AMENDABLE``); returns the amendment."""
    referral = lock_referral(actor, referral_id, AMEND_PERMISSION)
    check_version(referral, expected_version)
    return _apply_amendment(
        context=context, actor=actor, referral=referral, changes=changes, reason=reason
    )


# --- information requests ----------------------------------------------------------------


def information_codes() -> list[ReferralCode]:
    """The codes a provider may ask with: hold codes in use whose next actor is the police."""
    return list(
        ReferralCode.objects.effective().filter(
            kind=ReferralCode.Kind.HOLD, next_actor=Party.POLICE, code__in=INFORMATION_CODES
        )
    )


def _code(code: ReferralCode | str | None) -> ReferralCode:
    name = code.code if isinstance(code, ReferralCode) else (code or "")
    found = next((c for c in information_codes() if c.code == name), None)
    if found is None:
        raise ValidationError(
            {"code": [_("Choose what kind of information you need from the list")]},
            code="wrong_code",
        )
    return found


def open_request(referral: Referral) -> InformationRequest | None:
    return referral.information_requests.filter(answered_at__isnull=True).first()


@transaction.atomic
def information_request(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    expected_version: int | None,
    code: ReferralCode | str | None,
    question: str,
) -> InformationRequest:
    """The provider asks the referring police for missing information (status unchanged)."""
    referral = lock_referral(actor, referral_id, ASK_PERMISSION)
    check_version(referral, expected_version)
    if not referral.is_open:
        raise ValidationError(
            _("This referral is closed: you can no longer ask the police about it"),
            code="closed",
        )
    errors: dict[str, list[Any]] = {}
    try:
        chosen = _code(code)
    except ValidationError as error:
        errors.update(error.error_dict)
    text = (question or "").strip()
    if not text:
        errors["question"] = [
            ValidationError(_("Enter what you need from the police"), code="required")
        ]
    errors.update(text_errors(question=question))
    if errors:
        raise ValidationError(errors)
    if open_request(referral) is not None:
        raise ValidationError(
            _(
                "A question to the police is already waiting for an answer: wait for it, "
                "or add to it when they reply"
            ),
            code="request_open",
        )
    before = snapshot(referral)
    try:
        with transaction.atomic():
            asked = InformationRequest.objects.create(
                referral=referral,
                code=chosen,
                question=text,
                asked_by=actor,
                asked_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(
            _("A question to the police is already waiting for an answer"), code="request_open"
        ) from None
    referral.next_actor = Party.POLICE
    referral.save()
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=asked,
        person_id=referral.person_id,
        after=snapshot(asked),
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=referral,
        person_id=referral.person_id,
        before=before,
        after=snapshot(referral),
    )
    alert_police(referral, Alert.Kind.INFO_REQUESTED)
    return asked


def _next_actor_after_answer(referral: Referral) -> str:
    if not referral.is_open:
        return str(referral.next_actor)
    if referral.status == Status.ON_HOLD and referral.status_code is not None:
        return str(referral.status_code.next_actor)
    return str(Party.PROVIDER)


@transaction.atomic
def information_answer(
    *,
    context: AuditContext,
    actor: User,
    request_id: int,
    expected_version: int | None,
    answer: str,
    amend_changes: dict[str, Any] | None = None,
) -> InformationRequest:
    """The police answer the provider's question, optionally amending the referral too.

    ``expected_version`` is the question's version. When its code stops the timer, the
    first-contact due date (if not yet met) moves back by the working days it waited.
    """
    require_permission(actor, AMEND_PERMISSION)
    asked = (
        restrict(InformationRequest.objects.select_for_update(), actor, "change")
        .filter(pk=request_id)
        .first()
    )
    if asked is None:
        raise PermissionDenied
    referral = lock_referral(actor, asked.referral_id, AMEND_PERMISSION)
    check_version(asked, expected_version)
    if asked.answered_at is not None:
        raise ValidationError(_("This question has already been answered"), code="answered")
    text = (answer or "").strip()
    errors: dict[str, list[Any]] = {}
    if not text:
        errors["answer"] = [ValidationError(_("Enter your answer"), code="required")]
    errors.update(text_errors(answer=answer))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if amend_changes:
        _apply_amendment(
            context=context,
            actor=actor,
            referral=referral,
            changes=amend_changes,
            reason=_("Answer to the provider's question"),
        )
    before_request = snapshot(asked)
    before = snapshot(referral)
    asked.answer = text
    asked.answered_by = actor
    asked.answered_at = now
    asked.save()
    code = asked.code
    if code.stops_timer and referral.is_open and referral.first_contact_on is None:
        waited = max(
            working_days_between(
                timezone.localtime(asked.asked_at).date(), timezone.localtime(now).date()
            ),
            0,
        )
        if waited:
            referral.first_contact_due = add_working_days(referral.first_contact_due, waited)
    referral.next_actor = _next_actor_after_answer(referral)
    referral.version += 1
    referral.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=asked,
        person_id=referral.person_id,
        before=before_request,
        after=snapshot(asked),
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=referral,
        person_id=referral.person_id,
        before=before,
        after=snapshot(referral),
    )
    queue_notifications(provider_recipients(referral), "referral_update", referral)
    return asked
