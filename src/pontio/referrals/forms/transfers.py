"""Forms of the provider-to-provider transfer (the rules are in ``services.transfers``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm, VersionField


class TransferProposeForm(GovukForm):
    version = VersionField()
    service = forms.IntegerField(
        label=_("Service"),
        min_value=1,
        error_messages={
            "required": _("Choose the service to transfer the referral to"),
            "invalid": _("Choose a service from the list"),
            "min_value": _("Choose a service from the list"),
        },
    )
    reason = forms.CharField(
        label=_("Why should the referral be transferred?"),
        help_text=_(
            "The receiving provider reads this to decide. Do not include clinical detail "
            "they do not need."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why the referral should be transferred")},
    )


class TransferDecideForm(GovukForm):
    version = VersionField()
    decision = forms.ChoiceField(
        label=_("Do you accept the transfer?"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you accept the transfer")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Needed if you decline: the sending provider reads it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransferWithdrawForm(GovukForm):
    version = VersionField()
