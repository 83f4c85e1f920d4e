"""The referral metrics page and the provider's quarterly total of referrals.

Aggregates only: no row, name or reference is shown. The figures cover the rows the user may
open (provider managers: their organisation; police supervisors: their area), or every
referral for the OPCC analyst, whose small counts are suppressed (``metrics.show_*``).
The definitions are on the page and in docs/metrics.md.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from pontio.accounts.models import User
from pontio.audit.services import AuditContext
from pontio.core.access import permission_required
from pontio.core.forms import GovukForm
from pontio.core.permissions import has_permission
from pontio.referrals import metrics
from pontio.referrals.models import ProviderReferralTotal


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class QuarterForm(GovukForm):
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"))

    def __init__(self, *args: Any, quarters: list[metrics.Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(p.key, p.label) for p in quarters]  # type: ignore[attr-defined]


class TotalForm(GovukForm):
    quarter = forms.ChoiceField(
        label=gettext_lazy("Quarter"),
        error_messages={"required": gettext_lazy("Choose the quarter")},
    )
    total = forms.IntegerField(
        label=gettext_lazy("Referrals received from every source"),
        help_text=gettext_lazy(
            "All referrals your organisation received in the quarter, including those sent "
            "through Pontio, as you report them to the Welsh National Database."
        ),
        min_value=0,
        max_value=metrics.MAX_TOTAL,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": gettext_lazy("Enter the number of referrals"),
            "invalid": gettext_lazy("Enter a whole number, like 120"),
            "min_value": gettext_lazy("Enter a number from 0 to 1,000,000"),
            "max_value": gettext_lazy("Enter a number from 0 to 1,000,000"),
        },
    )

    def __init__(self, *args: Any, quarters: list[metrics.Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(p.key, p.label) for p in quarters]  # type: ignore[attr-defined]


def _figures(summary: metrics.Summary, suppress: bool) -> list[dict[str, str]]:
    timing = summary.first_contact
    return [
        {
            "label": _("Referrals sent"),
            "value": metrics.show_count(summary.referrals, suppress),
            "anchor": "def-referrals",
        },
        {
            "label": _("Time to first contact attempt (median)"),
            "value": metrics.show_days(timing.median, timing.count, suppress),
            "anchor": "def-first-contact",
        },
        {
            "label": _("Time to first contact attempt (mean)"),
            "value": metrics.show_days(timing.mean, timing.count, suppress),
            "anchor": "def-first-contact",
        },
        {
            "label": _("Assessed"),
            "value": metrics.show_rate(summary.assessed, suppress),
            "anchor": "def-assessed",
        },
        {
            "label": _("Treatment started within 20 working days"),
            "value": metrics.show_rate(summary.treatment_within_window, suppress),
            "anchor": "def-treatment",
        },
        {
            "label": _("Reduced use of the main substance"),
            "value": metrics.show_rate(summary.reduced_use.rate, suppress),
            "anchor": "def-reduced-use",
        },
    ]


def _rows(groups: list[metrics.Group], suppress: bool) -> list[dict[str, Any]]:
    return [
        {"label": group.label, "cells": [f["value"] for f in _figures(group.summary, suppress)]}
        for group in groups
    ]


def _shares(share: metrics.PoliceShare, suppress: bool) -> list[dict[str, str]]:
    rows = []
    for provider in share.providers:
        if provider.reported_total is None:
            value = _("total not entered")
            total = "-"
        elif not provider.consistent:
            value = _("total entered is below the referrals received through Pontio")
            total = metrics.show_count(provider.reported_total, False)
        else:
            value = metrics.show_rate(provider.rate, suppress)
            total = metrics.show_count(provider.reported_total, False)
        rows.append(
            {
                "provider": provider.provider_name,
                "through_pontio": metrics.show_count(provider.through_pontio, suppress),
                "total": total,
                "share": value,
            }
        )
    return rows


@permission_required("referrals.view_metrics")
@require_GET
def metrics_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    quarters = metrics.recent_quarters(today)
    period = metrics.parse_quarter(request.GET.get("quarter"), today)
    form = QuarterForm(initial={"quarter": period.key}, quarters=quarters)
    suppress = not metrics.sees_rows(user)
    queryset = metrics.rows_for(user)
    summary = metrics.summary(queryset, period, today)
    by_county = metrics.breakdown(queryset, period, today, "county", metrics.county_labels())
    by_pathway = metrics.breakdown(queryset, period, today, "pathway", metrics.pathway_labels())
    totals = metrics.totals_for(user)
    share = metrics.police_share(queryset, period, totals) if totals is not None else None
    use = summary.reduced_use
    return render(
        request,
        "referrals/metrics.html",
        {
            "form": form,
            "period": period,
            "suppress": suppress,
            "small": metrics.SMALL,
            "small_max": metrics.SMALL - 1,
            "figures": _figures(summary, suppress),
            "use": {
                "reduced": metrics.show_count(use.reduced, suppress),
                "unchanged": metrics.show_count(use.unchanged, suppress),
                "increased": metrics.show_count(use.increased, suppress),
                "not_disclosed": metrics.show_count(use.not_disclosed, suppress),
                "no_use_at_start": metrics.show_count(use.no_use_at_start, suppress),
            },
            "no_first_contact": metrics.show_count(summary.no_first_contact, suppress),
            "by_county": _rows(by_county, suppress),
            "by_pathway": _rows(by_pathway, suppress),
            "share": _shares(share, suppress) if share is not None else None,
            "share_overall": (
                metrics.show_rate(share.overall, suppress) if share is not None else ""
            ),
            "may_report_totals": has_permission(user, "referrals.report_totals"),
            "window": metrics.TREATMENT_WINDOW,
            "crumbs": [(_("Referral metrics"), None)],
        },
    )


@permission_required("referrals.report_totals")
@require_http_methods(["GET", "POST"])
def metrics_totals(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    quarters = metrics.total_quarters(today)
    form = TotalForm(request.POST or None, quarters=quarters)
    if request.method == "POST" and form.is_valid():
        chosen = next(p for p in quarters if p.key == form.cleaned_data["quarter"])
        try:
            metrics.provider_total_record(
                context=AuditContext.from_request(request),
                actor=user,
                quarter_start=chosen.start,
                total=form.cleaned_data["total"],
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(
                request,
                _("The total for %(quarter)s has been saved.") % {"quarter": chosen.label},
            )
            return HttpResponseRedirect(reverse("referrals:metrics-totals"))
    labels = {p.start: p.label for p in quarters}
    entered = [
        {
            "quarter": labels.get(row.quarter_start, row.quarter_start.isoformat()),
            "total": row.total,
            "entered_at": row.entered_at,
        }
        for row in ProviderReferralTotal.objects.filter(provider_id=user.organisation_id).order_by(
            "-quarter_start"
        )[:8]
    ]
    return render(
        request,
        "referrals/metrics_totals.html",
        {
            "form": form,
            "entered": entered,
            "crumbs": [
                (_("Referral metrics"), reverse("referrals:metrics")),
                (_("Total referrals"), None),
            ],
        },
    )


urlpatterns = [
    path("metrics/", metrics_page, name="metrics"),
    path("metrics/totals/", metrics_totals, name="metrics-totals"),
]
