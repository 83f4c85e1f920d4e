"""Merging a duplicate into a record, reversibly, and undoing the merge.

A merge moves every part of the duplicate to the survivor, fills the survivor's empty
identifiers from the duplicate, keeps the duplicate's name as another name, and marks the
duplicate inactive; ``PersonMerge`` keeps what moved so that ``person_unmerge`` can put
everything back exactly. Both need ``people.merge_person`` and both records in the actor's
change scope (``actions.MERGE`` / ``actions.UNMERGE``). A refused merge of conflicting records
is audited as a denial.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record, jsonable
from pontio.core.concurrency import check_version
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people.actions import MERGE, UNMERGE
from pontio.people.models import (
    IDENTITY_FIELDS,
    Address,
    Alias,
    ConsentRecord,
    CustodyNumber,
    Email,
    Flag,
    Person,
    PersonMerge,
    Phone,
)
from pontio.people.services.parts import MIN_EXPLANATION
from pontio.people.services.records import (
    Refused,
    lock_person,
    refusals_audited,
    snapshot,
)

# Relations that move from the duplicate to the survivor on a merge (name -> model).
MERGED_RELATIONS: dict[str, type[models.Model]] = {
    "aliases": Alias,
    "addresses": Address,
    "phones": Phone,
    "emails": Email,
    "flags": Flag,
    "consents": ConsentRecord,
    "custody_numbers": CustodyNumber,
}
# Survivor fields filled from the duplicate when the survivor has none.
FILLED_FIELDS = ("date_of_birth", "pnc_id", "gender", "self_defined_ethnicity")
RESTORED_FIELDS = (
    *IDENTITY_FIELDS,
    "created_by_organisation",
    "merged_into",
    "is_active",
)


def dates_compatible(a: dt.date | None, b: dt.date | None) -> bool:
    """Equal, missing, day and month swapped, or two adjacent digits transposed."""
    if a is None or b is None or a == b:
        return True
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return True
    s1, s2 = a.strftime("%d%m%Y"), b.strftime("%d%m%Y")
    diffs = [i for i in range(len(s1)) if s1[i] != s2[i]]
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and s1[diffs[0]] == s2[diffs[1]]
        and s1[diffs[1]] == s2[diffs[0]]
    )


def merge_conflicts(survivor: Person, duplicate: Person) -> list[str]:
    """Why two records cannot be the same person (empty if they can be merged)."""
    conflicts = []
    if survivor.pnc_id and duplicate.pnc_id and survivor.pnc_id != duplicate.pnc_id:
        conflicts.append(
            _("The records have different PNC IDs, so they cannot be the same person.")
        )
    if not dates_compatible(survivor.date_of_birth, duplicate.date_of_birth):
        conflicts.append(
            _(
                "The dates of birth differ by more than a typing slip, so the records cannot "
                "be the same person."
            )
        )
    return conflicts


@dataclass
class MergeResult:
    merge: PersonMerge
    moved: dict[str, list[int]] = field(default_factory=dict)


def _field(name: str) -> models.Field[Any, Any]:
    return cast("models.Field[Any, Any]", Person._meta.get_field(name))


def _restore_fields(person: Person, values: dict[str, Any]) -> None:
    for name in RESTORED_FIELDS:
        if name in values:
            model_field = _field(name)
            setattr(person, model_field.attname, model_field.to_python(values[name]))


def _audit_both_people(
    context: AuditContext, reason: str, *changes: tuple[Person, dict[str, Any]]
) -> None:
    """A merge or unmerge changes two person records: one audited update for each."""
    for person, before in changes:
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=person,
            person_id=person.pk,
            reason=reason,
            before=before,
            after=snapshot(person),
        )


def _is_empty(person: Person, name: str) -> bool:
    default = getattr(Person._meta.get_field(name), "default", None)
    return getattr(person, name) in (None, "", default)


def person_merge(
    *,
    context: AuditContext,
    actor: User,
    survivor_id: int,
    duplicate_id: int,
    reason: str,
    survivor_version: int | None,
    duplicate_version: int | None,
) -> PersonMerge:
    """Merge ``duplicate`` into ``survivor``: its rows move, it becomes inactive; undoable."""
    require_permission(actor, "people.merge_person")
    if survivor_id == duplicate_id:
        raise ValidationError(_("Choose two different records to merge."), code="same")
    with refusals_audited(context), transaction.atomic():
        return _merge(
            context=context,
            actor=actor,
            survivor_id=survivor_id,
            duplicate_id=duplicate_id,
            reason=reason,
            survivor_version=survivor_version,
            duplicate_version=duplicate_version,
        )


def _merge(
    *,
    context: AuditContext,
    actor: User,
    survivor_id: int,
    duplicate_id: int,
    reason: str,
    survivor_version: int | None,
    duplicate_version: int | None,
) -> PersonMerge:
    first, second = sorted([survivor_id, duplicate_id])  # lock in a stable order
    locked = {first: lock_person(actor, first, MERGE), second: lock_person(actor, second, MERGE)}
    survivor, duplicate = locked[survivor_id], locked[duplicate_id]
    if len(reason.strip()) < MIN_EXPLANATION:
        raise ValidationError(
            {"reason": [_("Explain in at least 10 characters why these are the same person")]}
        )
    conflicts = merge_conflicts(survivor, duplicate)
    if conflicts:
        raise Refused(
            ValidationError(conflicts, code="conflict"),
            reason=f"merge refused: records conflict (duplicate {duplicate.pk})",
            person_id=survivor.pk,
        )
    survivor_before, duplicate_before = snapshot(survivor), snapshot(duplicate)
    check_version(survivor, survivor_version)
    check_version(duplicate, duplicate_version)

    moved: dict[str, Any] = {}
    for name, model in MERGED_RELATIONS.items():
        rows = restrict(model._default_manager.all(), actor, "change").filter(person=duplicate)
        ids = sorted(rows.values_list("pk", flat=True))
        model._default_manager.filter(pk__in=ids).update(person=survivor)
        moved[name] = ids
    # The duplicate leaves the active records: free its PNC ID before the survivor takes it.
    duplicate.is_active = False
    duplicate.merged_into = survivor
    duplicate.save()
    filled = {}
    for name in FILLED_FIELDS:
        if _is_empty(survivor, name) and not _is_empty(duplicate, name):
            filled[name] = getattr(survivor, name)
            setattr(survivor, name, getattr(duplicate, name))
    survivor.save()
    created_alias = None
    names = {(survivor.given_name.lower(), survivor.family_name.lower())} | {
        (a.given_name.lower(), a.family_name.lower())
        for a in restrict(Alias.objects.all(), actor, "change").filter(person=survivor)
    }
    if (duplicate.given_name.lower(), duplicate.family_name.lower()) not in names:
        created_alias = Alias.objects.create(
            person=survivor,
            given_name=duplicate.given_name,
            family_name=duplicate.family_name,
            recorded_by=actor,
        ).pk
    moved["created_alias"] = created_alias
    merge = PersonMerge.objects.create(
        survivor=survivor,
        duplicate=duplicate,
        reason=reason.strip(),
        merged_by=actor,
        moved=moved,
        duplicate_before=jsonable(duplicate_before),
        survivor_before=jsonable({k: survivor_before[k] for k in filled}),
    )
    _audit_both_people(
        context, f"merge {merge.pk}", (survivor, survivor_before), (duplicate, duplicate_before)
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=merge,
        person_id=survivor.pk,
        before={},
        after={"survivor": survivor.pk, "duplicate": duplicate.pk, "moved": moved},
    )
    return merge


@transaction.atomic
def person_unmerge(
    *, context: AuditContext, actor: User, merge_id: int, reason: str
) -> PersonMerge:
    """Undo a merge: the moved rows go back, both records get their own values again."""
    require_permission(actor, "people.merge_person")
    merge = (
        restrict(PersonMerge.objects.select_for_update(), actor, "change")
        .filter(pk=merge_id)
        .first()
    )
    if merge is None:
        raise PermissionDenied
    if merge.unmerged_at is not None:
        raise ValidationError(_("This merge has already been undone."), code="undone")
    if len(reason.strip()) < MIN_EXPLANATION:
        raise ValidationError(
            {"reason": [_("Explain in at least 10 characters why the merge was wrong")]}
        )
    survivor = lock_person(actor, merge.survivor_id, UNMERGE)
    duplicate = (
        restrict(Person.objects.select_for_update(), actor, "change")
        .filter(pk=merge.duplicate_id)
        .first()
    )
    if duplicate is None:
        raise PermissionDenied
    if duplicate.merged_into_id != survivor.pk or duplicate.is_active:
        raise ValidationError(_("This merge can no longer be undone."), code="changed")
    survivor_before, duplicate_before = snapshot(survivor), snapshot(duplicate)
    # The survivor gives back what it was filled with first (it may free the PNC ID).
    for name, value in merge.survivor_before.items():
        setattr(survivor, name, _field(name).to_python(value))
    survivor.version += 1
    survivor.save()
    restored_pnc = str(merge.duplicate_before.get("pnc_id") or "")
    if restored_pnc:
        holders = restrict(
            Person.objects.filter(pnc_id=restored_pnc, is_active=True), actor, "create"
        ).exclude(pk=duplicate.pk)
        if holders.exists():
            raise ValidationError(
                _("The merge cannot be undone: its PNC ID now belongs to another active person."),
                code="pnc_taken",
            )
    _restore_fields(duplicate, merge.duplicate_before)
    duplicate.version += 1
    duplicate.save()
    created_alias = merge.moved.get("created_alias")
    if created_alias:
        Alias.objects.filter(pk=created_alias, person=survivor).delete()
    for name, model in MERGED_RELATIONS.items():
        ids = merge.moved.get(name, [])
        rows = restrict(model._default_manager.all(), actor, "change")
        rows.filter(pk__in=ids, person=survivor).update(person=duplicate)
    merge.unmerged_at = timezone.now()
    merge.unmerged_by = actor
    merge.unmerge_reason = reason.strip()
    merge.save()
    _audit_both_people(
        context, f"unmerge {merge.pk}", (survivor, survivor_before), (duplicate, duplicate_before)
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=merge,
        person_id=survivor.pk,
        before={"unmerged_at": None},
        after={"unmerged_at": merge.unmerged_at, "unmerged_by": actor.pk},
    )
    return merge
