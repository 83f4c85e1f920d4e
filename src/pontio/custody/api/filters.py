"""The custody API list's filters: suite (code), county (ONS code), arrest dates, the custody
number, the assessment state and a funnel step. Codes and dates only, never a name; a value
that is not one of the choices answers 400 by field."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pontio.core.models import County
from pontio.custody.funnel import selectors as funnel
from pontio.custody.models import AssessmentState, CustodyRecord, CustodySuite
from pontio.custody.services import normalise_number

STEP_CHOICES = [(s.key, s.label) for s in funnel.STEPS] + [
    (key, label) for key, (label, _c) in funnel.NOTES.items()
]


class CustodyRecordFilterSet(django_filters.FilterSet):
    suite = django_filters.ChoiceFilter(label=_("Custody suite (code)"), method="by_suite")
    county = django_filters.ChoiceFilter(label=_("County (ONS code)"), method="by_county")
    arrested_from = django_filters.DateFilter(
        label=_("Arrested on or after (date)"), method="by_from"
    )
    arrested_to = django_filters.DateFilter(label=_("Arrested on or before (date)"), method="by_to")
    custody_number = django_filters.CharFilter(label=_("Custody number"), method="by_number")
    assessment_state = django_filters.ChoiceFilter(
        label=_("Required assessment state"),
        choices=AssessmentState.choices,
        field_name="assessment__state",
    )
    step = django_filters.ChoiceFilter(
        label=_("Funnel step reached"), choices=STEP_CHOICES, method="by_step"
    )

    class Meta:
        model = CustodyRecord
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["suite"].extra["choices"] = [
            (s.code, s.code) for s in CustodySuite.objects.order_by("code")
        ]
        self.filters["county"].extra["choices"] = [
            (c.ons_code, c.ons_code) for c in County.objects.effective().defer("boundary")
        ]

    def by_suite(self, rows: QuerySet[CustodyRecord], name: str, value: str) -> Any:
        return rows.filter(suite__code=value)

    def by_county(self, rows: QuerySet[CustodyRecord], name: str, value: str) -> Any:
        return rows.filter(suite__county__ons_code=value)

    def by_from(self, rows: QuerySet[CustodyRecord], name: str, value: Any) -> Any:
        return rows.filter(arrested_at__date__gte=value)

    def by_to(self, rows: QuerySet[CustodyRecord], name: str, value: Any) -> Any:
        return rows.filter(arrested_at__date__lte=value)

    def by_number(self, rows: QuerySet[CustodyRecord], name: str, value: str) -> Any:
        return rows.filter(custody_number=normalise_number(value))

    def by_step(self, rows: QuerySet[CustodyRecord], name: str, value: str) -> Any:
        return rows.filter(funnel.condition(value))

    def chosen(self) -> dict[str, str]:
        data = getattr(self.form, "cleaned_data", {}) or {}
        return {k: str(v) for k, v in data.items() if v not in (None, "")}
