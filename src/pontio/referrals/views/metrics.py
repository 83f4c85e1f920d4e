"""The referral metrics page and the provider's quarterly total of referrals.

Aggregates only: no row, name or reference is shown. The figures count the rows the
policies give for ``aggregate`` (provider managers: their organisation; police supervisors:
their area; the OPCC analyst: every referral, with small counts suppressed, secondary
suppression included: ``metrics.tables``). The definitions are on the page and in
docs/metrics.md.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pontio.core.access import permission_required
from pontio.core.permissions import has_permission
from pontio.core.replica import replica_reads
from pontio.referrals import metrics, selectors, services
from pontio.referrals.forms.metrics import QuarterForm, TotalForm
from pontio.referrals.views.common import context_of, user_of


@permission_required("referrals.view_metrics")
@require_GET
@replica_reads
def metrics_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    today = timezone.localdate()
    quarters = metrics.recent_quarters(today)
    period = metrics.parse_quarter(request.GET.get("quarter"), today)
    form = QuarterForm(initial={"quarter": period.key}, quarters=quarters)
    suppress = not metrics.sees_rows(user)
    cohort = metrics.cohort_for(user)
    summary = metrics.summary(cohort, period, today)
    breakdowns = {
        "county": metrics.breakdown(cohort, period, today, "county", metrics.county_labels()),
        "pathway": metrics.breakdown(cohort, period, today, "pathway", metrics.pathway_labels()),
    }
    totals = metrics.totals_for(user)
    share = metrics.police_share(cohort.referrals, period, totals) if totals is not None else None
    shown = metrics.shown_figures(summary, breakdowns, share, suppress)
    return render(
        request,
        "referrals/metrics.html",
        {
            "form": form,
            "period": period,
            "suppress": suppress,
            "small": metrics.SMALL,
            "small_max": metrics.SMALL - 1,
            "figures": shown.figures,
            "use": shown.use,
            "no_first_contact": shown.no_first_contact,
            "by_county": shown.breakdowns["county"],
            "by_pathway": shown.breakdowns["pathway"],
            "share": shown.share,
            "share_overall": shown.share_overall,
            "outcomes": shown.outcomes,
            "outcomes_by_pathway": shown.outcomes_by.get("pathway", []),
            "may_report_totals": has_permission(user, "referrals.report_totals"),
            "window": metrics.TREATMENT_WINDOW,
            "crumbs": [(_("Referral metrics"), None)],
        },
    )


@permission_required("referrals.report_totals")
@require_http_methods(["GET", "POST"])
def metrics_totals(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    today = timezone.localdate()
    quarters = metrics.total_quarters(today)
    form = TotalForm(request.POST or None, quarters=quarters)
    if request.method == "POST" and form.is_valid():
        chosen = next(p for p in quarters if p.key == form.cleaned_data["quarter"])
        try:
            services.provider_total_record(
                context=context_of(request),
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
        for row in selectors.totals_entered(user)
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
