"""The user list's filters, shared by the administrators' page and the API: codes and ids
only, so no name goes into a URL."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pontio.accounts.fields import OrganisationChoiceField
from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import Role
from pontio.core.forms import GovukForm


class OrganisationFilter(django_filters.ModelChoiceFilter):
    field_class = OrganisationChoiceField


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        choices=Role.choices,
        empty_label=_("Any role"),
        field_name="role_grants__role",
    )
    organisation = OrganisationFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Any organisation"),
    )

    class Meta:
        model = User
        fields: list[str] = []
        form = GovukForm

    def __init__(
        self, data: Any = None, *, queryset: QuerySet[User], organisations: QuerySet[Organisation]
    ) -> None:
        super().__init__(data, queryset=queryset)
        # Only the organisations the user may see can be chosen (or named in the API).
        self.filters["organisation"].queryset = organisations
