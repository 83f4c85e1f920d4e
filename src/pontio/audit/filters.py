"""The audit log's search filters, shared by the auditor's page, its CSV export and the API.

Ids and codes only, so no personal data enters a URL: a person is searched by their record
id, a user by their user id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.audit.models import AuditEvent
from pontio.core.forms import GovukDateField, GovukForm
from pontio.core.recording import kind_choices


class AuditFilterForm(GovukForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class DateFilter(django_filters.Filter):
    field_class = GovukDateField


class AuditEventFilter(django_filters.FilterSet):
    person_id = django_filters.CharFilter(label=_("Person id"), max_length=64)
    actor_id = IntegerFilter(
        label=_("User id"),
        min_value=1,
        error_messages={"invalid": _("Enter a user id as a whole number")},
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=kind_choices, empty_label=_("Any action")
    )
    object_type = django_filters.CharFilter(
        label=_("Record type"), max_length=100, help_text=_("For example accounts.user")
    )
    object_id = django_filters.CharFilter(label=_("Record id"), max_length=64)
    date_from = DateFilter(label=_("From"), method="filter_from")
    date_to = DateFilter(label=_("To"), method="filter_to")

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditFilterForm

    def filter_from(self, queryset: QuerySet[AuditEvent], name: str, value: Any) -> Any:
        return queryset.filter(occurred_at__gte=_day_start(value)) if value else queryset

    def filter_to(self, queryset: QuerySet[AuditEvent], name: str, value: Any) -> Any:
        if not value:
            return queryset
        return queryset.filter(occurred_at__lt=_day_start(value + dt.timedelta(days=1)))

    def describe(self) -> str:
        """The filters used, for the reason of a search or export event (ids and codes)."""
        data = self.form.cleaned_data if self.is_valid() else {}
        parts = [f"{k}={v}" for k, v in data.items() if v not in (None, "")]
        return "filters: " + (", ".join(parts) if parts else "none")
