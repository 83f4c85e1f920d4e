"""Search filters of the audit log: ids and codes only, so no personal data enters a URL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.audit.models import AuditEvent
from pontio.core.forms import GovukDateField
from pontio.core.recording import kind_choices


def _action_choices() -> list[tuple[str, Any]]:
    return [("", _("Any action")), *kind_choices()]


class AuditFilterForm(forms.Form):
    person_id = forms.CharField(label=_("Person id"), required=False, max_length=64)
    actor_id = forms.IntegerField(
        label=_("User id"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Enter a user id as a whole number")},
    )
    action = forms.ChoiceField(label=_("Action"), required=False, choices=_action_choices)
    object_type = forms.CharField(
        label=_("Record type"),
        required=False,
        max_length=100,
        help_text=_("For example accounts.user"),
    )
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    date_from = GovukDateField(label=_("From"), required=False)
    date_to = GovukDateField(label=_("To"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return data

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        data = self.cleaned_data
        for name in ("person_id", "actor_id", "action", "object_type", "object_id"):
            value = data.get(name)
            if value not in (None, ""):
                events = events.filter(**{name: value})
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            start = dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=tz)
            events = events.filter(occurred_at__gte=start)
        if data.get("date_to"):
            end = dt.datetime.combine(
                data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz
            )
            events = events.filter(occurred_at__lt=end)
        return events

    def describe(self) -> str:
        """The filters used, for the reason of an export event."""
        parts = [f"{k}={v}" for k, v in self.cleaned_data.items() if v not in (None, "")]
        return "filters: " + (", ".join(parts) if parts else "none")
