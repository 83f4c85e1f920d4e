"""The forms of the webhook pages (the rules are in ``webhooks.services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.accounts.models import Organisation
from pontio.core.forms import GovukForm
from pontio.webhooks.events import EventType
from pontio.webhooks.models import DeliveryStatus, WebhookSubscription


class SubscriptionForm(GovukForm):
    url = forms.CharField(
        label=_("Receiver URL"),
        help_text=_("The https address of the organisation's system that receives the events"),
        max_length=500,
        error_messages={"required": _("Enter the receiver URL")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        help_text=_("It receives events only about referrals it sent or received"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Select the organisation that receives the events"),
            "invalid_choice": _("Select the organisation that receives the events"),
        },
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one event"),
            "invalid_choice": _("Select events from the list"),
        },
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class DeliveryFilterForm(forms.Form):
    subscription = forms.ModelChoiceField(
        label=_("Subscription"),
        queryset=WebhookSubscription.objects.none(),
        required=False,
        empty_label=_("All subscriptions"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *DeliveryStatus.choices],
        required=False,
    )

    def __init__(self, *args: Any, subscriptions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subscription"]
        field.queryset = subscriptions  # type: ignore[attr-defined]
        field.label_from_instance = lambda s: f"{s.organisation.display_name}: {s.url}"  # type: ignore[attr-defined]
