"""Pages of the disposals app: outcomes (its URL patterns are listed here).

The outcomes page and its CSV show aggregates only (no row, name or reference), over the
rows the policies give for ``aggregate``; the figures come from ``selectors.outcomes``. Both
are read-only GETs: nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pontio.accounts.models import User
from pontio.core.access import permission_required
from pontio.core.figures import SMALL
from pontio.core.forms import GovukDateField, GovukForm
from pontio.core.tabular import to_csv
from pontio.disposals.selectors import outcomes as selectors


class PeriodForm(GovukForm):
    """The period of decisions to count: from and to, both included."""

    start = GovukDateField(
        label=gettext_lazy("From"),
        latest=timezone.localdate,
        help_text=gettext_lazy("For example, 1 4 2026"),
    )
    end = GovukDateField(
        label=gettext_lazy("To"),
        latest=timezone.localdate,
        help_text=gettext_lazy("For example, 31 3 2027"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must be the same as or after the start date"))
        return data


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the permission check signed them in
    return user


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.date, dt.date, bool]:
    """The form, the period to show and whether the dates asked for were valid. With no
    dates asked for, the last 12 months; with wrong ones, the last 12 months too (the page
    still shows figures under the error summary)."""
    start, end = selectors.default_period(timezone.localdate())
    asked = any(key.startswith(("start", "end")) for key in request.GET)
    if not asked:
        return PeriodForm(initial={"start": start, "end": end}), start, end, True
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, start, end, False
    return form, form.cleaned_data["start"], form.cleaned_data["end"], True


@permission_required("disposals.outcomes")
@require_GET
def outcomes_page(request: HttpRequest) -> HttpResponse:
    form, start, end, valid = _period(request)
    figures = selectors.outcomes_for(_user(request), start, end)
    query = request.GET.urlencode() if valid else ""
    return render(
        request,
        "disposals/outcomes/page.html",
        {
            "form": form,
            "figures": figures,
            "small": SMALL,
            "small_max": SMALL - 1,
            "months": _("%(first)s or %(second)s")
            % {"first": selectors.FOLLOW_UPS[0], "second": selectors.FOLLOW_UPS[1]},
            "csv_query": query,
            "crumbs": [(_("Disposal outcomes"), None)],
        },
        status=200 if valid else 400,
    )


def csv_rows(figures: selectors.Outcomes) -> list[list[str]]:
    """The page's figures as rows: measure, group, value (suppressed cells as the text)."""
    f = figures
    rows: list[list[str]] = [
        [_("Measure"), _("Group"), _("Value")],
        [_("Period"), _("From"), f.start.isoformat()],
        [_("Period"), _("To"), f.end.isoformat()],
        [_("Decisions"), _("All decisions"), f.decisions.shown],
    ]
    rows += [[_("Decisions by outcome"), c.label, c.shown] for c in f.by_outcome]
    rows += [[_("Disposals by type"), c.label, c.shown] for c in f.by_type]
    rows += [
        [_("Disposal completion"), f.disposals_completed.label, f.disposals_completed.shown],
        [_("Disposal completion"), f.disposals_breached.label, f.disposals_breached.shown],
        [_("Disposal completion"), _("Completion rate"), f.disposal_completion.shown],
    ]
    for c in (
        f.contracts_started,
        f.contracts_completed,
        f.contracts_failed,
        f.contracts_running,
        f.contracts_declined,
    ):
        rows.append([_("Diversion contract completion"), c.label, c.shown])
    rows.append(
        [_("Diversion contract completion"), _("Completion rate"), f.contract_completion.shown]
    )
    rows.append([_("Needs change"), f.assessed_contracts.label, f.assessed_contracts.shown])
    for p in [*f.pathways, f.needs_overall]:
        rows += [
            [_("Risk factors at the start"), p.label, p.risk_start.shown],
            [_("Risk factors at the end"), p.label, p.risk_end.shown],
            [_("Risk factors reduced"), p.label, p.reduction.shown],
        ]
    for r in f.follow_ups:
        section = _("Reoffending within %(months)s months") % {"months": r.months}
        rows += [
            [section, _("Index decisions from"), r.index_start.isoformat()],
            [section, _("Index decisions to"), r.index_end.isoformat()],
            [section, r.cohort.label, r.cohort.shown],
            [section, r.cohort_rate.label + " (%)", r.cohort_rate.shown],
            [section, r.comparison.label, r.comparison.shown],
            [section, r.comparison_rate.label + " (%)", r.comparison_rate.shown],
            [section, r.matched.label, r.matched.shown],
            [section, r.matched_cohort_rate.label + " (%)", r.matched_cohort_rate.shown],
            [section, r.weighted_comparison.label + " (%)", r.weighted_comparison.shown],
        ]
    return rows


@permission_required("disposals.outcomes")
@require_GET
def outcomes_csv(request: HttpRequest) -> HttpResponse:
    form, start, end, valid = _period(request)
    if not valid:
        errors = "; ".join(str(e) for field in form for e in field.errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    figures = selectors.outcomes_for(_user(request), start, end)
    response = HttpResponse(to_csv(csv_rows(figures)), content_type="text/csv; charset=utf-8")
    name = f"pontio-disposal-outcomes-{start.isoformat()}-{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns: list[URLPattern] = [
    path("outcomes/", outcomes_page, name="outcomes"),
    path("outcomes.csv", outcomes_csv, name="outcomes-csv"),
]
