"""Booking a detainee in (journey 3, step 1): find the person, then the custody record.

One page, each step a POST (the names never reach a URL):

1. "find": a name and a date of birth, checked by the people app's identity rules and kept
   in the session; the page then shows who may be the person (the people app's matcher over
   the whole force, minimal details; each one shown is an audited read, as on the people
   pages);
2. "choose": "This is the person" (a record the sergeant may open), or "new": none of
   them, the person is added with what was typed when the record is saved;
3. "book": the suite, the custody number, the arrest, the offences and the appropriate
   adult: ``services.custody_book`` makes the record and adds the custody number to the
   person, in one transaction.
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
from pontio.core.access import permission_required
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.custody import selectors, services
from pontio.custody.forms import BookingForm, DetaineeChoiceForm, DetaineeFindForm, typed_of
from pontio.custody.views.common import (
    audit_refusal,
    context_of,
    list_crumb,
    show_error,
    user_of,
)
from pontio.people.matching import REASON_LABELS
from pontio.people.models import Person
from pontio.people.selectors import candidate_summary
from pontio.people.services import PersonData

SESSION_BOOK = "pontio_custody_booking"
RENAMES = {"arrested_at": "arrested_on"}


def _matches(request: HttpRequest, typed: dict[str, Any]) -> list[dict[str, Any]]:
    user = user_of(request)
    matches = selectors.booking_matches(
        user,
        given_name=typed["given_name"],
        family_name=typed["family_name"],
        date_of_birth=typed["date_of_birth"],
    )
    people = [person for person, _match in matches]
    openable = set(
        restrict(
            Person.objects.filter(pk__in=[p.pk for p in people], is_active=True), user, "view"
        ).values_list("pk", flat=True)
    )
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


def _chosen_person(request: HttpRequest, typed: dict[str, Any] | None) -> Person | None:
    if typed is None or typed["person"] is None:
        return None
    return (
        restrict(Person.objects.filter(is_active=True), user_of(request), "view")
        .filter(pk=typed["person"])
        .first()
    )


def _save_choice(request: HttpRequest, typed: dict[str, Any], **choice: Any) -> HttpResponse:
    saved = dict(request.session.get(SESSION_BOOK) or {})
    saved.update(choice)
    request.session[SESSION_BOOK] = saved
    return HttpResponseRedirect(reverse("custody:book"))


def _finding(typed: dict[str, Any] | None, person: Person | None) -> bool:
    return typed is not None and person is None and not typed["new"]


@permission_required("custody.book")
@require_http_methods(["GET", "POST"])
def record_book(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    typed = typed_of(request.session.get(SESSION_BOOK))
    suites = services.suites_for(user)
    find = DetaineeFindForm(initial=typed or {})
    choice = DetaineeChoiceForm()
    booking = BookingForm(initial=BookingForm.initial_for(suites), suites=suites)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    person = _chosen_person(request, typed)
    if step == "find":
        find = DetaineeFindForm(request.POST)
        if find.is_valid():
            request.session[SESSION_BOOK] = find.to_session()
            return HttpResponseRedirect(reverse("custody:book"))
    elif step == "choose" and typed is not None:
        choice = DetaineeChoiceForm(request.POST)
        if choice.is_valid() and choice.cleaned_data.get("person"):
            return _save_choice(request, typed, person=choice.cleaned_data["person"], new=False)
    elif step == "new" and typed is not None:
        return _save_choice(request, typed, person=None, new=True)
    elif step == "restart":
        request.session.pop(SESSION_BOOK, None)
        return HttpResponseRedirect(reverse("custody:book"))
    elif step == "book" and typed is not None and (person is not None or typed["new"]):
        booking = BookingForm(request.POST, suites=suites)
        parsed = booking.is_valid()
        data = booking.to_data()
        try:
            if parsed:
                record = services.custody_book(
                    context=context_of(request),
                    actor=user,
                    data=data,
                    person_id=person.pk if person is not None else None,
                    new_person=None
                    if person is not None
                    else PersonData(
                        given_name=typed["given_name"],
                        family_name=typed["family_name"],
                        date_of_birth=typed["date_of_birth"],
                    ),
                    # The sergeant saw the matches and chose "someone new".
                    confirm_new=person is None,
                )
                request.session.pop(SESSION_BOOK, None)
                messages.success(
                    request,
                    _(
                        "Custody record %(number)s made. The custody number is on the "
                        "person's record."
                    )
                    % {"number": record.custody_number},
                )
                return HttpResponseRedirect(reverse("custody:detail", args=[record.pk]))
            services.check_booking(user, data)  # every problem at once
        except ValidationError as error:
            show_error(booking, error, RENAMES)
            audit_refusal(request, error, "booking", person.pk if person else "")
    if person is not None:
        audit_request(request, AuditAction.READ, obj=person, person_id=person.pk, reason="booking")
    return render(
        request,
        "custody/book.html",
        {
            "find": find,
            "choice": choice,
            "booking": booking,
            "typed": typed,
            "person": person,
            "chosen": typed is not None and (person is not None or typed["new"]),
            "rows": _matches(request, typed)
            if typed and person is None and not typed["new"]
            else [],
            "crumbs": [list_crumb(), (_("Book a detainee in"), None)],
        },
    )
