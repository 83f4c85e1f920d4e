"""The facts page's filter: a period (two GOV.UK dates) and, optionally, a county."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukDateField, GovukForm
from pontio.core.models import County
from pontio.oversight.facts.periods import default_period

EARLIEST = dt.date(1993, 1, 1)  # the first year of the ONS files


def latest() -> dt.date:
    """No figure is held beyond next year: a later date is a typing slip."""
    return dt.date(timezone.localdate().year + 1, 12, 31)


KEYS = ("start_0", "start_1", "start_2", "end_0", "end_1", "end_2", "county")


class FactsForm(GovukForm):
    start = GovukDateField(
        label=_("From"),
        required=False,
        earliest=EARLIEST,
        latest=latest,
        help_text=_(
            "The first day of the period. A change over years starts from this day's year. "
            "For example, 1 4 2018"
        ),
    )
    end = GovukDateField(
        label=_("To"),
        required=False,
        earliest=EARLIEST,
        latest=latest,
        help_text=_("The last day of the period, included. For example, 31 3 2019"),
    )
    county = forms.ChoiceField(label=_("County"), required=False)

    def __init__(self, *args: Any, areas: Sequence[County] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The counties of the user's area (the dashboards' areas), else every one in force.
        chosen = areas if areas is not None else County.objects.effective()
        self.counties = {c.ons_code: c for c in chosen}
        self.fields["county"].choices = [  # type: ignore[attr-defined]
            ("", _("The whole force area")),
            *((code, str(c.label)) for code, c in self.counties.items()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("start"), data.get("end")
        if first and last and first > last:
            self.add_error("end", _("The end date must be the same as or after the start date"))
        return data


def read(
    query: QueryDict, today: dt.date, areas: Sequence[County] | None = None
) -> tuple[FactsForm, tuple[dt.date, dt.date, County | None] | None]:
    """The bound form and the period and county it asks for; None when it has errors."""
    start, end = default_period(today)
    if not any(query.get(key) for key in KEYS):
        return FactsForm(initial={"start": start, "end": end}, areas=areas), (start, end, None)
    form = FactsForm(query, areas=areas)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    start = data.get("start") or start
    end = data.get("end") or end
    if start > end:  # one day given, beyond the default other end
        if data.get("start"):
            end = start
        else:
            start = end
    return form, (start, end, form.counties.get(data.get("county") or ""))
