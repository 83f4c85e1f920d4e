"""The directory search: one FilterSet for the officers' search page and the API list.

The page lists the active services that match; the API lists every service the caller may
export (active and inactive, as in the Open Referral export) that matches. Both parse the
same parameters with the same messages (``?substance=opioids&county=W06000010&age=34``), and
both filter with ``selectors.filter_services``. An invalid value is a field error (a 400 in
the API), never an empty list and never a server error.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from pontio.core.forms import GovukForm
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.directory import selectors
from pontio.directory.models import Service, Substance

MAX_SEARCH_AGE = 120
TRUE_WORDS = frozenset({"on", "true", "1", "yes"})
FALSE_WORDS = frozenset({"off", "false", "0", "no", ""})


class Checkbox(forms.CheckboxInput):
    """A checkbox on the page (``on``); ``true`` or ``false`` in the API. Anything else is
    passed on as typed, for ``YesNoField`` to refuse (a plain checkbox would take it as
    ticked)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name not in data:
            return False
        value = data.get(name)
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        return value


class YesNoField(forms.Field):
    widget = Checkbox
    default_error_messages = {"invalid": _("Enter true or false")}

    def to_python(self, value: Any) -> bool:
        if value in (None, False, True):
            return bool(value)
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class YesNoFilter(django_filters.Filter):
    field_class = YesNoField


class WholeNumberFilter(django_filters.Filter):
    field_class = forms.IntegerField


def _substances(request: Any) -> QuerySet[Substance]:
    return restrict(Substance.objects.effective(), getattr(request, "user", None), "view")


def _counties(request: Any) -> QuerySet[County]:
    return restrict(County.objects.effective(), getattr(request, "user", None), "view")


class SearchForm(GovukForm):
    """The search's form (its fields come from ``ServiceFilter``): a typed place is turned
    into a county by the selectors' rule, whose errors are shown on the place."""

    user: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["place_county"] = None
        try:
            cleaned["place_county"] = selectors.search_county(
                self.user, cleaned.get("county"), cleaned.get("place") or ""
            )
        except ValidationError as error:
            self.add_validation_error(error)
        return cleaned


class ServiceFilter(django_filters.FilterSet):
    substance = extend_schema_field(OpenApiTypes.STR)(
        django_filters.ModelChoiceFilter(
            label=_("Need or substance"),
            queryset=_substances,
            to_field_name="code",
            empty_label=_("Any"),
        )
    )
    county = extend_schema_field(OpenApiTypes.STR)(
        django_filters.ModelChoiceFilter(
            label=_("County"),
            queryset=_counties,
            to_field_name="ons_code",
            empty_label=_("Any"),
        )
    )
    place = django_filters.CharFilter(
        label=_("Town or postcode"),
        max_length=60,
        help_text=_("For example, Llanelli or SA31 1AB"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    age = extend_schema_field(OpenApiTypes.INT)(
        WholeNumberFilter(
            label=_("Age of the person"),
            min_value=0,
            max_value=MAX_SEARCH_AGE,
            help_text=_("Shows only services the person is old enough (or young enough) for"),
            error_messages={
                "invalid": _("Age must be a whole number, like 34"),
                "min_value": _("Age must be 0 or more"),
                "max_value": _("Age must be 120 or less"),
            },
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        )
    )
    pontio_only = extend_schema_field(OpenApiTypes.BOOL)(
        YesNoFilter(label=_("Only services that accept referrals through Pontio"))
    )
    criminal_justice_only = extend_schema_field(OpenApiTypes.BOOL)(
        YesNoFilter(label=_("Only services that accept criminal justice referrals"))
    )

    class Meta:
        model = Service
        fields: list[str] = []
        form = SearchForm

    @property
    def form(self) -> SearchForm:
        form: SearchForm = super().form
        # The place is looked up in the directory the user may read.
        form.user = getattr(self.request, "user", None)
        return form

    def criteria(self) -> selectors.SearchCriteria:
        data = self.form.cleaned_data
        substance = data.get("substance")
        return selectors.SearchCriteria(
            substance_code=substance.code if substance else "",
            county=data.get("place_county") or data.get("county"),
            age=data.get("age"),
            pontio_only=bool(data.get("pontio_only")),
            criminal_justice_only=bool(data.get("criminal_justice_only")),
        )

    def filter_queryset(self, queryset: QuerySet[Service]) -> QuerySet[Service]:
        return selectors.filter_services(queryset, self.criteria())
