"""Case notes between the police and the provider on a referral, both ways.

A note is shared with both sides, so it never carries clinical detail (the provider's
clinical records stay in ``ClinicalRecord``). Notes are written while the referral is open;
a closed referral takes no new note. A concern (a risk or safeguarding worry) alerts the
other side at once: written by the provider, an in-app alert to the referring officer and
their supervisors (``alert_police``); written by the police, a link-only email to the
provider's staff. A general note or a change of circumstances emails the other side only
when its author asks (``notify_other_side``). A concern stays open, on both home pages,
until someone on the other side acknowledges it.

Who: police users who may see the referral (``referrals.view``, in the referral's police
scope: the referring officer and their supervisors) and the provider's staff
(``referrals.work``). The referral is locked for each write, so a note and a move queue
one behind the other.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.referrals import lifecycle
from pontio.referrals.models import Alert, CaseNote, Party, Referral
from pontio.referrals.services.common import check_texts, lock_referral, snapshot
from pontio.referrals.services.notify import (
    alert_police,
    police_recipients,
    provider_recipients,
    queue_notifications,
)

# The link-only emails (core.notify.TEMPLATES).
NOTE_TEMPLATE = "referral_note"
CONCERN_TEMPLATE = "referral_concern"
# The permission each side changes a referral with (``lock_referral``).
PARTY_PERMISSION: dict[str, str] = {
    Party.POLICE: "referrals.withdraw",
    Party.PROVIDER: "referrals.work",
}


def may_write(user: User, party: str) -> bool:
    """Whether the user's role may write (or acknowledge) notes for their side."""
    from pontio.core.permissions import has_permission

    if party == Party.POLICE:
        return has_permission(user, "referrals.view") and has_permission(
            user, PARTY_PERMISSION[Party.POLICE]
        )
    return has_permission(user, PARTY_PERMISSION[Party.PROVIDER])


def _lock(actor: User, referral_id: int) -> tuple[Referral, str]:
    party = lifecycle.party_of(actor)
    if party == Party.POLICE:
        require_permission(actor, "referrals.view")
    return lock_referral(actor, referral_id, PARTY_PERMISSION[party]), party


def _text_error(category: str) -> ValidationError:
    message = (
        _("Describe the concern") if category == CaseNote.Category.CONCERN else _("Enter the note")
    )
    return ValidationError({"text": [ValidationError(message, code="required")]})


def _other_side(referral: Referral, party: str, actor: User) -> list[User]:
    users = (
        police_recipients(referral) if party == Party.PROVIDER else provider_recipients(referral)
    )
    return [u for u in users if u.pk != actor.pk]


def _tell(referral: Referral, note: CaseNote, actor: User) -> None:
    """A concern alerts the other side at once; another note only when its author asks."""
    party = note.author_party
    if note.category == CaseNote.Category.CONCERN:
        if party == Party.PROVIDER:
            alert_police(referral, Alert.Kind.CONCERN)
        else:
            queue_notifications(_other_side(referral, party, actor), CONCERN_TEMPLATE, referral)
        return
    if not note.notify_other_side:
        return
    recipients = _other_side(referral, party, actor)
    if party == Party.PROVIDER:
        for user in recipients:
            Alert.objects.create(recipient=user, referral=referral, kind=Alert.Kind.NOTE)
    queue_notifications(recipients, NOTE_TEMPLATE, referral)


@transaction.atomic
def note_add(
    *,
    context: AuditContext,
    actor: User,
    referral_id: int,
    category: str,
    text: str,
    notify_other_side: bool = False,
) -> CaseNote:
    """Write a note on an open referral (either side), and tell the other side if needed."""
    referral, party = _lock(actor, referral_id)
    if category not in CaseNote.Category.values:
        raise ValidationError(
            {"category": [ValidationError(_("Choose the type of note"), code="invalid_category")]}
        )
    text = (text or "").strip()
    if not text:
        raise _text_error(category)
    check_texts(text=text)
    if not referral.is_open:
        raise ValidationError(
            _("This referral is closed: notes can no longer be added to it"), code="closed"
        )
    if actor.organisation_id is None:
        raise PermissionDenied
    note = CaseNote.objects.create(
        referral=referral,
        category=category,
        text=text,
        author=actor,
        author_organisation_id=actor.organisation_id,
        author_party=party,
        # A concern always tells the other side.
        notify_other_side=bool(notify_other_side) or category == CaseNote.Category.CONCERN,
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=note,
        person_id=referral.person_id,
        after=snapshot(note),
    )
    _tell(referral, note, actor)
    return note


@transaction.atomic
def concern_acknowledge(
    *, context: AuditContext, actor: User, note_id: int, expected_version: int | None
) -> CaseNote:
    """Someone on the other side from the concern's author says they have seen it."""
    found = restrict(CaseNote.objects.all(), actor, "change").filter(pk=note_id).first()
    if found is None:
        raise PermissionDenied
    referral, party = _lock(actor, found.referral_id)
    note = CaseNote.objects.select_for_update().get(pk=found.pk)
    if note.category != CaseNote.Category.CONCERN:
        raise ValidationError(_("Only a concern can be acknowledged"), code="not_a_concern")
    if note.acknowledged_at is not None:
        raise ValidationError(
            _("This concern has already been acknowledged"), code="already_acknowledged"
        )
    if note.author_party == party:
        raise ValidationError(
            _("Only the other side can acknowledge this concern"), code="same_side"
        )
    before = snapshot(note)
    check_version(note, expected_version)
    note.acknowledged_at = timezone.now()
    note.acknowledged_by = actor
    note.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=note,
        person_id=referral.person_id,
        before=before,
        after=snapshot(note),
    )
    return note
