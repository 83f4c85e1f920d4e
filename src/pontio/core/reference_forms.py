"""Forms for reference data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukDateField, GovukForm, VersionField
from pontio.core.models import ReferenceData


class CountyForm(GovukForm):
    label_en = forms.CharField(label=_("Name in English"), max_length=200)
    label_cy = forms.CharField(label=_("Name in Welsh"), max_length=200)
    valid_from = GovukDateField(label=_("In use from"), required=False)
    valid_to = GovukDateField(
        label=_("In use until"),
        required=False,
        help_text=_("The first day it no longer applies. Leave blank if it still applies."),
    )
    version = VersionField()

    def __init__(self, data: Any = None, *, instance_values: ReferenceData) -> None:
        initial = {
            "label_en": instance_values.label_en,
            "label_cy": instance_values.label_cy,
            "valid_from": instance_values.valid_from,
            "valid_to": instance_values.valid_to,
            "version": instance_values.version,
        }
        super().__init__(data, initial=initial)

    def values(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("label_en", "label_cy", "valid_from", "valid_to")}
