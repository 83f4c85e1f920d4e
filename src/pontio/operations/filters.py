"""The filter of the operations list (the page and the API): codes only. The queryset it
filters is already scoped by ``restrict()``; filtering only narrows it. A value that is not
one of the choices answers 400 by field in the API and an error on the page's form."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pontio.core.models import County
from pontio.operations.models import Operation, Phase


class OperationFilter(django_filters.FilterSet):
    phase = django_filters.ChoiceFilter(
        label=_("Phase"), choices=Phase.choices, empty_label=_("Any phase")
    )
    county = django_filters.ChoiceFilter(
        label=_("County"), choices=(), method="by_county", empty_label=_("Any county")
    )

    class Meta:
        model = Operation
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["county"].extra["choices"] = [
            (c.ons_code, str(c.label))
            for c in County.objects.order_by("sort_order", "pk").defer("boundary")
        ]

    def by_county(
        self, queryset: QuerySet[Operation], name: str, value: str
    ) -> QuerySet[Operation]:
        return queryset.filter(
            pk__in=Operation.objects.filter(counties__ons_code=value).values("pk")
        )
