"""Person pages: the list and its search, a person's record, "add a person" in two steps
(with likely matches in between), and changing the identity details.

No names travel in URLs: the search is a POST form kept in the session, and the identity
typed in step 1 of "add a person" is kept in the session too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.permissions import has_permission
from pontio.people import panels, selectors, services
from pontio.people.actions import actions_for
from pontio.people.filters import PersonFilter
from pontio.people.forms import IdentityForm, PersonForm
from pontio.people.models import Person
from pontio.people.views.common import (
    changeable,
    crumbs,
    person_crumbs,
    reason_labels,
    shown_matches,
    user_of,
)

SESSION_SEARCH = "pontio_people_search"
SESSION_IDENTITY = "pontio_people_new_identity"
PAGE_SIZE = 25


# --- list and search -------------------------------------------------------------------


@permission_required("people.view_person")
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    people = selectors.people_for(request.user)
    if request.method == "POST":
        if "clear" in request.POST:
            request.session.pop(SESSION_SEARCH, None)
            return HttpResponseRedirect(reverse("people:list"))
        search = PersonFilter(request.POST, queryset=people, request=request)
        if search.is_valid():
            request.session[SESSION_SEARCH] = search.to_session()
            return HttpResponseRedirect(reverse("people:list"))
        # Invalid: the page shows the errors over the last search that was valid.
        shown = PersonFilter(
            PersonFilter.data_from_session(request.session.get(SESSION_SEARCH)),
            queryset=people,
            request=request,
        )
    else:
        search = shown = PersonFilter(
            PersonFilter.data_from_session(request.session.get(SESSION_SEARCH)),
            queryset=people,
            request=request,
        )
    searching = shown.searching
    rows = shown.qs if shown.is_valid() else people.none()
    scored = None
    if searching and shown.is_valid():
        data = shown.form.cleaned_data
        scored = selectors.scored_search(
            user_of(request), rows, data.get("name") or "", data.get("date_of_birth")
        )
    if scored is not None:
        # Most likely first, each with why it was found (the matcher's reasons).
        for person, match in scored:
            person.match_likely = match.likely  # type: ignore[attr-defined]
            person.match_reasons = reason_labels(match.reasons[:3])  # type: ignore[attr-defined]
            person.current_addresses = [  # type: ignore[attr-defined]
                a for a in person.addresses.all() if a.valid_to is None
            ]
        listed: Any = [person for person, _match in scored]
    else:
        listed = rows.order_by("family_name", "given_name", "pk")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "form": search.form,
            "searching": searching,
            "scored": scored is not None,
            "may_create": has_permission(user_of(request), "people.change_person"),
            "crumbs": [(_("People"), None)],
        },
    )


# --- detail ----------------------------------------------------------------------------


@permission_required("people.view_person")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_get(request, Person.objects.all(), pk, person_id=str(pk))
    user = user_of(request)
    duplicates: list[dict[str, Any]] = []
    if person.is_active:
        duplicates = shown_matches(
            request, selectors.possible_duplicates(user, person), "possible duplicate"
        )
    rows = selectors.person_page(user, person)
    context = {
        "person": person,
        "aliases": rows.aliases,
        "custody_numbers": rows.custody_numbers,
        "addresses": rows.addresses,
        "phones": rows.phones,
        "emails": rows.emails,
        "flags": rows.flags,
        "consents": rows.consents,
        "merges": rows.merges,
        "duplicates": duplicates,
        # What this user may do here (``people.actions``): the page shows only those.
        "person_actions": actions_for(person, user),
        # Sections and buttons of the capabilities built on people (``people.panels``).
        "actions": panels.buttons_for(user, person),
        "panels": panels.panels_for(user, person),
        "crumbs": crumbs((str(person), None)),
    }
    return render(request, "people/person_detail.html", context)


# --- create (two steps) ----------------------------------------------------------------


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    """Step 1: who is it? The typed identity is kept in the session, never in the URL."""
    saved = request.session.get(SESSION_IDENTITY)
    initial = None
    if saved and request.method == "GET":
        initial = dict(saved)
        if initial.get("date_of_birth"):
            initial["date_of_birth"] = dt.date.fromisoformat(initial["date_of_birth"])
    form = IdentityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_IDENTITY] = form.to_session()
        return HttpResponseRedirect(reverse("people:create-matches"))
    return render(
        request,
        "people/create_identity.html",
        {"form": form, "crumbs": crumbs((_("Add a person"), None))},
    )


def _session_identity(request: HttpRequest) -> dict[str, Any] | None:
    saved = request.session.get(SESSION_IDENTITY)
    return dict(saved) if saved else None


@permission_required("people.change_person")
def person_create_matches(request: HttpRequest) -> HttpResponse:
    """Likely existing people, ranked with reasons; or go on to create a new record."""
    from pontio.people.matching import Identity

    saved = _session_identity(request)
    if saved is None:
        return HttpResponseRedirect(reverse("people:create"))
    dob = dt.date.fromisoformat(saved["date_of_birth"]) if saved.get("date_of_birth") else None
    identity = Identity(
        given_name=saved.get("given_name", ""),
        family_name=saved.get("family_name", ""),
        date_of_birth=dob,
        pnc_id=saved.get("pnc_id", ""),
        postcode=saved.get("postcode", ""),
    )
    rows = shown_matches(
        request, selectors.likely_matches(request.user, identity), "possible match"
    )
    return render(
        request,
        "people/create_matches.html",
        {
            "identity": saved,
            "date_of_birth": dob,
            "rows": rows,
            "crumbs": crumbs((_("Add a person"), reverse("people:create")), (_("Check"), None)),
        },
    )


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def person_create_details(request: HttpRequest) -> HttpResponse:
    """Step 2: the rest of the details, then save."""
    saved = _session_identity(request)
    if saved is None:
        return HttpResponseRedirect(reverse("people:create"))
    initial = {
        "given_name": saved.get("given_name", ""),
        "family_name": saved.get("family_name", ""),
        "pnc_id": saved.get("pnc_id", ""),
        "preferred_language": "en",
        "gender": "not_stated",
        "self_defined_ethnicity": "NS",
    }
    if saved.get("date_of_birth"):
        initial["date_of_birth"] = dt.date.fromisoformat(saved["date_of_birth"])
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                data=form.to_data(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            request.session.pop(SESSION_IDENTITY, None)
            messages.success(request, _("The person has been added."))
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "person": None,
            "crumbs": crumbs((_("Add a person"), reverse("people:create")), (_("Details"), None)),
        },
    )


# --- edit ------------------------------------------------------------------------------


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = changeable(request, pk)
    form = PersonForm(request.POST or None, editing=True, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                person_id=person.pk,
                expected_version=form.cleaned_data["version"],
                data=form.to_data(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The details have been saved."))
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "crumbs": person_crumbs(person, (_("Change"), None))},
    )
