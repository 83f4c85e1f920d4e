"""Find or add the person searched, from a search recorded without one (journey 4).

One page, three steps, each a POST (the names never reach a URL):

1. "find": a name and a date of birth, checked by the people app's identity rules and kept
   in the session for this search; the page then shows who may be the person (the people
   app's matcher over the whole force, minimal details, each one shown audited as the
   people pages audit their matches);
2. "link": "This is the person" links a record the officer may open; a record outside their
   area is opened first (break-glass, with a reason), as on the people pages;
3. "add": none of them: the person is added with the name and date of birth typed, and
   linked, in one transaction.

Then the record offers "Refer this person to support": one click. Whether the page is open
is ``actions.link_person``; the services check it again on the locked row with the version
the page was shown with.
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

from pontio.audit.services import audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.recording import AuditAction
from pontio.people.matching import REASON_LABELS
from pontio.people.selectors import candidate_summary
from pontio.stopsearch import selectors, services
from pontio.stopsearch.actions import LINK_PERSON, search_actions
from pontio.stopsearch.forms.person import PersonChoiceForm, PersonFindForm
from pontio.stopsearch.models import Source, StopSearch
from pontio.stopsearch.views.common import audit_refusal, context_of, user_of

SESSION_FIND = "pontio_stopsearch_person_find"


def _matches(request: HttpRequest, typed: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of possible matches: minimal details and reasons; each shown person's read is
    audited (they may be outside the officer's area)."""
    user = user_of(request)
    matches = selectors.person_matches(user, **typed)
    openable = selectors.linkable_people(user, [person for person, _match in matches])
    rows = []
    for person, match in matches:
        audit_request(
            request, AuditAction.READ, obj=person, person_id=person.pk, reason="possible match"
        )
        rows.append(
            {
                "summary": candidate_summary(person),
                "reasons": [str(REASON_LABELS.get(code, code)) for code in match.reasons],
                "likely": match.likely,
                "linkable": person.pk in openable,
            }
        )
    return rows


def _linked(request: HttpRequest, search: StopSearch) -> HttpResponse:
    request.session.pop(SESSION_FIND, None)
    messages.success(
        request,
        _("%(name)s is linked to search %(reference)s. You can now refer them to support.")
        % {"name": search.person, "reference": search.reference},
    )
    return HttpResponseRedirect(reverse("stopsearch:detail", args=[search.pk]))


@permission_required("stopsearch.record")
@require_http_methods(["GET", "POST"])
def person_link(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    search = scoped_get(
        request,
        StopSearch.objects.filter(source=Source.PONTIO).select_related("person"),
        pk,
        "change",
        audit_read=False,
    )
    audit_request(request, AuditAction.READ, obj=search, person_id=search.person_id or "")
    open_here = LINK_PERSON in search_actions(search, user)
    typed = PersonFindForm.from_session(request.session.get(SESSION_FIND), search.pk)
    find = PersonFindForm(initial={**(typed or {}), "version": search.version})
    choice = PersonChoiceForm(initial={"version": search.version})
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step and not open_here:
        # A person was linked meanwhile (or the page was never open): say so, change nothing.
        return HttpResponseRedirect(reverse("stopsearch:person", args=[search.pk]))
    try:
        if step == "find":
            find = PersonFindForm(request.POST)
            if find.is_valid():
                request.session[SESSION_FIND] = find.to_session(search.pk)
                return HttpResponseRedirect(reverse("stopsearch:person", args=[search.pk]))
        elif step == "link":
            choice = PersonChoiceForm(request.POST)
            if choice.is_valid() and choice.cleaned_data.get("person"):
                linked = services.search_person_link(
                    context=context_of(request),
                    actor=user,
                    search_id=search.pk,
                    expected_version=choice.cleaned_data["version"],
                    person_id=choice.cleaned_data["person"],
                )
                return _linked(request, linked)
        elif step == "add" and typed is not None:
            choice = PersonChoiceForm(request.POST)
            if choice.is_valid():
                linked = services.search_person_add(
                    context=context_of(request),
                    actor=user,
                    search_id=search.pk,
                    expected_version=choice.cleaned_data["version"],
                    **typed,
                )
                return _linked(request, linked)
    except ValidationError as error:
        choice.add_validation_error(error)
        audit_refusal(request, error, "person link", search.person_id, search.pk)
    return render(
        request,
        "stopsearch/record_person.html",
        {
            "search": search,
            "open_here": open_here,
            "find": find,
            "choice": choice,
            "typed": typed,
            "rows": _matches(request, typed) if typed and open_here else [],
            "crumbs": [
                (_("Stop and search"), reverse("stopsearch:list")),
                (search.reference, reverse("stopsearch:detail", args=[search.pk])),
                (_("Find or add the person"), None),
            ],
        },
    )
