"""Referral drafts saved on the server: what an officer typed at step 1, kept under their
account and the person's record, so it survives the idle timeout, signing out and another
device. A draft holds personal data: every read and write is audited with the person, only
its author opens it (``policies.draft_scope``), and drafts not changed for
``DRAFT_DAYS`` days are deleted by a scheduled job (``delete_old_drafts``).

The draft's data are JSON (the form's values under the referral's field names: text, the
ids of substances and county, "yes"/"no" for consent, dates as ISO text). The idempotency
key of the send lives in the draft, so two devices sending the same draft make one
referral; sending deletes the draft in the same transaction as the referral.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people.models import Person
from pontio.referrals.models import OPEN, Referral, ReferralDraft
from pontio.referrals.services.common import MAX_TEXT, snapshot
from pontio.referrals.services.create import FLAT_FIELDS, ReferralData, referral_create

DRAFT_DAYS = 30
# A draft's values: the referral's own field names (the form's too); nothing else is kept.
DRAFT_KEYS = frozenset(FLAT_FIELDS)
MAX_LIST = 50
# A draft keeps text as typed, even over the referral's limit (``MAX_TEXT``: refused when
# the officer continues), up to this hard limit on what one field of a draft may hold.
MAX_DRAFT_TEXT = 5 * MAX_TEXT


# --- the data -------------------------------------------------------------------------------


def _json_value(name: str, value: Any) -> Any:
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        if len(value) > MAX_DRAFT_TEXT:
            raise ValidationError(
                {"data": [_("Enter %(max)s characters or fewer") % {"max": MAX_DRAFT_TEXT}]},
                code="too_long",
            )
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):  # a substance or county chosen on the form
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)):
        if len(value) > MAX_LIST:
            raise ValidationError({"data": [_("The draft has too many values")]}, code="invalid")
        return [_json_value(name, v) for v in value]
    raise ValidationError(
        {"data": [_("The draft's %(name)s cannot be saved") % {"name": name}]}, code="invalid"
    )


def clean_draft_data(data: Any) -> dict[str, Any]:
    """The draft's values as JSON-safe data under known names; anything else is refused."""
    if not isinstance(data, dict):
        raise ValidationError({"data": [_("Send the draft as an object")]}, code="invalid")
    unknown = sorted(str(k) for k in data if k not in DRAFT_KEYS)
    if unknown:
        raise ValidationError(
            {"data": [_("Unknown fields: %(names)s") % {"names": ", ".join(unknown)[:200]}]},
            code="unknown_fields",
        )
    return {name: _json_value(name, value) for name, value in data.items()}


# --- reads ----------------------------------------------------------------------------------


def drafts_of(user: User) -> QuerySet[ReferralDraft]:
    """The user's own drafts about people they may still see (one query with the person)."""
    people = restrict(Person.objects.filter(is_active=True), user, "view")
    return (
        restrict(ReferralDraft.objects.all(), user, "view")
        .filter(person_id__in=people.values("pk"))
        .select_related("person")
    )


def draft_count(user: User) -> int:
    return drafts_of(user).count()


def draft_for(user: User, person_id: int) -> ReferralDraft | None:
    return restrict(ReferralDraft.objects.all(), user, "view").filter(person_id=person_id).first()


def draft_load(*, context: AuditContext, actor: User, person_id: int) -> ReferralDraft | None:
    """The actor's draft for the person, if any; the read is audited (it holds their data)."""
    draft = draft_for(actor, person_id)
    if draft is not None:
        audit_record(context=context, action=AuditAction.READ, obj=draft, person_id=person_id)
    return draft


def open_referrals(user: User, person_id: int) -> list[Referral]:
    """The person's open referrals that the user may see (least privilege: the others are
    not mentioned at all). One query."""
    return list(
        restrict(Referral.objects.filter(person_id=person_id, status__in=OPEN), user, "view")
        .select_related("service")
        .order_by("-sent_at", "-pk")
    )


# --- writes ---------------------------------------------------------------------------------


def _viewable_person(actor: User, person_id: int) -> Person:
    person = (
        restrict(Person.objects.filter(is_active=True), actor, "view").filter(pk=person_id).first()
    )
    if person is None:
        raise PermissionDenied
    return person


def _locked(actor: User, **lookup: Any) -> ReferralDraft | None:
    return (
        restrict(ReferralDraft.objects.select_for_update(), actor, "change")
        .filter(**lookup)
        .first()
    )


@transaction.atomic
def draft_save(
    *,
    context: AuditContext,
    actor: User,
    person_id: int,
    data: Any,
    expected_version: int | None = None,
    check: bool = True,
    idempotency_key: str | None = None,
) -> ReferralDraft:
    """Make or replace the actor's draft for the person (nothing about completeness is
    checked: a draft may be half written). With ``check`` an existing draft must be at
    ``expected_version``; the pages skip it only when a form had no version."""
    require_permission(actor, "referrals.create")
    person = _viewable_person(actor, person_id)
    values = clean_draft_data(data)
    draft = _locked(actor, person_id=person.pk)
    if draft is None:
        draft = ReferralDraft(owner=actor, person=person, data=values)
        if idempotency_key is not None:
            draft.idempotency_key = idempotency_key[:80]
        draft.save()
        audit_record(
            context=context,
            action=AuditAction.CREATE,
            obj=draft,
            person_id=person.pk,
            after=snapshot(draft),
        )
        return draft
    before = snapshot(draft)
    if check:
        check_version(draft, expected_version)
    else:
        draft.version += 1
    draft.data = values
    if idempotency_key is not None:
        draft.idempotency_key = idempotency_key[:80]
    draft.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=draft,
        person_id=person.pk,
        before=before,
        after=snapshot(draft),
    )
    return draft


@transaction.atomic
def draft_set_key(*, context: AuditContext, actor: User, draft_id: int, key: str) -> ReferralDraft:
    """Keep the idempotency key of the send in the draft (made when step 2 is first shown)."""
    draft = _locked(actor, pk=draft_id)
    if draft is None:
        raise PermissionDenied
    if draft.idempotency_key:
        return draft
    before = snapshot(draft)
    draft.idempotency_key = key[:80]
    draft.save(update_fields=["idempotency_key", "updated_at"])
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=draft,
        person_id=draft.person_id,
        before=before,
        after=snapshot(draft),
    )
    return draft


def _delete(context: AuditContext, draft: ReferralDraft, reason: str) -> None:
    before = snapshot(draft)
    pk, person_id = draft.pk, draft.person_id
    draft.delete()
    audit_record(
        context=context,
        action=AuditAction.DELETE,
        object_type="referrals.referraldraft",
        object_id=pk,
        person_id=person_id,
        reason=reason,
        before=before,
    )


@transaction.atomic
def draft_discard(
    *, context: AuditContext, actor: User, draft_id: int, expected_version: int | None = None
) -> None:
    """Delete the actor's draft (only theirs: another's is PermissionDenied)."""
    require_permission(actor, "referrals.create")
    draft = _locked(actor, pk=draft_id)
    if draft is None:
        raise PermissionDenied
    if expected_version is not None:
        check_version(draft, expected_version)
    _delete(context, draft, "draft discarded by its author")


@transaction.atomic
def draft_send(
    *,
    context: AuditContext,
    actor: User,
    person_id: int,
    data: ReferralData,
    service_id: int | None,
    idempotency_key: str,
) -> tuple[Referral, bool]:
    """Send the referral and delete the draft in the same transaction. The draft is locked
    first, so two devices sending it queue; the second finds the referral by the key."""
    draft = _locked(actor, person_id=person_id)
    referral, created = referral_create(
        context=context,
        actor=actor,
        person_id=person_id,
        data=data,
        service_id=service_id,
        idempotency_key=idempotency_key,
    )
    if draft is not None:
        _delete(context, draft, f"draft sent as referral {referral.reference}")
    return referral, created


@transaction.atomic
def delete_old_drafts(*, context: AuditContext, now: dt.datetime | None = None) -> int:
    """Delete drafts not changed for ``DRAFT_DAYS`` days (a system deletion, each audited)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=DRAFT_DAYS)
    old = list(ReferralDraft.objects.select_for_update().filter(updated_at__lt=cutoff))
    for draft in old:
        _delete(context, draft, f"draft unchanged for {DRAFT_DAYS} days")
    return len(old)
