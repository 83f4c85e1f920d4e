"""Filters of the disposal and diversion contract lists (pages, exports and the API).

Codes and dates only, never a name: a value that is not one of the choices answers 400 by
field in the API and an error on the filter form in the pages. The querysets they filter are
already scoped by ``restrict()``; filtering only narrows them.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pontio.core.models import County
from pontio.disposals.models import (
    ContractState,
    Disposal,
    DisposalState,
    DisposalType,
    DiversionContract,
    Outcome,
)

NAVIGATOR_ME = "me"
NAVIGATOR_UNASSIGNED = "unassigned"
NAVIGATOR_CHOICES = [
    (NAVIGATOR_ME, _("Mine")),
    (NAVIGATOR_UNASSIGNED, _("Not yet assigned")),
]


def _county_choices() -> list[tuple[str, str]]:
    return [(c.ons_code, c.ons_code) for c in County.objects.effective().defer("boundary")]


class _Chosen:
    form: Any

    def chosen(self) -> dict[str, str]:
        """The filters in use, as strings (for the page's summary and the export's link)."""
        data = getattr(self.form, "cleaned_data", {}) or {}
        return {k: str(v) for k, v in data.items() if v not in (None, "")}


class DisposalFilter(_Chosen, django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=DisposalState.choices)
    outcome = django_filters.ChoiceFilter(label=_("Decision"), choices=Outcome.choices)
    disposal_type = django_filters.ChoiceFilter(label=_("Disposal type (code)"), method="by_type")
    county = django_filters.ChoiceFilter(label=_("County (ONS code)"), method="by_county")
    decided_from = django_filters.DateFilter(
        label=_("Decided on or after (date)"), method="by_from"
    )
    decided_to = django_filters.DateFilter(label=_("Decided on or before (date)"), method="by_to")
    reference = django_filters.CharFilter(
        label=_("Reference, custody or crime number"), method="by_reference"
    )

    class Meta:
        model = Disposal
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Ended types stay choosable: historic disposals were made with them.
        self.filters["disposal_type"].extra["choices"] = [
            (t.code, t.code) for t in DisposalType.objects.order_by("sort_order", "code")
        ]
        self.filters["county"].extra["choices"] = _county_choices()

    def by_type(self, rows: QuerySet[Disposal], name: str, value: str) -> Any:
        return rows.filter(disposal_type__code=value)

    def by_county(self, rows: QuerySet[Disposal], name: str, value: str) -> Any:
        return rows.filter(county__ons_code=value)

    def by_from(self, rows: QuerySet[Disposal], name: str, value: Any) -> Any:
        return rows.filter(decided_at__date__gte=value)

    def by_to(self, rows: QuerySet[Disposal], name: str, value: Any) -> Any:
        return rows.filter(decided_at__date__lte=value)

    def by_reference(self, rows: QuerySet[Disposal], name: str, value: str) -> Any:
        value = value.strip()
        if not value:
            return rows
        return rows.filter(
            Q(reference__iexact=value)
            | Q(source_reference__iexact=value.replace(" ", ""))
            | Q(source_reference__iexact=value)
        )


class ContractFilter(_Chosen, django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=ContractState.choices)
    navigator = django_filters.ChoiceFilter(
        label=_("Navigator"), choices=NAVIGATOR_CHOICES, method="by_navigator"
    )
    county = django_filters.ChoiceFilter(label=_("County (ONS code)"), method="by_county")
    referred_from = django_filters.DateFilter(
        label=_("Referred on or after (date)"), method="by_from"
    )
    referred_to = django_filters.DateFilter(label=_("Referred on or before (date)"), method="by_to")

    class Meta:
        model = DiversionContract
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["county"].extra["choices"] = _county_choices()

    def by_navigator(self, rows: QuerySet[DiversionContract], name: str, value: str) -> Any:
        if value == NAVIGATOR_UNASSIGNED:
            return rows.filter(navigator__isnull=True)
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return rows.none()
        return rows.filter(navigator=user)

    def by_county(self, rows: QuerySet[DiversionContract], name: str, value: str) -> Any:
        return rows.filter(county__ons_code=value)

    def by_from(self, rows: QuerySet[DiversionContract], name: str, value: Any) -> Any:
        return rows.filter(referred_at__date__gte=value)

    def by_to(self, rows: QuerySet[DiversionContract], name: str, value: Any) -> Any:
        return rows.filter(referred_at__date__lte=value)
