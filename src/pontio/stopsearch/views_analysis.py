"""The stop and search analysis page, its CSV export and the analysts' home panel.

Aggregates only: no record, name or reference is shown. Inspectors see exact figures for
the searches of their area; the OPCC analyst, operations lead and panel members see every
Dyfed-Powys search, counted, with small numbers suppressed (``analysis.show_*``). Filters
travel in the query string as months and codes only. The definitions are on the page and in
docs/stopsearch-analysis.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pontio.accounts.models import User
from pontio.audit.services import audit_request
from pontio.core.access import permission_required
from pontio.core.forms import GovukForm
from pontio.core.models import County
from pontio.core.recording import AuditAction
from pontio.referrals.export import safe_cell, to_csv
from pontio.stopsearch import analysis, denominators
from pontio.stopsearch.models import StreetCrime
from pontio.stopsearch.vocab import Legislation, ObjectOfSearch

FILTER_KEYS = ("month_from", "month_to", "county", "source", "power", "object")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class AnalysisFilterForm(GovukForm):
    """Filters in the query string: months and codes only."""

    month_from = forms.ChoiceField(label=gettext_lazy("From (month)"), required=False)
    month_to = forms.ChoiceField(label=gettext_lazy("To (month)"), required=False)
    county = forms.ChoiceField(label=gettext_lazy("County"), required=False)
    source = forms.ChoiceField(
        label=gettext_lazy("Records"), required=False, choices=analysis.SourceChoice.choices
    )
    power = forms.ChoiceField(label=gettext_lazy("Power (legislation)"), required=False)
    object = forms.ChoiceField(label=gettext_lazy("Object of search"), required=False)

    def __init__(
        self, *args: Any, months: list[dt.date], counties: list[County], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        month_choices = [(m.strftime("%Y-%m"), formats.date_format(m, "F Y")) for m in months]
        self._choices("month_from", [("", _("Earliest")), *month_choices])
        self._choices("month_to", [("", _("Latest")), *month_choices])
        self._choices("county", [everything, *((c.ons_code, c.label) for c in counties)])
        self._choices("power", [everything, *Legislation.choices])
        self._choices("object", [everything, *ObjectOfSearch.choices])
        for form_field in self.fields.values():
            form_field.error_messages["invalid_choice"] = _("Choose an option from the list")

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        self.fields[name].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("month_from"), data.get("month_to")
        if first and last and first > last:
            self.add_error("month_to", _("The last month must be the same as or after the first"))
        return data

    def filters(self) -> analysis.Filters:
        """The valid filters (an invalid one is shown as an error and left out)."""
        data = self.cleaned_data if self.is_bound else {}

        def month(name: str) -> dt.date | None:
            value = data.get(name)
            return dt.date.fromisoformat(f"{value}-01") if value else None

        return analysis.Filters(
            month_from=month("month_from"),
            month_to=month("month_to"),
            county=data.get("county") or "",
            source=data.get("source") or analysis.SourceChoice.BOTH,
            power=data.get("power") or "",
            object=data.get("object") or "",
        )


def _months(user: User) -> list[dt.date]:
    """Months with searches in the user's figures or with street crime, newest first."""
    searched = set(analysis.rows_for(user).filter(force=analysis.FORCE).dates("month", "month"))
    crimes = set(StreetCrime.objects.dates("month", "month"))
    return sorted(searched | crimes, reverse=True)


def _filter_form(request: HttpRequest) -> tuple[AnalysisFilterForm, analysis.Filters]:
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if request.GET.get(key):
            query[key] = request.GET[key]
    form = AnalysisFilterForm(
        query or None,
        months=_months(_user(request)),
        counties=list(County.objects.effective()),
    )
    if form.is_bound:
        form.is_valid()
    return form, form.filters()


def _query(request: HttpRequest) -> str:
    query = QueryDict(mutable=True)
    for key in FILTER_KEYS:
        if request.GET.get(key):
            query[key] = request.GET[key]
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


# --- tables: one description serves the page and the CSV ------------------------------


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    empty: str
    definition: str = ""  # anchor of the definition on the page


def _figure_cells(figures: analysis.Figures, suppress: bool) -> list[str]:
    return [
        analysis.show_count(figures.searches, suppress),
        analysis.show_count(figures.find.numerator, suppress),
        analysis.show_rate(figures.find, suppress),
        analysis.show_count(figures.arrest.numerator, suppress),
        analysis.show_rate(figures.arrest, suppress),
    ]


def _figure_headers(first: str) -> list[str]:
    return [
        first,
        _("Searches"),
        _("Object found"),
        _("Find rate (95% CI)"),
        _("Arrests"),
        _("Arrest rate (95% CI)"),
    ]


def tables(result: analysis.Analysis) -> list[Table]:
    suppress = result.suppress
    no_searches = _("No searches match these filters.")
    built = [
        Table(
            "summary",
            _("All searches"),
            _figure_headers(_("Figures")),
            [[_("All searches"), *_figure_cells(result.summary, suppress)]],
            no_searches,
            "def-find-rate",
        )
    ]
    breakdowns = {
        "county": (_("By county"), _("County")),
        "month": (_("By month"), _("Month")),
        "power": (_("By power"), _("Power (legislation)")),
        "object": (_("By object of search"), _("Object of search")),
        "ethnicity": (_("By officer-defined ethnicity"), _("Officer-defined ethnicity")),
    }
    for by, (title, first) in breakdowns.items():
        built.append(
            Table(
                f"by-{by}",
                title,
                _figure_headers(first),
                [
                    [group.label, *_figure_cells(group.figures, suppress)]
                    for group in result.groups[by]
                ],
                no_searches,
                "def-find-rate",
            )
        )
    built.append(
        Table(
            "outcomes",
            _("Outcome mix"),
            [_("Outcome"), _("Current outcome"), _("Outcome at the time")],
            [
                [
                    line.label,
                    analysis.show_count(line.current, suppress),
                    analysis.show_count(line.original, suppress),
                ]
                for line in result.outcomes
            ],
            no_searches,
            "def-outcome-mix",
        )
    )
    ratios = result.disproportionality
    built.append(
        Table(
            "disproportionality",
            _("Disproportionality by officer-defined ethnicity"),
            [
                _("Officer-defined ethnicity"),
                _("Searches"),
                _("Residents (Census 2011: %(area)s)") % {"area": ratios.population.name},
                _("Searches per 1,000 residents"),
                _("Rate ratio to White (95% CI)"),
            ],
            [
                [
                    str(dict(analysis.labels_for("ethnicity", {})).get(line.group, line.group)),
                    analysis.show_count(line.searches, suppress),
                    formats.number_format(line.population, force_grouping=True),
                    analysis.show_per_thousand(line.per_thousand, line.searches, suppress),
                    analysis.show_ratio(line, suppress),
                ]
                for line in ratios.groups
            ],
            no_searches,
            "def-disproportionality",
        )
    )
    built.append(
        Table(
            "counties",
            _("Searches and referrals from stop and search, by county"),
            [
                _("County"),
                _("Searches"),
                _("Residents (Census 2011)"),
                _("Searches per 1,000 residents"),
                _("Referrals from stop and search"),
            ],
            [
                [
                    line.label,
                    analysis.show_count(line.searches, suppress),
                    formats.number_format(line.population, force_grouping=True),
                    analysis.show_per_thousand(line.per_thousand, line.searches, suppress),
                    analysis.show_count(line.referrals, suppress),
                ]
                for line in result.counties
            ],
            no_searches,
            "def-missed-chances",
        )
    )
    if result.trend is not None:
        built.append(
            Table(
                "drugs-trend",
                _("Drugs crimes recorded (police.uk street crime)"),
                [_("Month"), _("Force"), _("Crimes of type “Drugs”")],
                [
                    [
                        formats.date_format(line.month, "F Y"),
                        line.falls_within,
                        formats.number_format(line.crimes, force_grouping=True),
                    ]
                    for line in result.trend
                ],
                _("No street crime imported for these months."),
                "def-drugs-trend",
            )
        )
    return built


@permission_required("stopsearch.analyse")
@require_GET
def analysis_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form, filters = _filter_form(request)
    result = analysis.analyse(user, filters)
    ratios = result.disproportionality
    return render(
        request,
        "stopsearch/analysis.html",
        {
            "form": form,
            "result": result,
            "tables": tables(result),
            "suppress": result.suppress,
            "small": analysis.SMALL,
            "small_max": analysis.SMALL - 1,
            "not_recorded": analysis.show_count(ratios.not_recorded, result.suppress),
            "area": ratios.population.name,
            "census_source": denominators.source(),
            "census_licence": denominators.licence(),
            "export_query": _query(request),
            "crumbs": [(_("Stop and search analysis"), None)],
        },
    )


@permission_required("stopsearch.analyse")
@require_GET
def analysis_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _form, filters = _filter_form(request)
    result = analysis.analyse(user, filters)
    built = tables(result)
    audit_request(
        request,
        AuditAction.EXPORT,
        object_type="stopsearch.stopsearch",
        reason=(
            f"stop and search analysis; {filters.describe()}; "
            f"searches: {result.summary.searches}; suppressed: {result.suppress}"
        ),
    )
    rows: list[list[Any]] = [
        [_("Stop and search analysis")],
        [_("Denominators: %(source)s") % {"source": denominators.source()}],
        [denominators.licence()],
    ]
    if result.suppress:
        rows.append([_("Counts from 1 to 4 are shown as “fewer than 5”.")])
    for table in built:
        rows.append([])
        rows.append([table.title])
        rows.append(table.headers)
        rows.extend(table.rows or [[table.empty]])
    safe = [[safe_cell(cell) for cell in row] for row in rows]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(to_csv(safe), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="pontio-stop-search-analysis-{stamp}.csv"'
    )
    return response


# --- home panel -----------------------------------------------------------------------


urlpatterns: list[URLPattern] = [
    path("analysis/", analysis_page, name="analysis"),
    path("analysis.csv", analysis_export, name="analysis-export"),
]
