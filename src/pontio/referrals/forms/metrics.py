"""Forms of the metrics pages: the quarter to show, and a provider's quarterly total."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from pontio.core.forms import GovukForm
from pontio.referrals.metrics.periods import Period
from pontio.referrals.services.totals import MAX_TOTAL


class QuarterForm(GovukForm):
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"))

    def __init__(self, *args: Any, quarters: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(p.key, p.label) for p in quarters]  # type: ignore[attr-defined]


class TotalForm(GovukForm):
    quarter = forms.ChoiceField(
        label=gettext_lazy("Quarter"),
        error_messages={"required": gettext_lazy("Choose the quarter")},
    )
    total = forms.IntegerField(
        label=gettext_lazy("Referrals received from every source"),
        help_text=gettext_lazy(
            "All referrals your organisation received in the quarter, including those sent "
            "through Pontio, as you report them to the Welsh National Database."
        ),
        min_value=0,
        max_value=MAX_TOTAL,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": gettext_lazy("Enter the number of referrals"),
            "invalid": gettext_lazy("Enter a whole number, like 120"),
            "min_value": gettext_lazy("Enter a number from 0 to 1,000,000"),
            "max_value": gettext_lazy("Enter a number from 0 to 1,000,000"),
        },
    )

    def __init__(self, *args: Any, quarters: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(p.key, p.label) for p in quarters]  # type: ignore[attr-defined]
