"""Forms of the decision pages: what the officer typed, parsed; the rules are the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import YES_NO, GovukDateField, GovukForm, VersionField, yes_no
from pontio.core.models import County
from pontio.directory.models import Substance
from pontio.disposals.models import (
    REFERRING_CATEGORIES,
    Admission,
    ComplianceStatus,
    ConditionCategory,
    DisposalType,
    GravityFactor,
    GravityOffence,
    Outcome,
    VictimViews,
)
from pontio.disposals.services.decisions import ConditionData, DisposalData
from pontio.people.models import Language
from pontio.referrals.contact import REFERRAL_CHANNELS, ContactRoute
from pontio.referrals.forms.police import LabelledChoiceField, LabelledMultipleChoiceField

# Which button of the decision page was pressed.
CHECK = "check"
RECORD = "record"


class DecisionForm(GovukForm):
    """The facts, the victim's views and the decision, on one page: "check" shows the
    gravity score and the recommendation, "record" records the decision."""

    offence = LabelledChoiceField(
        label=_("Offence"),
        queryset=GravityOffence.objects.none(),
        empty_label=_("Choose the offence"),
        error_messages={"required": _("Select the offence")},
    )
    offence_date = GovukDateField(
        label=_("Date of the offence"),
        latest=timezone.localdate,
        help_text=_("For example, 27 3 2026"),
    )
    offence_summary = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter what happened")},
    )
    source_reference = forms.CharField(
        label=_("Crime or custody reference (optional)"), max_length=40, required=False
    )
    county = LabelledChoiceField(
        label=_("County where the offence happened"),
        queryset=County.objects.none(),
        required=False,
        empty_label=_("Choose the county"),
    )
    admission = forms.ChoiceField(
        label=_("Did the person admit the offence?"),
        choices=Admission.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the person admitted the offence")},
    )
    evidence_to_charge = forms.ChoiceField(
        label=_("Is there sufficient evidence to charge?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether there is sufficient evidence to charge")},
    )
    factors = LabelledMultipleChoiceField(
        label=_("Aggravating and mitigating factors"),
        queryset=GravityFactor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose every factor that applies. Each moves the score up or down by one."),
    )
    victim_views = forms.ChoiceField(
        label=_("The victim's views"),
        choices=VictimViews.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the victim's views were sought")},
    )
    victim_views_text = forms.CharField(
        label=_("What the victim said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    victim_not_obtained_reason = forms.CharField(
        label=_("Why the victim's views could not be obtained"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.ChoiceField(
        label=_("Your decision"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    disposal_type = LabelledChoiceField(
        label=_("Disposal type"),
        queryset=DisposalType.objects.none(),
        required=False,
        empty_label=_("Choose the disposal type"),
    )
    compliance_due = GovukDateField(
        label=_("Conditions to be complied with by (optional)"),
        required=False,
        help_text=_("Leave empty for the type's default period."),
    )
    decision_rationale = forms.CharField(
        label=_("Rationale for your decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this outcome, in particular where it differs from the recommendation."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["offence"].queryset = GravityOffence.objects.effective(today).order_by(  # type: ignore[attr-defined]
            "offence_group", "sort_order", "code"
        )
        self.fields["county"].queryset = County.objects.effective(today).order_by(  # type: ignore[attr-defined]
            "sort_order", "code"
        )
        self.fields["factors"].queryset = GravityFactor.objects.effective(today).order_by(  # type: ignore[attr-defined]
            "-adjustment", "sort_order", "code"
        )
        self.fields["disposal_type"].queryset = (  # type: ignore[attr-defined]
            DisposalType.objects.effective(today).filter(commenced=True).order_by("sort_order")
        )

    def to_data(self) -> DisposalData:
        d = self.cleaned_data
        return DisposalData(
            offence=d["offence"],
            offence_date=d["offence_date"],
            offence_summary=d.get("offence_summary") or "",
            admission=d["admission"],
            victim_views=d["victim_views"],
            outcome=d.get("outcome") or "",
            decision_rationale=d.get("decision_rationale") or "",
            county=d.get("county"),
            source_reference=d.get("source_reference") or "",
            evidence_to_charge=bool(yes_no(d.get("evidence_to_charge"))),
            factors=list(d.get("factors") or []),
            victim_views_text=d.get("victim_views_text") or "",
            victim_not_obtained_reason=d.get("victim_not_obtained_reason") or "",
            disposal_type=d.get("disposal_type"),
            compliance_due=d.get("compliance_due"),
        )


class ConditionForm(GovukForm):
    """One condition; the contact route and consent are asked for the conditions that refer
    the person to a provider (treatment, awareness, the diversion scheme)."""

    version = VersionField()
    category = forms.ChoiceField(
        label=_("Condition"),
        choices=[("", _("Choose the condition")), *ConditionCategory.choices],
        error_messages={"required": _("Select the condition")},
    )
    description = forms.CharField(
        label=_("What the person must do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter what the person must do")},
    )
    due_date = GovukDateField(
        label=_("To be complied with by"),
        earliest=timezone.localdate,
        help_text=_("For example, 27 3 2027"),
    )
    hours = forms.IntegerField(
        label=_("Hours (unpaid work or attendance, optional)"),
        required=False,
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    amount = forms.DecimalField(
        label=_("Amount in pounds (compensation or penalty, optional)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("99999.99"),
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )
    consent_given = forms.ChoiceField(
        label=_("Does the person consent to the referral?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Only for a condition that refers the person to a provider."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    substances = LabelledMultipleChoiceField(
        label=_("Which substances?"),
        queryset=Substance.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contact_channels = forms.MultipleChoiceField(
        label=_("How can the provider contact the person?"),
        choices=[(c.value, c.label) for c in REFERRAL_CHANNELS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contact_phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        help_text=_("A UK number, like 01267 226000 or 07700 900982"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    contact_email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        required=False,
        help_text=_("Only if the person agreed to be contacted by email."),
        widget=forms.TextInput(
            attrs={"type": "email", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    address_line_1 = forms.CharField(label=_("Address line 1"), max_length=120, required=False)
    address_line_2 = forms.CharField(
        label=_("Address line 2 (optional)"), max_length=120, required=False
    )
    address_town = forms.CharField(label=_("Town or city"), max_length=60, required=False)
    address_postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substances"].queryset = Substance.objects.effective()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("category") in REFERRING_CATEGORIES and not data.get("consent_given"):
            self.add_error("consent_given", _("Choose yes if the person consents to the referral"))
        return data

    def to_data(self) -> ConditionData:
        d = self.cleaned_data
        amount = d.get("amount")
        return ConditionData(
            category=d["category"],
            description=d.get("description") or "",
            due_date=d["due_date"],
            hours=d.get("hours"),
            amount_pence=int(amount * 100) if amount is not None else None,
            contact=ContactRoute(
                phone=d.get("contact_phone") or "",
                address_line_1=d.get("address_line_1") or "",
                address_line_2=d.get("address_line_2") or "",
                address_town=d.get("address_town") or "",
                address_postcode=d.get("address_postcode") or "",
                channels=list(d.get("contact_channels") or []),
                email=d.get("contact_email") or "",
            ),
            consent_given=yes_no(d.get("consent_given")) is not False,
            preferred_language=d.get("preferred_language") or "",
            substances=tuple(d.get("substances") or ()),
        )


class VersionOnlyForm(GovukForm):
    """Authorise, sign, complete: the button and the version the page was shown with."""

    version = VersionField()


class BreachForm(GovukForm):
    version = VersionField()
    reason = forms.CharField(
        label=_("What was not complied with, and why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter what was not complied with and why")},
    )


class ComplianceForm(GovukForm):
    version = VersionField()
    status = forms.ChoiceField(
        label=_("Has the person complied with the condition?"),
        choices=ComplianceStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the condition was complied with")},
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the provider's confirmation of attendance, or a receipt."),
    )
