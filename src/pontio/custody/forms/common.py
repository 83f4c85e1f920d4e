"""Pieces the custody forms share: a date and a time typed separately, labelled choices."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def time_field(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=5,
        required=required,
        help_text=_("24-hour clock, for example 14:30"),
        error_messages={"required": _("Enter a time")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )


def clean_time(value: str) -> dt.time | None:
    if not (value or "").strip():
        return None
    match = TIME_RE.match(value.strip())
    if not match:
        raise forms.ValidationError(_("Enter a real time, like 09:30 or 14:30"))
    return dt.time(int(match.group(1)), int(match.group(2)))


def moment(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    """The aware datetime of a date and a time typed (None if either is missing)."""
    if day is None or time is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time))


class LabelledChoiceField(forms.ModelChoiceField):
    """Reference data shown by its label in the user's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class OffenceChoiceField(forms.ModelMultipleChoiceField):
    """Offences by their label, Act and section (in the user's language)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label} ({obj.act} {obj.section})"


class OneOffenceField(forms.ModelChoiceField):
    """One offence by its label, Act and section (in the user's language)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label} ({obj.act} {obj.section})"


class RecordFilterForm(forms.Form):
    """The record list's filters (a GET form: no personal data, only codes and a date)."""

    STATES = [
        ("", _("Any")),
        ("no_test", _("Not tested")),
        ("refused", _("Refused a sample")),
        ("positive", _("Tested positive")),
        ("negative", _("Tested negative")),
        ("assessment", _("Assessment required")),
        ("breach", _("Failure to attend: decision waiting")),
    ]
    suite = LabelledChoiceField(
        label=_("Custody suite"), queryset=None, required=False, empty_label=_("All suites")
    )
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
    arrested_on = forms.DateField(
        label=_("Arrested on"),
        required=False,
        help_text=_("For example, 2026-03-27"),
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
    )

    def __init__(self, *args: Any, suites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suite"].queryset = suites  # type: ignore[attr-defined]
