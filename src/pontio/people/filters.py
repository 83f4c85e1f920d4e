"""The people search: one FilterSet for the page list and the API list.

The page keeps the search in the session (a POST form, so no name is ever in a URL) and
binds the FilterSet to it; the API takes it from the body of a POST, for the same reason.
Both give the same field errors for the same input (a name too long, a date that is not a
date), and both filter with ``selectors.filter_people`` over the people the user may see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from pontio.core.forms import GovukDateField, GovukDateWidget, GovukForm
from pontio.people import selectors
from pontio.people.models import Person

NAME_MAX_LENGTH = 100


class GovukDateInput(GovukDateWidget):
    """The three GOV.UK boxes on the page; one ISO date (``1990-03-27``) from the API. (The
    class name makes the page render it as the GOV.UK date input: ``govukdate``.)"""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        boxes = [f"{name}_{i}" for i in range(3)]
        if name in data and not any(box in data for box in boxes):
            return _as_boxes(data.get(name))
        return super().value_from_datadict(data, files, name)


def _as_boxes(value: Any) -> list[str]:
    if value in (None, ""):
        return ["", "", ""]
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return ["?", "?", "?"]  # not a date: GovukDateField says so
    return [str(day.day), str(day.month), str(day.year)]


class DateFilter(django_filters.Filter):
    field_class = GovukDateField


class SearchForm(GovukForm):
    """The form of the people search (its fields come from ``PersonFilter``)."""


class PersonFilter(django_filters.FilterSet):
    name = extend_schema_field(OpenApiTypes.STR)(
        django_filters.CharFilter(
            label=_("Name"),
            max_length=NAME_MAX_LENGTH,
            help_text=_("Given name, family name or both. Sound-alike spellings are found too."),
        )
    )
    date_of_birth = extend_schema_field(OpenApiTypes.DATE)(
        DateFilter(
            label=_("Date of birth (optional)"),
            widget=GovukDateInput,
        )
    )

    class Meta:
        model = Person
        fields: list[str] = []
        form = SearchForm

    def filter_queryset(self, queryset: QuerySet[Person]) -> QuerySet[Person]:
        data = self.form.cleaned_data
        return selectors.filter_people(queryset, data.get("name") or "", data.get("date_of_birth"))

    @property
    def searching(self) -> bool:
        """Whether a name or a date of birth was given (and is valid)."""
        if not self.is_valid():
            return False
        data = self.form.cleaned_data
        return bool(data.get("name") or data.get("date_of_birth"))

    # --- the page keeps the search in the session ------------------------------------

    def to_session(self) -> dict[str, str]:
        data = self.form.cleaned_data
        dob = data.get("date_of_birth")
        return {"name": data.get("name") or "", "dob": dob.isoformat() if dob else ""}

    @staticmethod
    def data_from_session(saved: dict[str, Any] | None) -> dict[str, str]:
        saved = saved or {}
        return {"name": str(saved.get("name") or ""), "date_of_birth": str(saved.get("dob") or "")}
