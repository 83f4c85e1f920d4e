"""Reads of custody, each through ``restrict`` (the policy decides the rows)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from pontio.accounts.models import User
from pontio.accounts.roles import Role
from pontio.core.scopes import restrict
from pontio.custody.models import (
    AssessmentEvent,
    BreachTask,
    CustodyRecord,
    InspectorAuthorisation,
    Notice,
    RecordOffence,
    RequiredAssessment,
)
from pontio.people import selectors as people_selectors
from pontio.people.matching import Identity, Match
from pontio.people.models import Person


def records(user: User) -> QuerySet[CustodyRecord]:
    """The custody records the user may open (the record list)."""
    return restrict(CustodyRecord.objects.all(), user, "view").select_related("suite", "person")


def records_of_person(user: User, person: Person) -> QuerySet[CustodyRecord]:
    return records(user).filter(person=person)


def offences_of(user: User, record: CustodyRecord) -> QuerySet[RecordOffence]:
    return restrict(RecordOffence.objects.filter(record=record), user, "view").select_related(
        "offence"
    )


def authorisations_of(user: User, record: CustodyRecord) -> QuerySet[InspectorAuthorisation]:
    return restrict(InspectorAuthorisation.objects.filter(record=record), user, "view")


def authorisations_waiting(user: User) -> QuerySet[InspectorAuthorisation]:
    """An inspector's list: the requests waiting for their decision, and the oral
    authorisations they gave that are awaiting written confirmation (PACE s63C(3))."""
    if not user.has_role(Role.INSPECTOR):
        return InspectorAuthorisation.objects.none()
    waiting = Q(state=InspectorAuthorisation.State.PENDING, requested_of_id=user.pk) | Q(
        state=InspectorAuthorisation.State.GRANTED,
        oral=True,
        confirmed_in_writing_at__isnull=True,
        authorised_by_id=user.pk,
    )
    return (
        restrict(InspectorAuthorisation.objects.all(), user, "view")
        .filter(waiting)
        .select_related("record", "record__suite")
        .order_by("requested_at", "pk")
    )


def inspectors_to_ask(record: CustodyRecord) -> QuerySet[User]:
    """Inspectors a sergeant may ask: active, of the force, covering the suite's county."""
    return (
        User.objects.filter(is_active=True, role_grants__role=Role.INSPECTOR)
        .filter(Q(force_wide=True) | Q(counties=record.suite.county_id))
        .distinct()
        .order_by("last_name", "first_name")
    )


def officers_for(record: CustodyRecord) -> QuerySet[User]:
    """Officers who may be named the officer in the case: active, of the force, covering
    the suite's county (and the one already named, whatever their area)."""
    return (
        User.objects.filter(is_active=True, role_grants__role=Role.OFFICER)
        .filter(
            Q(force_wide=True)
            | Q(counties=record.suite.county_id)
            | Q(pk=record.officer_in_case_id or 0)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def assessment_of(user: User, record: CustodyRecord) -> RequiredAssessment | None:
    return restrict(RequiredAssessment.objects.filter(record=record), user, "view").first()


def assessment_for_referral(user: User, referral_id: int) -> RequiredAssessment | None:
    """The requirement behind a referral (the provider's referral page)."""
    return restrict(
        RequiredAssessment.objects.filter(referral_id=referral_id), user, "view"
    ).first()


def events_of(user: User, assessment: RequiredAssessment) -> QuerySet[AssessmentEvent]:
    return restrict(
        AssessmentEvent.objects.filter(assessment=assessment), user, "view"
    ).select_related("actor")


def notices_of(user: User, assessment: RequiredAssessment) -> QuerySet[Notice]:
    return restrict(Notice.objects.filter(assessment=assessment), user, "view").defer("pdf")


def breach_tasks(user: User, *, open_only: bool = True) -> QuerySet[BreachTask]:
    """The failures to attend or remain the user must act on (the police task list)."""
    tasks = restrict(BreachTask.objects.all(), user, "view").select_related(
        "assessment__record__suite", "assessment__record__person"
    )
    return tasks.filter(decision="") if open_only else tasks


def overdue_breach_tasks(user: User, today: dt.date) -> QuerySet[BreachTask]:
    return breach_tasks(user).filter(due_on__lt=today)


def booking_matches(
    user: User,
    *,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    pnc_id: str = "",
) -> list[tuple[Person, Match]]:
    """People who may be the detainee, best first: the people app's matcher over the whole
    force (minimal details shown; opening one goes through the person's scope)."""
    identity = Identity(
        given_name=given_name, family_name=family_name, date_of_birth=date_of_birth, pnc_id=pnc_id
    )
    return people_selectors.likely_matches(user, identity)
