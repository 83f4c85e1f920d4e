"""Linking the person searched to a search recorded without one, so that a referral to
support is then one click from the record (JOURNEYS.md journey 4).

A search recorded from the Stop and search list names nobody: PACE Code A does not ask for
the name. When the officer wants to refer the person, they find the person's record (by name
and date of birth, through the people app's matcher: ``selectors.person_matches``) or add
one (through the people app's service), and link it here. Who may link is ``actions``
(``link_person``: a search of a person, recorded in Pontio, with no person linked, that the
user may change); these services enforce the same rule on the locked row, check the version
the page was shown with, and audit the change with the person's id.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people.models import Gender, Person
from pontio.people.services import PersonData, person_create
from pontio.stopsearch.actions import LINK_PERSON, search_actions
from pontio.stopsearch.models import StopSearch
from pontio.stopsearch.services.records import snapshot
from pontio.stopsearch.vocab import SearchGender

# The gender recorded on the search -> the person record's (police.uk has no "not stated").
PERSON_GENDER: dict[str, str] = {
    SearchGender.MALE: Gender.MALE,
    SearchGender.FEMALE: Gender.FEMALE,
    SearchGender.OTHER: Gender.OTHER,
}


def _locked(actor: User, search_id: int, expected_version: int | None) -> StopSearch:
    """The search, locked, if the actor may link a person to it now; the version checked."""
    require_permission(actor, "stopsearch.record")
    search = (
        restrict(StopSearch.objects.select_for_update(), actor, "change")
        .filter(pk=search_id)
        .first()
    )
    if search is None or LINK_PERSON not in search_actions(search, actor):
        raise PermissionDenied
    check_version(search, expected_version)
    return search


def _link(context: AuditContext, actor: User, search: StopSearch, person: Person) -> StopSearch:
    before = snapshot(search)
    search.person = person
    search.save()
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=search,
        person_id=person.pk,
        reason="person searched linked",
        before=before,
        after=snapshot(search),
    )
    return search


@transaction.atomic
def search_person_link(
    *,
    context: AuditContext,
    actor: User,
    search_id: int,
    expected_version: int | None,
    person_id: int,
) -> StopSearch:
    """Link an existing person record (in the actor's scope) to the search."""
    search = _locked(actor, search_id, expected_version)
    person = (
        restrict(Person.objects.filter(is_active=True), actor, "view").filter(pk=person_id).first()
    )
    if person is None:
        # Out of scope, merged away or not there: the same refusal (nothing disclosed). A
        # record outside the officer's area is opened through break-glass first.
        raise PermissionDenied
    return _link(context, actor, search, person)


@transaction.atomic
def search_person_add(
    *,
    context: AuditContext,
    actor: User,
    search_id: int,
    expected_version: int | None,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
) -> StopSearch:
    """Add the person searched as a new person record (the people app's rules and audit)
    and link them to the search, in one transaction: no record is made for a search that
    cannot take it. The gender and ethnicity the search recorded start the person's record;
    the rest is added on the person's page."""
    search = _locked(actor, search_id, expected_version)
    person = person_create(
        context=context,
        actor=actor,
        data=PersonData(
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
            gender=PERSON_GENDER.get(search.gender, Gender.NOT_STATED),
            self_defined_ethnicity=search.self_defined_ethnicity or "NS",
        ),
    )
    return _link(context, actor, search, person)
