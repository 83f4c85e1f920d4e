"""Writes to stop and search records, each in one transaction with its audit event.

Recording follows PACE Code A (DOMAIN.md §5.4): a search made in Pontio cannot be saved
without grounds, the power used (legislation), the object of the search, its type, when and
where, and confirmation that the GOWISELY information was given (PACE s2(3)). Outcomes are
appended, never overwritten (``OutcomeUpdate``), so both the original and the current
outcome can be reported; "outcome linked to object of search" is kept consistent with the
outcome (it is empty for no further action, and required for any other outcome). Whether
anything was found is asked apart from the outcome (``vocab.Found``): "no further action"
says what the police did next, not whether anything was found.

A search is dated from ``core.dates.EARLIEST_EVENT`` to now; an outcome from the day of the
search to today. The police.uk import checks its rows with the same rule
(``check_searched_at``), so a search dated 1800 reaches neither the figures nor the export.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_record
from pontio.core.concurrency import check_version
from pontio.core.dates import EARLIEST_EVENT, check_between
from pontio.core.models import County, snapshot_fields
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people.models import Ethnicity, Person
from pontio.stopsearch.actions import ADD_OUTCOME, search_actions
from pontio.stopsearch.models import OutcomeUpdate, Source, StopSearch
from pontio.stopsearch.vocab import (
    CURRENT_OUTCOMES,
    AgeRange,
    Found,
    Legislation,
    ObjectOfSearch,
    OfficerEthnicity,
    Outcome,
    SearchGender,
    SearchType,
)

SNAPSHOT_EXCLUDE = {"created_at", "updated_at"}
MIN_GROUNDS = 20
MAX_KEY = 80


def snapshot(obj: Any) -> dict[str, Any]:
    return snapshot_fields(obj, exclude=SNAPSHOT_EXCLUDE)


def check_linked(outcome: str, linked: bool | None, field: str = "linked_to_object") -> bool | None:
    """No further action has nothing to link; every other outcome says whether it is linked."""
    if outcome == Outcome.NFA:
        return None
    if linked is None:
        raise ValidationError(
            {field: [_("Say whether the outcome is linked to the object of the search")]},
            code="linked_required",
        )
    return linked


def check_searched_at(
    moment: dt.datetime, now: dt.datetime | None = None, *, tz: dt.tzinfo | None = None
) -> dt.datetime:
    """A search happened from ``EARLIEST_EVENT`` on and not after now (ValidationError with
    the message that says which bound), wherever it comes from: the page or an import.

    An import checking thousands of rows passes ``now`` and the time zone once, rather than
    looking the current time zone up again for every row."""
    now = now or timezone.now()
    if moment > now:
        raise ValidationError(_("The search cannot be in the future"), code="future_search")
    check_between(timezone.localtime(moment, tz).date(), earliest=EARLIEST_EVENT)
    return moment


@dataclass
class SearchData:
    search_type: str
    searched_at: dt.datetime | None
    place: str
    county: County | None
    legislation: str
    object_of_search: str
    grounds: str
    gowisely_given: bool
    outcome: str
    outcome_linked: bool | None = None
    # Whether anything was found (``vocab.Found``): asked apart from the outcome, because "no
    # further action" says nothing about it. Required; empty here only until the form says.
    found: str = ""
    person: Person | None = None
    vehicle_registration: str = ""
    gender: str = ""
    age_range: str = ""
    self_defined_ethnicity: str = ""
    officer_defined_ethnicity: str = ""
    removal_of_more_than_outer_clothing: bool | None = None
    body_worn_video: str = ""
    part_of_operation: bool = False
    operation_name: str = ""


def check_search_data(data: SearchData, now: dt.datetime | None = None) -> SearchData:
    """Every PACE Code A problem at once, by field, or the data cleaned."""
    errors: dict[str, list[str]] = {}

    def need(ok: bool, field: str, message: str) -> None:
        if not ok:
            errors.setdefault(field, []).append(message)

    need(data.search_type in SearchType.values, "search_type", _("Choose what was searched"))
    need(data.searched_at is not None, "searched_at", _("Enter the date and time of the search"))
    if data.searched_at is not None:
        try:
            check_searched_at(data.searched_at, now)
        except ValidationError as error:
            errors["searched_at"] = error.messages
    need(bool(data.place.strip()), "place", _("Enter where the search took place"))
    need(data.county is not None, "county", _("Choose the county"))
    need(
        data.legislation in Legislation.values,
        "legislation",
        _("Choose the power (legislation) used for the search"),
    )
    need(
        data.object_of_search in ObjectOfSearch.values,
        "object_of_search",
        _("Choose what the officer was looking for"),
    )
    grounds = data.grounds.strip()
    if not grounds:
        errors["grounds"] = [_("Enter the grounds for the search")]
    elif len(grounds) < MIN_GROUNDS:
        errors["grounds"] = [
            _("Describe the grounds in more detail: what made you suspect the object was there")
        ]
    need(
        data.gowisely_given,
        "gowisely_given",
        _("Confirm that you gave the GOWISELY information before searching"),
    )
    need(data.found in Found.values, "found", _("Say whether anything was found"))
    need(data.outcome in CURRENT_OUTCOMES, "outcome", _("Choose the outcome of the search"))
    linked = data.outcome_linked
    if data.outcome in CURRENT_OUTCOMES:
        try:
            linked = check_linked(data.outcome, data.outcome_linked, "outcome_linked")
        except ValidationError as error:
            errors.update(error.message_dict)
    person_searched = data.search_type in (SearchType.PERSON, SearchType.PERSON_AND_VEHICLE)
    vehicle_searched = data.search_type in (SearchType.VEHICLE, SearchType.PERSON_AND_VEHICLE)
    registration = data.vehicle_registration.strip().upper().replace(" ", "")
    if vehicle_searched:
        need(bool(registration), "vehicle_registration", _("Enter the vehicle registration"))
    if person_searched:
        need(data.gender in SearchGender.values, "gender", _("Choose the person's gender"))
        need(data.age_range in AgeRange.values, "age_range", _("Choose the person's age range"))
        need(
            data.self_defined_ethnicity in Ethnicity.values,
            "self_defined_ethnicity",
            _("Choose the ethnicity the person gave (or 'Not stated')"),
        )
        need(
            data.officer_defined_ethnicity in OfficerEthnicity.values,
            "officer_defined_ethnicity",
            _("Choose the officer-defined ethnicity"),
        )
        need(
            data.removal_of_more_than_outer_clothing is not None,
            "removal_of_more_than_outer_clothing",
            _("Say whether more than outer clothing was removed"),
        )
    if data.part_of_operation and not data.operation_name.strip():
        errors["operation_name"] = [_("Enter the name of the operation")]
    # The forms stop these too; the service is the rule for every caller (the API), and
    # cutting a longer value short would lose what the officer wrote.
    if len(data.operation_name.strip()) > 120:
        errors["operation_name"] = [_("The name of the operation must be 120 characters or fewer")]
    if len(data.body_worn_video.strip()) > 60:
        errors["body_worn_video"] = [
            _("The body-worn video reference must be 60 characters or fewer")
        ]
    if errors:
        raise ValidationError(errors, code="invalid_search")
    data.grounds = grounds
    data.place = data.place.strip()[:200]
    data.vehicle_registration = registration[:10]
    data.outcome_linked = linked
    if not person_searched:
        data.gender = data.age_range = data.self_defined_ethnicity = ""
        data.officer_defined_ethnicity = ""
        data.removal_of_more_than_outer_clothing = None
    return data


def _reference(search: StopSearch) -> str:
    return f"SS{search.searched_at:%y}-{search.pk:06d}"


def already_recorded(actor: User, key: str) -> StopSearch | None:
    """The search the actor already recorded with this idempotency key, if any."""
    key = (key or "").strip()[:MAX_KEY]
    if not key:
        return None
    searches = StopSearch.objects.filter(officer=actor, idempotency_key=key)
    return restrict(searches, actor, "view").first()


def search_record(
    *, context: AuditContext, actor: User, data: SearchData, idempotency_key: str = ""
) -> tuple[StopSearch, bool]:
    """Save a search made by the actor, with its outcome at the time and a receipt reference.

    Returns (search, created). A repeated idempotency key returns the search first made
    with it and changes nothing (a form posted twice makes one record).
    """
    require_permission(actor, "stopsearch.record")
    key = (idempotency_key or "").strip()[:MAX_KEY]
    existing = already_recorded(actor, key)
    if existing is not None:
        return existing, False
    if (
        data.person is not None
        and not restrict(Person.objects.filter(pk=data.person.pk), actor, "view").exists()
    ):
        raise PermissionDenied
    cleaned = check_search_data(data)
    try:
        with transaction.atomic():
            return _save(context, actor, cleaned, key), True
    except IntegrityError:
        # The same form posted twice at the same moment: the first one stands.
        existing = already_recorded(actor, key)
        if existing is None:
            raise
        return existing, False


def _save(context: AuditContext, actor: User, cleaned: SearchData, key: str) -> StopSearch:
    searched_at = cleaned.searched_at or timezone.now()  # checked: never None here
    local = timezone.localtime(searched_at)
    search = StopSearch.objects.create(
        reference=f"new-{timezone.now().timestamp()}"[:24],
        source=Source.PONTIO,
        search_type=cleaned.search_type,
        searched_at=searched_at,
        month=local.date().replace(day=1),
        place=cleaned.place,
        county=cleaned.county,
        part_of_operation=cleaned.part_of_operation,
        operation_name=cleaned.operation_name.strip()[:120],
        person=cleaned.person,
        vehicle_registration=cleaned.vehicle_registration,
        gender=cleaned.gender,
        age_range=cleaned.age_range,
        self_defined_ethnicity=cleaned.self_defined_ethnicity,
        officer_defined_ethnicity=cleaned.officer_defined_ethnicity,
        legislation=cleaned.legislation,
        object_of_search=cleaned.object_of_search,
        grounds=cleaned.grounds,
        gowisely_given=True,
        removal_of_more_than_outer_clothing=cleaned.removal_of_more_than_outer_clothing,
        body_worn_video=cleaned.body_worn_video.strip()[:60],
        officer=actor,
        officer_organisation=actor.organisation,
        found=cleaned.found,
        original_outcome=cleaned.outcome,
        original_linked=cleaned.outcome_linked,
        current_outcome=cleaned.outcome,
        current_linked=cleaned.outcome_linked,
        idempotency_key=key,
    )
    search.reference = _reference(search)
    search.save(update_fields=["reference"])
    first = OutcomeUpdate.objects.create(
        search=search,
        kind=OutcomeUpdate.Kind.AT_THE_TIME,
        outcome=cleaned.outcome,
        linked_to_object=cleaned.outcome_linked,
        decided_on=local.date(),
        recorded_by=actor,
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=search,
        person_id=search.person_id or "",
        after=snapshot(search),
    )
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=first,
        person_id=search.person_id or "",
        after=snapshot(first),
    )
    return search


def check_outcome_date(search: StopSearch, decided_on: dt.date | None) -> list[str]:
    """The problems of an outcome's date: none before the search, none in the future."""
    searched_on = timezone.localtime(search.searched_at).date()
    if decided_on is None:
        return [_("Enter the date of the outcome")]
    if decided_on < searched_on:
        return [
            _("The outcome cannot be before the search (%(date)s)")
            % {"date": formats.date_format(searched_on, "j F Y")}
        ]
    if decided_on > timezone.localdate():
        return [_("The date cannot be in the future")]
    return []


@transaction.atomic
def outcome_update(
    *,
    context: AuditContext,
    actor: User,
    search_id: int,
    expected_version: int | None,
    kind: str,
    outcome: str,
    linked_to_object: bool | None,
    decided_on: dt.date | None,
    reason: str,
) -> OutcomeUpdate:
    """Add a later outcome (drug analysis, charge, caution, no further action)."""
    require_permission(actor, "stopsearch.record")
    search = (
        restrict(StopSearch.objects.select_for_update(), actor, "change")
        .filter(pk=search_id)
        .first()
    )
    if search is None or ADD_OUTCOME not in search_actions(search, actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if kind not in OutcomeUpdate.Kind.values or kind == OutcomeUpdate.Kind.AT_THE_TIME:
        errors["kind"] = [_("Choose what happened")]
    if outcome not in CURRENT_OUTCOMES:
        errors["outcome"] = [_("Choose the outcome")]
    date_problems = check_outcome_date(search, decided_on)
    if date_problems:
        errors["decided_on"] = date_problems
    if not reason.strip():
        errors["reason"] = [_("Enter the reason for the change of outcome")]
    if outcome in CURRENT_OUTCOMES:
        try:
            linked_to_object = check_linked(outcome, linked_to_object)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors, code="invalid_outcome")
    decided_on = decided_on or timezone.localdate()  # checked above: never None here
    before = snapshot(search)
    check_version(search, expected_version)
    update = OutcomeUpdate.objects.create(
        search=search,
        kind=kind,
        outcome=outcome,
        linked_to_object=linked_to_object,
        decided_on=decided_on,
        reason=reason.strip(),
        recorded_by=actor,
    )
    latest = search.outcomes.order_by("-decided_on", "-recorded_at", "-pk").first()
    if latest is not None:
        search.current_outcome = latest.outcome
        search.current_linked = latest.linked_to_object
    search.save()
    audit_record(
        context=context,
        action=AuditAction.CREATE,
        obj=update,
        person_id=search.person_id or "",
        after=snapshot(update),
    )
    audit_record(
        context=context,
        action=AuditAction.UPDATE,
        obj=search,
        person_id=search.person_id or "",
        before=before,
        after=snapshot(search),
    )
    return update
