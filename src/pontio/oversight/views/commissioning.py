"""Commissioning pages: the awards (OPCC analyst) and the providers' quarterly returns
(entered by provider managers, read by the OPCC analyst). Thin: the rules are in
``services.commissioning``, the lists read the user's ``view`` scope."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required, scoped_get
from pontio.core.i18n import in_active_language
from pontio.core.permissions import has_permission
from pontio.core.scopes import restrict
from pontio.oversight.facts.base import Scope, money, number
from pontio.oversight.facts.investment import apportioned
from pontio.oversight.facts.periods import (
    financial_year,
    financial_year_label,
    financial_year_of,
    quarter_label,
)
from pontio.oversight.forms_commissioning import AwardEditForm, AwardForm, ReturnForm
from pontio.oversight.models import AwardPurpose, CommissioningAward, ProviderReturn
from pontio.oversight.services import commissioning as services
from pontio.referrals.metrics.periods import quarter_of


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def _crumbs(title: str | None = None) -> list[tuple[str, str | None]]:
    if title is None:
        return [(_("Commissioning awards"), None)]
    return [(_("Commissioning awards"), reverse("oversight:award-list")), (title, None)]


def _data(form: AwardForm) -> services.AwardData:
    data = form.cleaned_data
    return services.AwardData(
        kind=data["kind"],
        reference=data["reference"],
        title_en=data["title_en"],
        title_cy=data.get("title_cy") or "",
        provider_id=int(data["provider"]),
        purpose=data["purpose"],
        value=data["value"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        county_id=int(data["county"]) if data.get("county") else None,
    )


def yearly_totals(
    awards: list[CommissioningAward],
) -> tuple[list[str], list[dict[str, Any]]]:
    """Each financial year's awards by purpose, apportioned by days as the investment fact
    counts them (docs/metrics.md, "fact-investment")."""
    if not awards:
        return [], []
    first = min(financial_year_of(a.starts_on) for a in awards)
    last = max(financial_year_of(a.ends_on) for a in awards)
    purposes = list(AwardPurpose)
    rows = []
    for year in range(first, last + 1):
        start, end = financial_year(year)
        scope = Scope(user=None, start=start, end=end)
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for award in awards:
            if award.starts_on <= end and award.ends_on >= start:
                sums[award.purpose] += apportioned(award, scope)
        rows.append(
            {
                "year": financial_year_label(year),
                "cells": [money(sums[p.value]) for p in purposes],
                "total": money(sum(sums.values(), Decimal(0))),
            }
        )
    return [str(p.label) for p in purposes], rows


@permission_required("oversight.manage_awards")
@require_GET
def award_list(request: HttpRequest) -> HttpResponse:
    awards = list(
        restrict(
            CommissioningAward.objects.select_related("provider", "county"), request.user, "view"
        ).order_by("-starts_on", "reference")
    )
    purposes, totals = yearly_totals(awards)
    rows = [
        {
            "award": award,
            "provider": in_active_language(award.provider.name, award.provider.name_cy),
            "county": award.county.label if award.county else _("Force-wide"),
            "value": money(award.value),
        }
        for award in awards
    ]
    return render(
        request,
        "oversight/commissioning/award_list.html",
        {"rows": rows, "purposes": purposes, "totals": totals, "crumbs": _crumbs()},
    )


@permission_required("oversight.manage_awards")
@require_http_methods(["GET", "POST"])
def award_create(request: HttpRequest) -> HttpResponse:
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.award_create(
                context=AuditContext.from_request(request), actor=_user(request), data=_data(form)
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request, _("Award %(reference)s has been saved.") % {"reference": award.reference}
            )
            return HttpResponseRedirect(reverse("oversight:award-list"))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "oversight/commissioning/award_form.html",
        {"form": form, "title": _("Add an award"), "crumbs": _crumbs(_("Add an award"))},
        status=status,
    )


@permission_required("oversight.manage_awards")
@require_http_methods(["GET", "POST"])
def award_edit(request: HttpRequest, pk: int) -> HttpResponse:
    award = scoped_get(request, CommissioningAward.objects.all(), pk, "change")
    if request.method == "POST":
        form = AwardEditForm(request.POST)
        if form.is_valid():
            try:
                award = services.award_update(
                    context=AuditContext.from_request(request),
                    actor=_user(request),
                    award_id=award.pk,
                    expected_version=form.cleaned_data["version"],
                    data=_data(form),
                )
            except ValidationError as error:
                form.add_validation_error(error)
            else:
                messages.success(
                    request,
                    _("Award %(reference)s has been saved.") % {"reference": award.reference},
                )
                return HttpResponseRedirect(reverse("oversight:award-list"))
    else:
        form = AwardEditForm(initial={**AwardForm.initial_of(award), "version": award.version})
    title = _("Change award %(reference)s") % {"reference": award.reference}
    return render(
        request,
        "oversight/commissioning/award_form.html",
        {"form": form, "title": title, "award": award, "crumbs": _crumbs(title)},
        status=400 if request.method == "POST" else 200,
    )


@permission_required("oversight.view_returns")
@require_GET
def return_list(request: HttpRequest) -> HttpResponse:
    returns = restrict(
        ProviderReturn.objects.select_related("provider"), request.user, "view"
    ).order_by("-quarter_start", "provider__name")
    rows = [
        {
            "quarter": quarter_label(quarter_of(r.quarter_start)),
            "provider": in_active_language(r.provider.name, r.provider.name_cy),
            "in_treatment": number(r.in_treatment),
            "reviewed": number(r.reviewed),
            "reduced_use": number(r.reduced_use),
            "completed": number(r.completed),
            "entered_at": r.entered_at,
        }
        for r in returns
    ]
    return render(
        request,
        "oversight/commissioning/return_list.html",
        {
            "rows": rows,
            "may_enter": has_permission(request.user, "oversight.enter_returns"),
            "crumbs": [(_("Provider returns"), None)],
        },
    )


@permission_required("oversight.enter_returns")
@require_http_methods(["GET", "POST"])
def return_create(request: HttpRequest) -> HttpResponse:
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved, replaced = services.return_record(
                context=AuditContext.from_request(request),
                actor=_user(request),
                data=services.ReturnData(
                    quarter_start=data["quarter_start"],
                    in_treatment=data["in_treatment"],
                    reviewed=data["reviewed"],
                    reduced_use=data["reduced_use"],
                    completed=data.get("completed") or 0,
                ),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            label = quarter_label(quarter_of(saved.quarter_start))
            messages.success(
                request,
                _("Your return for %(quarter)s has replaced the one entered before.")
                % {"quarter": label}
                if replaced
                else _("Your return for %(quarter)s has been saved.") % {"quarter": label},
            )
            return HttpResponseRedirect(reverse("oversight:return-list"))
    return render(
        request,
        "oversight/commissioning/return_form.html",
        {
            "form": form,
            "crumbs": [
                (_("Provider returns"), reverse("oversight:return-list")),
                (_("Enter a quarterly return"), None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )
