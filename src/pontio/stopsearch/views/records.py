"""Stop and search records: the list, recording a search, the record, and later outcomes.

Officers see the searches they made, supervisors those of their area (``policies``). A
record opened from a person page carries the person's record number in the query string
(``?person=<id>``, a number only, never a name); the person must be in the officer's scope.
Reading a record is audited with the person's id. The officer who made a search reads the
reviewers' feedback on it (the inspector's, the independent reviewer's and the panel's), and
from it starts a referral to support in one click (after finding or adding the person
searched, ``views.person``, when the search was recorded without one). Which
buttons a record shows comes from ``actions`` (the services enforce the same rule).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.keyset import keyset_page
from pontio.core.models import County
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people.models import Person
from pontio.stopsearch import selectors, services
from pontio.stopsearch.actions import LINK_PERSON, REFER, search_actions
from pontio.stopsearch.filters import SearchFilterSet
from pontio.stopsearch.forms.records import OutcomeForm, StopSearchForm
from pontio.stopsearch.models import SearchReview, Source, StopSearch
from pontio.stopsearch.views.common import (
    PAGE_SIZE,
    audit_refusal,
    context_of,
    query_of,
    user_of,
)
from pontio.stopsearch.vocab import LINKED_MEANING, OUTCOME_MEANINGS

FILTER_KEYS = ("month", "county", "outcome", "source")
OUTCOME_TAGS = {
    "nfa": "govuk-tag--grey",
    "arrest": "govuk-tag--red",
    "summons": "govuk-tag--orange",
    "caution": "govuk-tag--yellow",
    "pnd": "govuk-tag--yellow",
    "community_resolution": "govuk-tag--turquoise",
    "drugs_warning": "govuk-tag--turquoise",
}


def _list_crumb() -> tuple[str, str]:
    return (_("Stop and search"), reverse("stopsearch:list"))


def _new_problems(form: StopSearchForm, error: ValidationError) -> ValidationError:
    """The service's messages for the fields the form has not already refused (one message
    per field: "enter the date" after "the date must be a real date" would only confuse)."""
    if not hasattr(error, "error_dict"):
        return error
    kept = {name: errors for name, errors in error.error_dict.items() if name not in form.errors}
    return ValidationError(kept)


# --- the list -----------------------------------------------------------------------------------


@permission_required("stopsearch.view")
def search_list(request: HttpRequest) -> HttpResponse:
    """The searches the user made or supervises, newest first, with filters."""
    user = user_of(request)
    filterset = SearchFilterSet(
        query_of(request, FILTER_KEYS),
        selectors.searches(user),
        counties=list(County.objects.effective().order_by("sort_order", "code")),
    )
    rows = filterset.qs.select_related("county", "officer").defer("county__boundary")
    page = keyset_page(rows, ("-searched_at", "-pk"), request.GET.get("after"), PAGE_SIZE)
    for search in page:
        search.tag_class = OUTCOME_TAGS.get(search.current_outcome, "govuk-tag--grey")
    return render(
        request,
        "stopsearch/record_list.html",
        {
            "form": filterset.form,
            "page": page,
            "may_record": has_permission(user, "stopsearch.record"),
            "crumbs": [(_("Stop and search"), None)],
        },
    )


# --- record a search ----------------------------------------------------------------------------


def _person_from_query(request: HttpRequest) -> Person | None:
    """The person named by ``?person=<id>`` (a record number only), if in the user's scope."""
    raw = (request.GET.get("person") or "").strip()
    if not raw.isdigit():
        return None
    return scoped_get(
        request, Person.objects.filter(is_active=True), int(raw), "view", person_id=raw
    )


def _recorded(request: HttpRequest, search: StopSearch, created: bool) -> HttpResponse:
    if created:
        messages.success(
            request,
            _(
                "Search recorded. Receipt reference %(reference)s. Give the person "
                "this reference: they can ask for a copy of the record."
            )
            % {"reference": search.reference},
        )
    else:
        messages.info(
            request,
            _("This search has already been recorded. Receipt reference %(reference)s.")
            % {"reference": search.reference},
        )
    return HttpResponseRedirect(reverse("stopsearch:detail", args=[search.pk]))


@permission_required("stopsearch.record")
@require_http_methods(["GET", "POST"])
def search_create(request: HttpRequest) -> HttpResponse:
    """Record a search as PACE Code A asks, on one phone-sized page."""
    user = user_of(request)
    person = _person_from_query(request)
    if request.method == "POST":
        form = StopSearchForm(request.POST)
        parsed = form.is_valid()
        # The same form posted again: the search it made, whatever the second post says.
        already = services.already_recorded(user, form.idempotency_key())
        if already is not None:
            return _recorded(request, already, created=False)
        data = form.to_data(person)
        try:
            if parsed:
                search, created = services.search_record(
                    context=context_of(request),
                    actor=user,
                    data=data,
                    idempotency_key=form.idempotency_key(),
                )
                return _recorded(request, search, created)
            # Checked even when the form is not, so that every problem shows at once.
            services.check_search_data(data)
        except ValidationError as error:
            form.add_validation_error(_new_problems(form, error))
            audit_refusal(request, error, "search record", person.pk if person else "")
    else:
        form = StopSearchForm(initial=StopSearchForm.initial_for(user, person))
    return render(
        request,
        "stopsearch/record_form.html",
        {
            "form": form,
            "person": person,
            "crumbs": [_list_crumb(), (_("Record a search"), None)],
        },
    )


# --- the record ---------------------------------------------------------------------------------


def _yes_no_label(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _referral_link(
    user: User, search: StopSearch, actions: frozenset[str]
) -> dict[str, Any] | None:
    """Where "Refer this person to support" goes: the referral form for a linked person in
    scope; otherwise finding or adding the person from the record (``link_person``), or,
    where that is not open (a vehicle search), the people search."""
    if REFER not in actions:
        return None
    person_id = search.person_id
    if person_id is not None and (
        restrict(Person.objects.filter(pk=person_id, is_active=True), user, "view").exists()
    ):
        url = reverse("referrals:create", args=[person_id]) + f"?from_search={search.pk}"
        return {"url": url, "person": True}
    if LINK_PERSON in actions:
        return {"url": reverse("stopsearch:person", args=[search.pk]), "person": False}
    return {"url": reverse("people:list"), "person": False, "elsewhere": True}


def _feedback(review: SearchReview) -> dict[str, Any]:
    """A completed review as the record shows it: the audit's answers or the panel's."""
    return {
        "kind": review.get_kind_display(),
        "panel": review.kind == SearchReview.Kind.PANEL,
        "completed_at": review.completed_at,
        "judgement": review.get_judgement_display(),
        "grounds_reasonable": _yes_no_label(review.grounds_reasonable),
        "record_complete": _yes_no_label(review.record_complete),
        "conduct_proportionate": _yes_no_label(review.conduct_proportionate),
        "video_notes": review.video_notes,
        "learning": review.learning,
    }


@permission_required("stopsearch.view")
def search_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    search = scoped_get(
        request,
        StopSearch.objects.select_related("county", "officer", "officer_organisation", "person"),
        pk,
        "view",
        audit_read=False,
    )
    audit_request(request, AuditAction.READ, obj=search, person_id=search.person_id or "")
    services.feedback_read(context=context_of(request), actor=user, search=search)
    actions = search_actions(search, user)
    history = [
        {
            "decided_on": o.decided_on,
            "kind": o.get_kind_display(),
            "outcome": o.get_outcome_display(),
            "linked": _yes_no_label(o.linked_to_object),
            "reason": o.reason,
            "recorded_by": o.recorded_by.get_full_name() if o.recorded_by else "",
        }
        for o in selectors.outcomes_of(user, search)
    ]
    feedback = [_feedback(review) for review in selectors.feedback_of(user, search)]
    person_visible = (
        search.person_id is not None
        and restrict(Person.objects.filter(pk=search.person_id), user, "view").exists()
    )
    return render(
        request,
        "stopsearch/record_detail.html",
        {
            "search": search,
            "actions": actions,
            "person_visible": person_visible,
            "removal": _yes_no_label(search.removal_of_more_than_outer_clothing),
            "original_linked": _yes_no_label(search.original_linked),
            "current_linked": _yes_no_label(search.current_linked),
            "outcome_changed": search.original_outcome != search.current_outcome
            or search.original_linked != search.current_linked,
            "outcome_meaning": OUTCOME_MEANINGS.get(search.current_outcome, ""),
            "linked_meaning": LINKED_MEANING,
            "history": history,
            "feedback": feedback,
            "referral": _referral_link(user, search, actions),
            "crumbs": [_list_crumb(), (search.reference, None)],
        },
    )


# --- a later outcome ----------------------------------------------------------------------------


@permission_required("stopsearch.record")
@require_http_methods(["GET", "POST"])
def outcome_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a later outcome (drug analysis, charge, caution, no further action); the outcome
    at the time and every earlier update stay as they were."""
    search = scoped_get(
        request,
        StopSearch.objects.filter(source=Source.PONTIO).select_related("county"),
        pk,
        "change",
        audit_read=False,
    )
    form = OutcomeForm(request.POST or None, initial={"version": search.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_update(
                context=context_of(request),
                actor=user_of(request),
                search_id=search.pk,
                expected_version=form.cleaned_data["version"],
                kind=form.cleaned_data.get("kind") or "",
                outcome=form.cleaned_data.get("outcome") or "",
                linked_to_object=form.linked(),
                decided_on=form.cleaned_data.get("decided_on"),
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as error:
            form.add_validation_error(error)
            audit_refusal(request, error, "outcome update", search.person_id, search.pk)
        else:
            messages.success(
                request,
                _("The outcome of search %(reference)s has been updated.")
                % {"reference": search.reference},
            )
            return HttpResponseRedirect(reverse("stopsearch:detail", args=[search.pk]))
    return render(
        request,
        "stopsearch/record_outcome.html",
        {
            "form": form,
            "search": search,
            "crumbs": [
                _list_crumb(),
                (search.reference, reverse("stopsearch:detail", args=[search.pk])),
                (_("Update the outcome"), None),
            ],
        },
    )
