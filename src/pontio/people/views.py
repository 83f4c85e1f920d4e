"""Person pages: list and search, detail with history, create with matching, edits, merging.

Views parse input and render; rules live in ``services`` and reads in ``selectors``. No
names travel in URLs: searches are POST forms kept in the session, and the identity typed in
step 1 of "create a person" is kept in the session too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import permission_required, scoped_get
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.people import panels, selectors, services
from pontio.people.forms import (
    AddressForm,
    AliasForm,
    ChooseDuplicateForm,
    ConsentForm,
    CustodyNumberForm,
    EmailForm,
    FlagForm,
    FlagResolveForm,
    IdentityForm,
    MergeForm,
    PersonForm,
    PhoneForm,
    SearchForm,
    UnmergeForm,
)
from pontio.people.models import Flag, Person, PersonMerge

SESSION_SEARCH = "pontio_people_search"
SESSION_IDENTITY = "pontio_people_new_identity"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _crumbs(*extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("People"), reverse("people:list")), *extra]


def _person_crumbs(person: Person, *extra: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return _crumbs((str(person), reverse("people:detail", args=[person.pk])), *extra)


def _reason_labels(codes: tuple[str, ...]) -> list[str]:
    from pontio.people.matching import REASON_LABELS

    return [str(REASON_LABELS.get(code, code)) for code in codes]


def _audit_shown(request: HttpRequest, matches: list[tuple[Person, Any]], reason: str) -> None:
    """Minimal details of possible matches (perhaps outside the user's area) are reads too."""
    for person, _match in matches:
        audit_request(request, AuditAction.READ, obj=person, person_id=person.pk, reason=reason)


def _log_refused_pnc(
    request: HttpRequest, error: ValidationError, person: Person | None = None
) -> None:
    """Log a refused attempt to give a second person a PNC ID that is already in use."""
    if not hasattr(error, "error_dict") or "pnc_id" not in error.error_dict:
        return
    if not any(e.code == "pnc_taken" for e in error.error_dict["pnc_id"]):
        return
    audit_request(
        request,
        AuditAction.DENIED,
        object_type="people.person",
        object_id=str(person.pk) if person else "",
        person_id=person.pk if person else "",
        reason="refused: PNC ID already belongs to another person",
    )


# --- list and search -------------------------------------------------------------------


@permission_required("people.view_person")
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if "clear" in request.POST:
            request.session.pop(SESSION_SEARCH, None)
            return HttpResponseRedirect(reverse("people:list"))
        form = SearchForm(request.POST)
        if form.is_valid():
            request.session[SESSION_SEARCH] = form.to_session()
            return HttpResponseRedirect(reverse("people:list"))
    else:
        saved = request.session.get(SESSION_SEARCH) or {}
        initial: dict[str, Any] = {"name": saved.get("name", "")}
        if saved.get("dob"):
            initial["date_of_birth"] = dt.date.fromisoformat(saved["dob"])
        form = SearchForm(initial=initial)
    saved = request.session.get(SESSION_SEARCH) or {}
    searching = bool(saved.get("name") or saved.get("dob"))
    if searching:
        dob = dt.date.fromisoformat(saved["dob"]) if saved.get("dob") else None
        people = selectors.search_people(request.user, saved.get("name", ""), dob)
    else:
        people = selectors.people_for(request.user)
    page = Paginator(people.order_by("family_name", "given_name", "pk"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "form": form,
            "searching": searching,
            "may_create": has_permission(_user(request), "people.change_person"),
            "crumbs": [(_("People"), None)],
        },
    )


# --- detail ----------------------------------------------------------------------------


@permission_required("people.view_person")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_get(request, Person.objects.all(), pk, person_id=str(pk))
    user = _user(request)
    may_change = (
        person.is_active and restrict(Person.objects.filter(pk=pk), user, "change").exists()
    )
    may_merge = may_change and has_permission(user, "people.merge_person")
    duplicates = []
    if person.is_active:
        shown = selectors.possible_duplicates(user, person)
        _audit_shown(request, shown, "possible duplicate")
        for other, match in shown:
            duplicates.append(
                {
                    "summary": selectors.candidate_summary(other),
                    "reasons": _reason_labels(match.reasons),
                    "likely": match.likely,
                }
            )
    context = {
        "person": person,
        "aliases": person.aliases.all(),
        "custody_numbers": person.custody_numbers.all(),
        "addresses": person.addresses.select_related("county").all(),
        "phones": person.phones.all(),
        "emails": person.emails.all(),
        "flags": person.flags.select_related("raised_by", "resolved_by").all(),
        "consents": person.consents.select_related("recorded_by").all(),
        "merges": PersonMerge.objects.filter(survivor=person).select_related(
            "merged_by", "unmerged_by"
        ),
        "duplicates": duplicates,
        # Sections and buttons of the capabilities built on people (``people.panels``).
        "actions": panels.actions_for(user, person),
        "panels": panels.panels_for(user, person),
        "may_change": may_change,
        "may_merge": may_merge,
        "crumbs": _crumbs((str(person), None)),
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
        {"form": form, "crumbs": _crumbs((_("Add a person"), None))},
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
    matches = selectors.likely_matches(request.user, identity)
    _audit_shown(request, matches, "possible match")
    rows = [
        {
            "summary": selectors.candidate_summary(person),
            "reasons": _reason_labels(match.reasons),
            "likely": match.likely,
        }
        for person, match in matches
    ]
    return render(
        request,
        "people/create_matches.html",
        {
            "identity": saved,
            "date_of_birth": dob,
            "rows": rows,
            "crumbs": _crumbs((_("Add a person"), reverse("people:create")), (_("Check"), None)),
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
                actor=_user(request),
                data=form.to_data(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
            _log_refused_pnc(request, error)
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
            "crumbs": _crumbs((_("Add a person"), reverse("people:create")), (_("Details"), None)),
        },
    )


# --- edit ------------------------------------------------------------------------------


def _changeable(request: HttpRequest, pk: int) -> Person:
    person = scoped_get(
        request, Person.objects.filter(is_active=True), pk, "change", audit_read=False
    )
    return person


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _changeable(request, pk)
    form = PersonForm(request.POST or None, editing=True, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                context=AuditContext.from_request(request),
                actor=_user(request),
                person_id=person.pk,
                expected_version=form.cleaned_data["version"],
                data=form.to_data(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
            _log_refused_pnc(request, error, person)
        else:
            messages.success(request, _("The details have been saved."))
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "crumbs": _person_crumbs(person, (_("Change"), None))},
    )


def _part_page(
    request: HttpRequest,
    pk: int,
    form_class: type[Any],
    title: str,
    save: Callable[[Person, Any, AuditContext, User], object],
    done: str,
    initial: Callable[[Person], dict[str, Any]] | None = None,
    hint: str = "",
) -> HttpResponse:
    """A form that adds one thing to a person, then returns to the record."""
    person = _changeable(request, pk)
    form = form_class(request.POST or None, initial=initial(person) if initial else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(person, form, AuditContext.from_request(request), _user(request))
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(
        request,
        "people/part_form.html",
        {
            "form": form,
            "person": person,
            "title": title,
            "hint": hint,
            "crumbs": _person_crumbs(person, (title, None)),
        },
    )


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_page(
        request,
        pk,
        AddressForm,
        _("Add a new address"),
        lambda p, f, c, u: services.address_add(
            context=c,
            actor=u,
            person_id=p.pk,
            expected_version=f.cleaned_data["version"],
            data=f.to_data(),
        ),
        _("The address has been added. The previous address is kept in the history."),
        initial=lambda p: {"version": p.version},
        hint=_("This becomes the current address. The previous one is kept as history."),
    )


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def phone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_page(
        request,
        pk,
        PhoneForm,
        _("Add a phone number"),
        lambda p, f, c, u: services.phone_add(
            context=c, actor=u, person_id=p.pk, number=f.cleaned_data["number"]
        ),
        _("The phone number has been added."),
    )


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def email_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_page(
        request,
        pk,
        EmailForm,
        _("Add an email address"),
        lambda p, f, c, u: services.email_add(
            context=c, actor=u, person_id=p.pk, address=f.cleaned_data["address"]
        ),
        _("The email address has been added."),
    )


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def alias_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_page(
        request,
        pk,
        AliasForm,
        _("Add another name"),
        lambda p, f, c, u: services.alias_add(
            context=c,
            actor=u,
            person_id=p.pk,
            given_name=f.cleaned_data.get("given_name", ""),
            family_name=f.cleaned_data["family_name"],
        ),
        _("The other name has been added."),
        hint=_("A name the person has used or is known by, such as a previous family name."),
    )


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def custody_number_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_page(
        request,
        pk,
        CustodyNumberForm,
        _("Add a custody number"),
        lambda p, f, c, u: services.custody_number_add(
            context=c, actor=u, person_id=p.pk, number=f.cleaned_data["number"]
        ),
        _("The custody number has been added."),
    )


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def flag_raise(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_page(
        request,
        pk,
        FlagForm,
        _("Raise a flag"),
        lambda p, f, c, u: services.flag_raise(
            context=c,
            actor=u,
            person_id=p.pk,
            kind=f.cleaned_data["kind"],
            reason=f.cleaned_data["reason"],
        ),
        _("The flag has been raised."),
    )


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_page(
        request,
        pk,
        ConsentForm,
        _("Record consent or the lawful basis"),
        lambda p, f, c, u: services.consent_record(
            context=c, actor=u, person_id=p.pk, data=f.to_data()
        ),
        _("The consent record has been saved."),
        hint=_(
            "Record, for one purpose, whether the person agreed or which other lawful basis "
            "applies. A change of mind is a new record: the history keeps both."
        ),
    )


@permission_required("people.change_person")
@require_http_methods(["GET", "POST"])
def flag_resolve(request: HttpRequest, pk: int, flag_pk: int) -> HttpResponse:
    person = _changeable(request, pk)
    flag = scoped_get(
        request,
        Flag.objects.filter(person=person, resolved_at=None),
        flag_pk,
        "change",
        audit_read=False,
    )
    form = FlagResolveForm(request.POST or None, initial={"version": flag.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_resolve(
                context=AuditContext.from_request(request),
                actor=_user(request),
                flag_id=flag.pk,
                expected_version=form.cleaned_data["version"],
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("The flag has been resolved."))
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(
        request,
        "people/flag_resolve.html",
        {
            "form": form,
            "person": person,
            "flag": flag,
            "crumbs": _person_crumbs(person, (_("Resolve a flag"), None)),
        },
    )


# --- merge and unmerge -----------------------------------------------------------------


@permission_required("people.merge_person")
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the duplicate (by record number), then confirm with both records side by side."""
    survivor = _changeable(request, pk)
    crumbs = _person_crumbs(survivor, (_("Merge a duplicate"), None))
    duplicate_id = request.GET.get("duplicate", "")
    if not duplicate_id.isdigit():
        choose = ChooseDuplicateForm(request.GET if "duplicate" in request.GET else None)
        choose.is_valid()
        shown = selectors.possible_duplicates(request.user, survivor)
        _audit_shown(request, shown, "possible duplicate")
        candidates = [
            {"summary": selectors.candidate_summary(other), "reasons": _reason_labels(m.reasons)}
            for other, m in shown
        ]
        return render(
            request,
            "people/merge_choose.html",
            {"form": choose, "person": survivor, "candidates": candidates, "crumbs": crumbs},
        )
    duplicate = _changeable(request, int(duplicate_id))
    if duplicate.pk == survivor.pk:
        messages.info(request, _("Choose two different records to merge."))
        return HttpResponseRedirect(reverse("people:merge", args=[survivor.pk]))
    audit_request(request, AuditAction.READ, obj=duplicate, person_id=duplicate.pk)
    form = MergeForm(
        request.POST or None,
        initial={"survivor_version": survivor.version, "duplicate_version": duplicate.version},
    )
    conflicts = services.merge_conflicts(survivor, duplicate)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_merge(
                context=AuditContext.from_request(request),
                actor=_user(request),
                survivor_id=survivor.pk,
                duplicate_id=duplicate.pk,
                reason=form.cleaned_data["reason"],
                survivor_version=form.cleaned_data["survivor_version"],
                duplicate_version=form.cleaned_data["duplicate_version"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
            if conflicts:
                # A refused merge of conflicting records is logged, like any refusal.
                audit_request(
                    request,
                    AuditAction.DENIED,
                    obj=survivor,
                    person_id=survivor.pk,
                    reason=f"merge refused: records conflict (duplicate {duplicate.pk})",
                )
        else:
            messages.success(
                request,
                _("The records have been merged. The merge can be undone from the record."),
            )
            return HttpResponseRedirect(reverse("people:detail", args=[survivor.pk]))
    sides = [
        {
            "label": _("Record to keep"),
            "person": p,
            "addresses": p.addresses.all(),
            "aliases": p.aliases.all(),
        }
        for p in (survivor, duplicate)
    ]
    sides[1]["label"] = _("Duplicate to merge into it")
    return render(
        request,
        "people/merge_confirm.html",
        {
            "form": form,
            "person": survivor,
            "duplicate": duplicate,
            "sides": sides,
            "conflicts": conflicts,
            "crumbs": crumbs,
        },
    )


@permission_required("people.merge_person")
@require_http_methods(["GET", "POST"])
def person_unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a merge of this record, chosen from its merge history, with a reason."""
    survivor = _changeable(request, pk)
    merges = PersonMerge.objects.filter(survivor=survivor, unmerged_at=None).select_related(
        "duplicate", "merged_by"
    )
    chosen = request.POST.get("merge") or request.GET.get("merge") or ""
    merge = merges.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    form = UnmergeForm(request.POST or None, initial={"merge": merge.pk if merge else None})
    if request.method == "POST":
        if merge is None:
            messages.info(request, _("Choose a merge to undo from the record's merge history."))
            return HttpResponseRedirect(reverse("people:detail", args=[survivor.pk]))
        if form.is_valid():
            try:
                services.person_unmerge(
                    context=AuditContext.from_request(request),
                    actor=_user(request),
                    merge_id=merge.pk,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                messages.success(request, _("The merge has been undone."))
                return HttpResponseRedirect(reverse("people:detail", args=[survivor.pk]))
    return render(
        request,
        "people/unmerge.html",
        {
            "form": form,
            "person": survivor,
            "merge": merge,
            "merges": merges,
            "crumbs": _person_crumbs(survivor, (_("Undo a merge"), None)),
        },
    )
