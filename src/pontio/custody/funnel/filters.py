"""The funnel's filters: a period of arrest dates, a suite (by code), a county (ONS code).

Codes and dates only travel in the query string, never a name. A value that is not valid is
refused on its field and left out (the default applies), so the page always shows figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm
from pontio.core.models import County
from pontio.custody.funnel.selectors import Filters, default_period
from pontio.custody.models import CustodySuite

KEYS = ("date_from", "date_to", "suite", "county")
DATE_WIDGET = {"type": "date", "class": "govuk-input govuk-input--width-10"}
# The longest period the page counts: wider than anyone needs, narrow enough to stay fast.
LONGEST = dt.timedelta(days=3 * 366)


class FunnelFilterForm(GovukForm):
    date_from = forms.DateField(
        label=_("Arrested from"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("The first day, included. For example, 2026-01-01"),
    )
    date_to = forms.DateField(
        label=_("Arrested until"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("The last day, included. For example, 2026-03-31"),
    )
    suite = forms.ChoiceField(label=_("Custody suite"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suites = {s.code: s for s in CustodySuite.objects.order_by("sort_order", "code")}
        self.counties = {c.ons_code: c for c in County.objects.effective().defer("boundary")}
        self.fields["suite"].choices = [  # type: ignore[attr-defined]
            ("", _("All suites")),
            *((code, str(s.label)) for code, s in self.suites.items()),
        ]
        self.fields["county"].choices = [  # type: ignore[attr-defined]
            ("", _("All counties")),
            *((code, str(c.label)) for code, c in self.counties.items()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", _("The last day must be the same as or after the first"))
        elif first and last and last - first > LONGEST:
            self.add_error("date_to", _("Choose a period of three years or less"))
        return data


def read(query: QueryDict, today: dt.date | None = None) -> tuple[FunnelFilterForm, Filters]:
    """The form (bound, with its errors) and the filters it gives: a field that is not valid
    falls back to its default (the last six full months, every suite and county)."""
    data = QueryDict(mutable=True)
    for key in KEYS:
        if query.get(key):
            data[key] = str(query[key])
    start, end = default_period(today)
    form = FunnelFilterForm(data)
    if not data:
        form = FunnelFilterForm(initial={"date_from": start, "date_to": end})
        return form, Filters(start, end)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    if "date_to" not in form.errors:
        start = cleaned.get("date_from") or start
        end = cleaned.get("date_to") or end
        if start > end:  # only "from" given, after the default end
            end = start
    suite = form.suites.get(cleaned.get("suite") or "")
    county = form.counties.get(cleaned.get("county") or "")
    return form, Filters(
        start, end, suite_id=suite.pk if suite else None, county_id=county.pk if county else None
    )


def query_for(filters: Filters, form: FunnelFilterForm, **extra: str) -> str:
    """The query string of the filters in use (codes and dates), with ``extra`` keys."""
    query = QueryDict(mutable=True)
    query["date_from"] = filters.start.isoformat()
    query["date_to"] = filters.end.isoformat()
    for code, suite in form.suites.items():
        if suite.pk == filters.suite_id:
            query["suite"] = code
    for code, county in form.counties.items():
        if county.pk == filters.county_id:
            query["county"] = code
    for key, value in extra.items():
        query[key] = value
    return query.urlencode()
