"""The filter of the operations list (the page and the API): codes only. The queryset it
filters is already scoped by ``restrict()``; filtering only narrows it. A value that is not
one of the choices answers 400 by field in the API and an error on the page's form."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pontio.accounts.areas import area_counties
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
        user = getattr(self.request, "user", None)
        counties = (
            area_counties(user)
            if user is not None and user.is_authenticated
            else County.objects.order_by("sort_order", "pk")
        )
        county = self.filters["county"]
        county.extra["choices"] = [(c.ons_code, str(c.label)) for c in counties]
        # A field built earlier (the schema generator reads the class's filters) would keep
        # the choices it was built with: build it again with these.
        if hasattr(county, "_field"):
            del county._field

    def by_county(
        self, queryset: QuerySet[Operation], name: str, value: str
    ) -> QuerySet[Operation]:
        return queryset.filter(
            pk__in=Operation.objects.filter(counties__ons_code=value).values("pk")
        )
