"""Forms of the police side of referrals: make, send to a service, withdraw, send elsewhere.

The forms only parse what was typed. Whether a referral can be sent (a working contact
route, a lawful basis, an eligible service, free text within its limit) is decided by
``services``, whose messages are put on the fields they name, so the officer reads one set
of messages wherever the rules are applied. That is why most fields here are optional: an
empty one is refused by the service with the message that explains what is missing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import YES_NO, GovukForm, VersionField
from pontio.core.models import County
from pontio.core.phones import national_format
from pontio.directory.models import Substance
from pontio.people.models import ConsentRecord, Language, Person
from pontio.referrals.contact import REFERRAL_CHANNELS
from pontio.referrals.models import Pathway, ReferralCode
from pontio.referrals.services.create import ReferralData, current_county

# Without consent the police share under another basis; consent itself is the "yes" answer.
BASES_WITHOUT_CONSENT = [
    (value, label) for value, label in ConsentRecord.Basis.choices if value != "consent"
]


class LabelledChoiceField(forms.ModelChoiceField):
    """Reference data shown by its label in the user's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class LabelledMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class ReferralForm(GovukForm):
    """Step 1: what the officer knows about the person and why they are referring them."""

    pathway = forms.ChoiceField(
        label=_("Which police contact is the referral from?"),
        choices=Pathway.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    source_reference = forms.CharField(
        label=_("Contact reference (optional)"),
        max_length=40,
        required=False,
        help_text=_("For example a custody record number or a stop and search receipt."),
    )
    reason = forms.CharField(
        label=_("Why are you referring the person?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the person told you and what help they want."),
    )
    substances = LabelledMultipleChoiceField(
        label=_("Which substances?"),
        queryset=Substance.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose every substance that applies."),
    )
    risk_notes = forms.CharField(
        label=_("Risks to the person or to staff (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    safeguarding_notes = forms.CharField(
        label=_("Safeguarding (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example children in the household or a vulnerable adult."),
    )
    support_needs = forms.CharField(
        label=_("What support do they need? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example help with housing, debt or mental health alongside drug support."),
    )
    interpreter_language = forms.CharField(
        label=_("Do they need an interpreter? (optional)"),
        max_length=60,
        required=False,
        help_text=_("The language, for example Polish or British Sign Language."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility or communication needs (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example a hearing impairment, difficulty reading, or a wheelchair user."),
    )
    consent_given = forms.ChoiceField(
        label=_("Does the person consent to the referral?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes if the person consents to the referral")},
    )
    # A select, not radios: GOV.UK asks not to nest radios in a conditional reveal.
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis for sharing without consent"),
        choices=[("", _("Choose the lawful basis")), *BASES_WITHOUT_CONSENT],
        required=False,
        help_text=_("Only if the person does not consent."),
    )
    policy_reference = forms.CharField(
        label=_("Policy reference"),
        max_length=120,
        required=False,
        help_text=_(
            "Only if the person does not consent: the information sharing protocol or "
            "appropriate policy document you are relying on."
        ),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    contact_channels = forms.MultipleChoiceField(
        label=_("How can the provider contact the person?"),
        choices=[(c.value, c.label) for c in REFERRAL_CHANNELS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose every way that will work."),
    )
    contact_times = forms.CharField(
        label=_("When is the best time to contact them? (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example, weekday mornings."),
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
    release_plan = forms.CharField(
        label=_("Custody release plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "If the person is in custody: when they will be released and where they will go."
        ),
    )
    county = LabelledChoiceField(
        label=_("County"),
        queryset=County.objects.none(),
        required=False,
        empty_label=_("Choose the county"),
        help_text=_("Where the person lives or will be supported."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substances"].queryset = Substance.objects.effective()  # type: ignore[attr-defined]
        self.fields["county"].queryset = County.objects.effective().order_by(  # type: ignore[attr-defined]
            "sort_order", "code"
        )

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        """What Pontio already knows: current phone and address, language and county."""
        initial: dict[str, Any] = {"preferred_language": person.preferred_language}
        phone = person.phones.filter(is_current=True).first()
        if phone is not None:
            initial["contact_phone"] = national_format(phone.number)
        address = person.addresses.filter(valid_to__isnull=True).first()
        if address is not None:
            initial.update(
                address_line_1=address.line_1,
                address_line_2=address.line_2,
                address_town=address.town,
                address_postcode=address.postcode,
            )
        county = current_county(person)
        if county is not None:
            initial["county"] = county.pk
        return initial

    def to_data(self) -> ReferralData:
        """What was typed, as the service takes it (an answer not parsed is empty)."""
        values = dict(self.cleaned_data)
        values["consent_given"] = values.get("consent_given") == "yes"
        return ReferralData.from_flat(values)

    def to_session(self) -> dict[str, Any]:
        """The typed values as JSON-able data (kept in the session, never in a URL)."""
        return draft_of(self.to_data())


def draft_of(data: ReferralData) -> dict[str, Any]:
    """The referral data as a session draft, which is also the form's initial values."""
    draft = data.flat()
    draft["consent_given"] = "yes" if data.consent_given else "no"
    draft["substances"] = [s.pk for s in data.substances]
    draft["county"] = data.county.pk if data.county else None
    return draft


def data_from_draft(draft: dict[str, Any]) -> ReferralData:
    """The referral data from a stored draft (substances and county looked up again)."""
    values = dict(draft)
    substance_ids = [int(pk) for pk in draft.get("substances") or []]
    values["substances"] = tuple(
        Substance.objects.effective().filter(pk__in=substance_ids).order_by("code")
    )
    county_id = draft.get("county")
    values["county"] = County.objects.filter(pk=county_id).first() if county_id else None
    values["consent_given"] = draft.get("consent_given") == "yes"
    return ReferralData.from_flat(values)


class ChooseServiceForm(GovukForm):
    """Step 2: the service to send to. Radios are drawn by the template with their reasons;
    whether the chosen one can take the referral is the service layer's decision."""

    service = forms.IntegerField(
        label=_("Service"),
        min_value=1,
        error_messages={
            "required": _("Choose a service"),
            "invalid": _("Choose a service from the list"),
            "min_value": _("Choose a service from the list"),
        },
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)


class WithdrawForm(GovukForm):
    version = VersionField()
    code = forms.ChoiceField(
        label=_("Why are you withdrawing the referral?"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why you are withdrawing the referral"),
            "invalid_choice": _("Choose a reason from the list"),
        },
    )
    reason = forms.CharField(
        label=_("More detail (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The provider sees this."),
    )

    def __init__(self, *args: Any, codes: list[ReferralCode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(c.code, c.label) for c in codes]  # type: ignore[attr-defined]


class ResendForm(GovukForm):
    version = VersionField()
    service = forms.IntegerField(
        label=_("Service"),
        min_value=1,
        error_messages={
            "required": _("Choose the service to send the referral to"),
            "invalid": _("Choose a service from the list"),
            "min_value": _("Choose a service from the list"),
        },
    )
    reason = forms.CharField(
        label=_("Why are you sending it to another provider?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why the referral is being sent again")},
    )
