"""Pages that add a part to a person record (an address, phone, email, other name, custody
number, flag or consent record) and the page that resolves a flag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.scopes import restrict
from pontio.people import services
from pontio.people.actions import ADD_PARTS, RESOLVE_FLAG
from pontio.people.forms import (
    AddressForm,
    AliasForm,
    ConsentForm,
    CustodyNumberForm,
    EmailForm,
    FlagForm,
    FlagResolveForm,
    PhoneForm,
)
from pontio.people.models import Flag, Person
from pontio.people.views.common import changeable, person_crumbs, user_of


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
    person = changeable(request, pk, ADD_PARTS)
    form = form_class(request.POST or None, initial=initial(person) if initial else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(person, form, AuditContext.from_request(request), user_of(request))
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, done)
            if not restrict(Person.objects.filter(pk=person.pk), user_of(request), "view").exists():
                # A new address outside the user's counties takes the record out of their
                # scope: its page would now ask them to break the glass, so they go to the
                # search instead and are told why.
                messages.info(
                    request,
                    _(
                        "The person now lives outside your area, so their record is no "
                        "longer open to you. Referrals you made still are."
                    ),
                )
                return HttpResponseRedirect(reverse("people:list"))
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(
        request,
        "people/part_form.html",
        {
            "form": form,
            "person": person,
            "title": title,
            "hint": hint,
            "crumbs": person_crumbs(person, (title, None)),
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
    person = changeable(request, pk, RESOLVE_FLAG)
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
                actor=user_of(request),
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
            "crumbs": person_crumbs(person, (_("Resolve a flag"), None)),
        },
    )
