"""The provider's form on a required assessment: the initial assessor's follow-up decision
(Drugs Act 2005 s13). It parses what was typed; the rules (a time and place when a
follow-up is required, the appointment window, the lifecycle) are the service's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import YES_NO, yes_no
from pontio.custody.forms.record import AppointmentFields


class ProviderFollowupForm(AppointmentFields):
    """Required (RA4, with the date, time and place) or not required (RA5)."""

    field_order = ["required", "on", "time", "appointment_place", "reason", "version"]

    required = forms.ChoiceField(
        label=_("Is a follow-up assessment required?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes if a follow-up assessment is required")},
    )
    reason = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def is_required(self) -> bool:
        return bool(yes_no(self.cleaned_data.get("required")))
