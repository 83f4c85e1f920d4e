"""The filters of the stop and search lists, as django-filter FilterSets (one per list).

Filters travel in the query string as months and codes only, never a name. A value that is
not one of the choices (a month with no searches, a county code that does not exist, text
typed into the URL) is refused with "Choose an option from the list" on its field and left
out; the other filters still apply, and nothing is ever a server error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm
from pontio.core.models import County
from pontio.stopsearch import analysis
from pontio.stopsearch.models import Source, StopSearch
from pontio.stopsearch.vocab import Legislation, ObjectOfSearch, Outcome

INVALID_CHOICE = {"invalid_choice": _("Choose an option from the list")}


def month_value(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def parse_month_value(value: str) -> dt.date | None:
    """``YYYY-MM`` (a value the choices offered) as the first day of the month."""
    try:
        return dt.date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


class MonthChoiceFilter(django_filters.ChoiceFilter):
    """A month chosen from a list (``YYYY-MM``), compared with a month field."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        month = parse_month_value(value)
        if month is None:
            return qs
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": month})


def _set_choices(filterset: django_filters.FilterSet, name: str, choices: list[Any]) -> None:
    # Before the form is built (it is built on first use, from each filter's field).
    filterset.filters[name].extra["choices"] = choices


class SearchFilterSet(django_filters.FilterSet):
    """The record list: month, county, current outcome, source."""

    month = MonthChoiceFilter(
        field_name="month", label=_("Month"), empty_label=_("All"), error_messages=INVALID_CHOICE
    )
    county = django_filters.ChoiceFilter(
        field_name="county__ons_code",
        label=_("County"),
        empty_label=_("All"),
        error_messages=INVALID_CHOICE,
    )
    outcome = django_filters.ChoiceFilter(
        field_name="current_outcome",
        label=_("Current outcome"),
        choices=Outcome.choices,
        empty_label=_("All"),
        error_messages=INVALID_CHOICE,
    )
    source = django_filters.ChoiceFilter(
        field_name="source",
        label=_("Source"),
        choices=Source.choices,
        empty_label=_("All"),
        error_messages=INVALID_CHOICE,
    )

    class Meta:
        model = StopSearch
        fields: list[str] = []
        form = GovukForm

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[StopSearch] | None = None,
        *,
        counties: list[County],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, queryset, **kwargs)
        months = self.queryset.dates("month", "month", order="DESC")
        _set_choices(self, "month", [(month_value(m), f"{m:%m/%Y}") for m in months])
        _set_choices(self, "county", [(c.ons_code, c.label) for c in counties])


class AnalysisFilterForm(GovukForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("month_from"), data.get("month_to")
        if first and last and first > last:
            self.add_error("month_to", _("The last month must be the same as or after the first"))
        return data


class AnalysisFilterSet(django_filters.FilterSet):
    """The analysis page and its CSV: a range of months, county, source, power, object.

    The rows the filters pick are defined once, in ``analysis.apply_filters``; this set
    parses and checks the query string into ``analysis.Filters`` (which the referral counts,
    the street crime trend and the denominators read too).
    """

    month_from = MonthChoiceFilter(
        label=_("From (month)"), empty_label=_("Earliest"), error_messages=INVALID_CHOICE
    )
    month_to = MonthChoiceFilter(
        label=_("To (month)"), empty_label=_("Latest"), error_messages=INVALID_CHOICE
    )
    county = django_filters.ChoiceFilter(
        label=_("County"), empty_label=_("All"), error_messages=INVALID_CHOICE
    )
    source = django_filters.ChoiceFilter(
        label=_("Records"),
        choices=analysis.SourceChoice.choices,
        empty_label=None,
        error_messages=INVALID_CHOICE,
    )
    power = django_filters.ChoiceFilter(
        label=_("Power (legislation)"),
        choices=Legislation.choices,
        empty_label=_("All"),
        error_messages=INVALID_CHOICE,
    )
    object = django_filters.ChoiceFilter(
        label=_("Object of search"),
        choices=ObjectOfSearch.choices,
        empty_label=_("All"),
        error_messages=INVALID_CHOICE,
    )

    class Meta:
        model = StopSearch
        fields: list[str] = []
        form = AnalysisFilterForm

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[StopSearch] | None = None,
        *,
        months: list[dt.date],
        counties: list[County],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, queryset, **kwargs)
        month_choices = [(month_value(m), formats.date_format(m, "F Y")) for m in months]
        _set_choices(self, "month_from", month_choices)
        _set_choices(self, "month_to", month_choices)
        _set_choices(self, "county", [(c.ons_code, c.label) for c in counties])

    def analysis_filters(self) -> analysis.Filters:
        """The valid filters (an invalid one is shown as an error and left out)."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.form.is_valid()
            data = self.form.cleaned_data
        return analysis.Filters(
            month_from=parse_month_value(data.get("month_from") or ""),
            month_to=parse_month_value(data.get("month_to") or ""),
            county=data.get("county") or "",
            source=data.get("source") or analysis.SourceChoice.BOTH,
            power=data.get("power") or "",
            object=data.get("object") or "",
        )

    def filter_queryset(self, queryset: QuerySet[StopSearch]) -> QuerySet[StopSearch]:
        return analysis.apply_filters(queryset, self.analysis_filters())
