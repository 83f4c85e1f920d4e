"""Writes of a person record itself: create and update, and what every person write shares.

Every write locks the person through ``restrict`` and asks ``actions.require_action`` the
same question the page asked before showing the button. A refusal worth an audit entry (a
PNC ID that already belongs to someone else, a merge of conflicting records) raises
``Refused`` inside the transaction; ``refusals_audited`` records the denial after the
transaction has rolled back, so the denial stays and nothing else does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.models import snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people import validation
from pontio.people.actions import CHANGE, require_action
from pontio.people.models import Person

SNAPSHOT_EXCLUDE = {"created_at", "updated_at", "family_name_key", "given_name_key"}

# The columns' lengths: the forms stop longer values, but the services are the rules for
# every caller, and PostgreSQL refuses an over-long value with a server error.
NAME_MAX = 100
INTERPRETER_MAX = 60


def snapshot(obj: models.Model) -> dict[str, Any]:
    return snapshot_fields(obj, exclude=SNAPSHOT_EXCLUDE)


def lock_person(actor: User, person_id: int, action: str = CHANGE) -> Person:
    """The active person, locked, if ``action`` is open to the actor; else PermissionDenied."""
    person = (
        restrict(Person.objects.select_for_update(), actor, "change")
        .filter(pk=person_id, is_active=True)
        .first()
    )
    if person is None:
        raise PermissionDenied
    require_action(person, actor, action)
    return person


def audit_created(context: AuditContext, obj: models.Model, person: Person) -> None:
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=obj,
        person_id=person.pk,
        before={},
        after=snapshot(obj),
    )


# --- refusals that are audited -----------------------------------------------------------


class Refused(Exception):
    """A refusal to audit as a denial once the transaction has rolled back."""

    def __init__(
        self, error: ValidationError, *, reason: str, person_id: int | None = None
    ) -> None:
        super().__init__(reason)
        self.error = error
        self.reason = reason
        self.person_id = person_id


@contextmanager
def refusals_audited(context: AuditContext) -> Iterator[None]:
    """Record a ``Refused`` write as a denial (outside the refused transaction), then raise
    its ValidationError for the form or the API to show."""
    try:
        yield
    except Refused as refused:
        person_id = "" if refused.person_id is None else str(refused.person_id)
        audit_record(
            context=context,
            action=AuditAction.DENIED,
            object_type="people.person",
            object_id=person_id,
            person_id=person_id,
            reason=refused.reason,
        )
        raise refused.error from None


# --- identity ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedIdentity:
    """What step 1 of "add a person" asks, normalised (see ``identity_check``)."""

    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    pnc_id: str = ""
    postcode: str = ""


def _collect(errors: dict[str, list[Any]], check: Any) -> Any:
    """Run one rule, adding its field errors to ``errors``; its result, or None."""
    try:
        return check()
    except ValidationError as error:
        for name, field_errors in error.error_dict.items():
            errors.setdefault(name, []).extend(field_errors)
        return None


def identity_check(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None = None,
    pnc_id: str = "",
    postcode: str = "",
) -> CheckedIdentity:
    """The identity typed at step 1, normalised, or every rule it breaks (by field). Saves
    nothing: the record is made at step 2 (``person_create``), which checks these again."""
    errors: dict[str, list[Any]] = {}
    if not given_name.strip():
        errors["given_name"] = [_("Enter a given name")]
    elif len(given_name.strip()) > NAME_MAX:
        errors["given_name"] = [_("The given name must be 100 characters or fewer")]
    if not family_name.strip():
        errors["family_name"] = [_("Enter a family name")]
    elif len(family_name.strip()) > NAME_MAX:
        errors["family_name"] = [_("The family name must be 100 characters or fewer")]
    _collect(errors, lambda: validation.validate_date_of_birth(date_of_birth))
    pnc = _collect(errors, lambda: validation.check_pnc_format(pnc_id)) or ""
    code = ""
    if postcode.strip():
        code = _collect(errors, lambda: validation.clean_postcode(postcode)) or ""
    if errors:
        raise ValidationError(errors)
    return CheckedIdentity(given_name.strip(), family_name.strip(), date_of_birth, pnc, code)


# --- people ------------------------------------------------------------------------------


@dataclass
class PersonData:
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    gender: str = "not_stated"
    self_defined_ethnicity: str = "NS"
    pnc_id: str = ""
    preferred_language: str = "en"
    needs_interpreter: bool = False
    interpreter_language: str = ""


def pnc_id_taken(actor: User, pnc_id: str, *, exclude_pk: int | None = None) -> bool:
    """Whether an active record other than ``exclude_pk`` holds the PNC ID, anywhere in the
    force: the ``create`` scope (see ``people.policies``), not the actor's area."""
    others = restrict(Person.objects.filter(pnc_id=pnc_id, is_active=True), actor, "create")
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _validate_person(actor: User, data: PersonData, exclude_pk: int | None = None) -> str:
    """The PNC ID to store, or every rule the data breaks (by field); a PNC ID that belongs
    to someone else is a ``Refused`` (audited) write."""
    errors: dict[str, list[Any]] = {}
    try:
        identity_check(
            given_name=data.given_name,
            family_name=data.family_name,
            date_of_birth=data.date_of_birth,
            pnc_id=data.pnc_id,
        )
    except ValidationError as error:
        errors.update(error.error_dict)
    if data.needs_interpreter and not data.interpreter_language.strip():
        errors["interpreter_language"] = [
            ValidationError(_("Enter the language the interpreter must speak"))
        ]
    elif data.needs_interpreter and len(data.interpreter_language.strip()) > INTERPRETER_MAX:
        errors["interpreter_language"] = [
            ValidationError(_("The interpreter's language must be 60 characters or fewer"))
        ]
    pnc_id = "" if "pnc_id" in errors else validation.check_pnc_format(data.pnc_id)
    taken = bool(pnc_id) and pnc_id_taken(actor, pnc_id, exclude_pk=exclude_pk)
    if taken:
        message = _("This PNC ID already belongs to another person")
        errors["pnc_id"] = [ValidationError(message, code="pnc_taken")]
    if not errors:
        return pnc_id
    if taken:
        raise Refused(
            ValidationError(errors),
            reason="refused: PNC ID already belongs to another person",
            person_id=exclude_pk,
        )
    raise ValidationError(errors)


def _apply(person: Person, data: PersonData, pnc_id: str) -> None:
    person.given_name = data.given_name.strip()
    person.family_name = data.family_name.strip()
    person.date_of_birth = data.date_of_birth
    person.gender = data.gender
    person.self_defined_ethnicity = data.self_defined_ethnicity
    person.pnc_id = pnc_id
    person.preferred_language = data.preferred_language
    person.needs_interpreter = data.needs_interpreter
    person.interpreter_language = (
        data.interpreter_language.strip() if data.needs_interpreter else ""
    )


def person_create(*, context: AuditContext, actor: User, data: PersonData) -> Person:
    require_permission(actor, "people.change_person")
    with refusals_audited(context), transaction.atomic():
        pnc_id = _validate_person(actor, data)
        person = Person(created_by_organisation_id=actor.organisation_id)
        _apply(person, data, pnc_id)
        person.save()
        audit_record(
            context=context,
            action=AuditAction.CREATE,
            obj=person,
            person_id=person.pk,
            before={},
            after=snapshot(person),
        )
        return person


def person_update(
    *,
    context: AuditContext,
    actor: User,
    person_id: int,
    expected_version: int | None,
    data: PersonData,
) -> Person:
    require_permission(actor, "people.change_person")
    with refusals_audited(context), transaction.atomic():
        person = lock_person(actor, person_id)
        before = snapshot(person)
        check_version(person, expected_version)
        pnc_id = _validate_person(actor, data, exclude_pk=person.pk)
        _apply(person, data, pnc_id)
        person.save()
        audit_record(
            context=context,
            action=AuditAction.UPDATE,
            obj=person,
            person_id=person.pk,
            before=before,
            after=snapshot(person),
        )
        return person
