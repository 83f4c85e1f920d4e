"""Inspectors' authorisations to test (PACE s63B(1A)(b), (2)(b); s63C(3)).

A custody sergeant asks a named inspector (``authorisation_request``: pending); the
inspector grants it with the grounds, or refuses it with a reason
(``authorisation_decide``). An inspector may also record one directly
(``authorisation_give``). Only an officer of at least the rank of inspector may authorise:
anyone else is refused with that rule (``rules.authoriser_rank``), not a bare "forbidden".
An oral authorisation must be confirmed in writing as soon as practicable: the inspector's
list shows those awaiting it (``selectors.authorisations_waiting``), and the inspector who
gave it confirms it (``authorisation_confirm_in_writing``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.audit.services import AuditContext
from pontio.core.concurrency import check_version
from pontio.core.permissions import require_permission
from pontio.core.scopes import restrict
from pontio.custody import rules
from pontio.custody.models import InspectorAuthorisation, Stage
from pontio.custody.services.common import (
    audit_changed,
    audit_created,
    lock_record,
    snapshot,
    start_change,
    too_long,
    touch,
)

MIN_GROUNDS = 20
State = InspectorAuthorisation.State


def _require_rank(actor: User) -> None:
    """Refuse with the rule (PACE s63B(1A)(b), (2)(b)) before the permission check."""
    reason = rules.authoriser_rank(actor)
    if not reason.met:
        rules.Decision(False, [reason]).refuse()
    require_permission(actor, "custody.authorise")


def _check_grounds(grounds: str) -> str:
    grounds = grounds.strip()
    errors = too_long(grounds=grounds)
    if not grounds:
        errors["grounds"] = [
            _(
                "Enter the grounds for suspecting that misuse of a specified Class A drug caused "
                "or contributed to the offence"
            )
        ]
    elif len(grounds) < MIN_GROUNDS:
        errors["grounds"] = [_("Describe the grounds in more detail")]
    if errors:
        raise ValidationError(errors, code="grounds")
    return grounds


def _check_stage(stage: str) -> None:
    if stage not in Stage.values:
        raise ValidationError({"stage": [_("Choose the arrest condition or the charge condition")]})


@transaction.atomic
def authorisation_request(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    stage: str,
    inspector: User | None,
    note: str = "",
) -> InspectorAuthorisation:
    """A custody sergeant asks an inspector to authorise a test."""
    record = lock_record(actor, record_id, "custody.request_authorisation")
    _check_stage(stage)
    errors = too_long(note=note)
    if inspector is None or not inspector.is_active:
        errors["inspector"] = [_("Choose the inspector to ask")]
    elif not inspector.has_role(Role.INSPECTOR):
        reason = rules.authoriser_rank(inspector)
        errors["inspector"] = [reason.text]
    if record.authorisations.filter(stage=stage, state=State.PENDING).exists():
        errors["stage"] = [_("An inspector has already been asked and has not yet decided")]
    if errors:
        raise ValidationError(errors, code="invalid_request")
    before = start_change(record, expected_version)
    authorisation = InspectorAuthorisation.objects.create(
        record=record,
        stage=stage,
        state=State.PENDING,
        requested_by=actor,
        requested_at=timezone.now(),
        requested_of=inspector,
        request_note=note.strip(),
    )
    audit_created(context, authorisation, record.person_id, reason="authorisation asked")
    touch(context, record, before, "authorisation asked")
    return authorisation


@transaction.atomic
def authorisation_decide(
    *,
    context: AuditContext,
    actor: User,
    authorisation_id: int,
    expected_version: int | None,
    grant: bool,
    grounds: str = "",
    oral: bool = False,
    reason: str = "",
) -> InspectorAuthorisation:
    """The inspector asked grants (with the grounds) or refuses (with a reason)."""
    _require_rank(actor)
    found = (
        restrict(InspectorAuthorisation.objects.all(), actor, "change")
        .filter(pk=authorisation_id)
        .values_list("record_id", flat=True)
        .first()
    )
    if found is None:
        raise PermissionDenied
    record = lock_record(actor, found, "custody.authorise")
    authorisation = InspectorAuthorisation.objects.select_for_update().get(pk=authorisation_id)
    if authorisation.state != State.PENDING:
        raise ValidationError(_("This request has already been decided"), code="already_decided")
    errors = too_long(reason=reason)
    if grant:
        grounds = _check_grounds(grounds)
    elif not reason.strip():
        errors["reason"] = [_("Enter why you refuse to authorise the test")]
    if errors:
        raise ValidationError(errors, code="invalid_decision")
    before = snapshot(authorisation)
    check_version(authorisation, expected_version)
    now = timezone.now()
    authorisation.state = State.GRANTED if grant else State.REFUSED
    authorisation.authorised_by = actor
    authorisation.authorised_at = now
    authorisation.grounds = grounds if grant else ""
    authorisation.oral = bool(oral) if grant else False
    authorisation.confirmed_in_writing_at = None if (grant and oral) else (now if grant else None)
    authorisation.refusal_reason = "" if grant else reason.strip()
    authorisation.save()
    audit_changed(context, authorisation, record.person_id, before, reason="authorisation decided")
    record_before = snapshot(record)
    record.version += 1
    touch(context, record, record_before, "authorisation decided")
    return authorisation


@transaction.atomic
def authorisation_give(
    *,
    context: AuditContext,
    actor: User,
    record_id: int,
    expected_version: int | None,
    stage: str,
    grounds: str,
    oral: bool = False,
    at: dt.datetime | None = None,
) -> InspectorAuthorisation:
    """An inspector records an authorisation nobody asked for through Pontio: the grounds,
    oral or in writing, and when it was given (``at``, now unless told: between the arrest
    and now). An oral one waits for its written confirmation (s63C(3))."""
    _require_rank(actor)
    record = lock_record(actor, record_id, "custody.authorise")
    _check_stage(stage)
    errors: dict[str, list[str]] = {}
    try:
        grounds = _check_grounds(grounds)
    except ValidationError as error:
        errors.update(error.message_dict)
    now = timezone.now()
    given = at or now
    if given < record.arrested_at or given > now:
        errors["at"] = [_("The authorisation must be given between the arrest and now")]
    if errors:
        raise ValidationError(errors, code="invalid_authorisation")
    before = start_change(record, expected_version)
    authorisation = InspectorAuthorisation.objects.create(
        record=record,
        stage=stage,
        state=State.GRANTED,
        authorised_by=actor,
        authorised_at=given,
        grounds=grounds,
        oral=oral,
        confirmed_in_writing_at=None if oral else given,
    )
    audit_created(context, authorisation, record.person_id, reason="authorisation given")
    touch(context, record, before, "authorisation given")
    return authorisation


@transaction.atomic
def authorisation_confirm_in_writing(
    *,
    context: AuditContext,
    actor: User,
    authorisation_id: int,
    expected_version: int | None,
) -> InspectorAuthorisation:
    """The inspector who gave an oral authorisation confirms it in writing (s63C(3))."""
    _require_rank(actor)
    authorisation = (
        restrict(InspectorAuthorisation.objects.select_for_update(), actor, "change")
        .filter(pk=authorisation_id)
        .first()
    )
    if authorisation is None:
        raise PermissionDenied
    if not authorisation.awaiting_written_confirmation:
        raise ValidationError(
            _("This authorisation is not waiting for written confirmation"),
            code="not_awaiting_confirmation",
        )
    if authorisation.authorised_by_id != actor.pk:
        raise ValidationError(
            _("Only the inspector who gave the authorisation can confirm it in writing"),
            code="not_the_authoriser",
        )
    before = snapshot(authorisation)
    check_version(authorisation, expected_version)
    authorisation.confirmed_in_writing_at = timezone.now()
    authorisation.save()
    audit_changed(
        context,
        authorisation,
        authorisation.record.person_id,
        before,
        reason="confirmed in writing",
    )
    return authorisation
