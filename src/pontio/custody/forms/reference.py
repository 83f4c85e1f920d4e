"""Administrators' forms for the custody reference data: suites, notifications, offences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukDateField, GovukForm, VersionField
from pontio.core.models import County
from pontio.custody.forms.common import LabelledChoiceField
from pontio.custody.models import AgeGroup, Cohort, CustodySuite

END_HELP = _("The first day it no longer applies. Leave blank if it still applies.")


class _ReferenceForm(GovukForm):
    version = VersionField(required=False)
    FIELDS: tuple[str, ...] = ()

    def __init__(self, data: Any = None, *, instance: models.Model | None = None) -> None:
        initial: dict[str, Any] = {}
        if instance is not None:
            for name in self.FIELDS:
                value = getattr(instance, name)
                initial[name] = value.pk if isinstance(value, models.Model) else value
            initial["version"] = getattr(instance, "version", None)
        super().__init__(data, initial=initial)
        self.prepare()

    def prepare(self) -> None:
        """Querysets of the choices (at request time, in the user's language)."""

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


class SuiteForm(_ReferenceForm):
    FIELDS = ("code", "label_en", "label_cy", "county", "valid_from", "valid_to")
    code = forms.CharField(label=_("Code"), max_length=40)
    label_en = forms.CharField(label=_("Name in English"), max_length=200)
    label_cy = forms.CharField(label=_("Name in Welsh"), max_length=200)
    county = LabelledChoiceField(
        label=_("County"), queryset=County.objects.none(), empty_label=_("Choose the county")
    )
    valid_from = GovukDateField(label=_("In use from"), required=False)
    valid_to = GovukDateField(label=_("In use until"), required=False, help_text=END_HELP)

    def prepare(self) -> None:
        self.fields["county"].queryset = County.objects.order_by("sort_order", "code")  # type: ignore[attr-defined]


class NotificationForm(_ReferenceForm):
    FIELDS = ("suite", "cohort", "age_group", "valid_from", "valid_to", "reference")
    suite = LabelledChoiceField(
        label=_("Custody suite"),
        queryset=CustodySuite.objects.none(),
        empty_label=_("Choose the suite"),
    )
    cohort = forms.ChoiceField(label=_("Cohort"), choices=Cohort.choices, widget=forms.RadioSelect)
    age_group = forms.ChoiceField(
        label=_("Age group"), choices=AgeGroup.choices, widget=forms.RadioSelect
    )
    valid_from = GovukDateField(label=_("Notified from"))
    valid_to = GovukDateField(label=_("Notified until"), required=False, help_text=END_HELP)
    reference = forms.CharField(
        label=_("Notice reference (optional)"), max_length=120, required=False
    )

    def prepare(self) -> None:
        self.fields["suite"].queryset = CustodySuite.objects.order_by("sort_order", "code")  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["reference"] = values.get("reference") or ""
        return values


class OffenceForm(_ReferenceForm):
    FIELDS = (
        "code",
        "label_en",
        "label_cy",
        "act",
        "section",
        "trigger",
        "class_a_only",
        "valid_from",
        "valid_to",
    )
    code = forms.CharField(label=_("Code"), max_length=40)
    label_en = forms.CharField(label=_("Name in English"), max_length=200)
    label_cy = forms.CharField(label=_("Name in Welsh"), max_length=200)
    act = forms.CharField(label=_("Act"), max_length=120)
    section = forms.CharField(label=_("Section"), max_length=40)
    trigger = forms.BooleanField(
        label=_("Trigger offence (Criminal Justice and Court Services Act 2000 Sch 6)"),
        required=False,
    )
    class_a_only = forms.BooleanField(
        label=_("Trigger only if a specified Class A drug is involved"), required=False
    )
    valid_from = GovukDateField(label=_("In use from"), required=False)
    valid_to = GovukDateField(label=_("In use until"), required=False, help_text=END_HELP)
