"""Forms of amending a referral and of the provider's questions to the police.

They parse what was typed; ``services.amend`` decides (contact route, limits, codes).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm, VersionField
from pontio.core.phones import national_format
from pontio.referrals.contact import REFERRAL_CHANNELS
from pontio.referrals.models import Referral, ReferralCode
from pontio.referrals.services.amend import AMENDABLE


def _amend_fields() -> dict[str, forms.Field]:
    return {
        "contact_phone": forms.CharField(
            label=_("Phone number"),
            max_length=30,
            required=False,
            help_text=_("A UK number, like 01267 226000 or 07700 900982"),
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        ),
        "contact_email": forms.CharField(
            label=_("Email address"),
            max_length=254,
            required=False,
            help_text=_("Only if the person agreed to be contacted by email."),
            widget=forms.TextInput(
                attrs={"type": "email", "autocomplete": "off", "spellcheck": "false"}
            ),
        ),
        "address_line_1": forms.CharField(
            label=_("Address line 1"), max_length=120, required=False
        ),
        "address_line_2": forms.CharField(
            label=_("Address line 2 (optional)"), max_length=120, required=False
        ),
        "address_town": forms.CharField(label=_("Town or city"), max_length=60, required=False),
        "address_postcode": forms.CharField(
            label=_("Postcode"),
            max_length=10,
            required=False,
            widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
        ),
        "release_plan": forms.CharField(
            label=_("Custody release plan"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
        "contact_channels": forms.MultipleChoiceField(
            label=_("How can the provider contact the person?"),
            choices=[(c.value, c.label) for c in REFERRAL_CHANNELS],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        ),
        "contact_times": forms.CharField(
            label=_("When is the best time to contact them? (optional)"),
            max_length=200,
            required=False,
        ),
        "risk_notes": forms.CharField(
            label=_("Risks to the person or to staff (optional)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
        "safeguarding_notes": forms.CharField(
            label=_("Safeguarding (optional)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
        "support_needs": forms.CharField(
            label=_("What support do they need? (optional)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
        "interpreter_language": forms.CharField(
            label=_("Do they need an interpreter? (optional)"),
            max_length=60,
            required=False,
            help_text=_("The language, for example Polish or British Sign Language."),
        ),
        "accessibility_needs": forms.CharField(
            label=_("Accessibility or communication needs (optional)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
    }


def initial_of(referral: Referral) -> dict[str, Any]:
    """The referral's amendable details as the form shows them (the phone as typed)."""
    initial: dict[str, Any] = {name: getattr(referral, name) for name in AMENDABLE}
    if referral.contact_phone:
        initial["contact_phone"] = national_format(referral.contact_phone)
    initial["version"] = referral.version
    return initial


class AmendForm(GovukForm):
    """Every amendable detail, prefilled; only what differs is sent to the service."""

    version = VersionField()

    def __init__(self, *args: Any, referral: Referral, with_reason: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.fields.update(_amend_fields())
        if with_reason:
            self.fields["reason"] = forms.CharField(
                label=_("Why are you amending it? (optional)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("The provider sees this."),
            )

    def changes(self) -> dict[str, Any]:
        """The fields whose typed value differs from what the form showed."""
        shown = initial_of(self.referral)
        found: dict[str, Any] = {}
        for name in AMENDABLE:
            value = self.cleaned_data.get(name)
            if name == "contact_channels":
                if sorted(value or []) != sorted(shown[name] or []):
                    found[name] = list(value or [])
            elif (value or "").strip() != str(shown[name] or "").strip():
                found[name] = value or ""
        return found


class InformationRequestForm(GovukForm):
    version = VersionField()
    code = forms.ChoiceField(
        label=_("What is missing?"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what kind of information you need"),
            "invalid_choice": _("Choose what kind of information you need from the list"),
        },
    )
    question = forms.CharField(
        label=_("What do you need from the police?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The referring officer and their supervisors see this."),
    )

    def __init__(self, *args: Any, codes: list[ReferralCode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(c.code, c.label) for c in codes]  # type: ignore[attr-defined]


class InformationAnswerForm(AmendForm):
    """The answer, and (optionally) the corrections to the referral in the same step."""

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, referral=referral, with_reason=False, **kwargs)
        answer = forms.CharField(
            label=_("Your answer"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("The provider sees this."),
        )
        self.fields = {"version": self.fields.pop("version"), "answer": answer, **self.fields}
