"""The steps of a custody record: charge, the inspector's authorisation, the test, the
required assessment and the decision on a failure to attend. Each form parses what was
typed and carries the version the page was shown with; the rules are the services'."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import YES_NO, GovukDateField, GovukForm, VersionField, yes_no
from pontio.custody.forms.booking import BookingForm
from pontio.custody.forms.common import OneOffenceField, clean_time, moment, time_field
from pontio.custody.models import BreachTask, ChargeState, DrugResult, DrugTest, Offence, Stage
from pontio.custody.services import OffenceEntry
from pontio.referrals.contact import REFERRAL_CHANNELS, ContactRoute

STAGE_CHOICES = [(Stage.ARREST.value, Stage.ARREST.label), (Stage.CHARGE.value, Stage.CHARGE.label)]


class VersionOnlyForm(GovukForm):
    version = VersionField()


class ChargeForm(GovukForm):
    """Charge one offence, or record no further action on it."""

    version = VersionField()
    offence = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    state = forms.ChoiceField(
        label=_("What is decided on this offence?"),
        choices=[
            (ChargeState.CHARGED.value, ChargeState.CHARGED.label),
            (ChargeState.NO_FURTHER_ACTION.value, ChargeState.NO_FURTHER_ACTION.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose charged or no further action")},
    )


class AuthorisationRequestForm(GovukForm):
    version = VersionField()
    stage = forms.ChoiceField(
        label=_("Which condition is the test for?"),
        choices=STAGE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the arrest condition or the charge condition")},
    )
    inspector = forms.IntegerField(
        label=_("Inspector to ask"),
        required=False,
        widget=forms.Select,
    )
    note = forms.CharField(
        label=_("Why you ask (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What makes you suspect that Class A drug misuse caused or contributed."),
    )

    def __init__(self, *args: Any, inspectors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose the inspector"))] + [
            (u.pk, f"{u.get_full_name()} ({u.staff_number})") for u in inspectors
        ]
        self.fields["inspector"].widget = forms.Select(choices=choices)


class AuthorisationDecisionForm(GovukForm):
    """The inspector's decision: grant with the grounds (oral or written) or refuse."""

    version = VersionField()
    decision = forms.ChoiceField(
        label=_("Do you authorise the test?"),
        choices=[("grant", _("Yes, I authorise it")), ("refuse", _("No, I refuse"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you authorise the test")},
    )
    grounds = forms.CharField(
        label=_("Grounds (if you authorise)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why you have reasonable grounds for suspecting that misuse of a specified Class A "
            "drug caused or contributed to the offence."
        ),
    )
    oral = forms.ChoiceField(
        label=_("How did you give it?"),
        choices=[("written", _("In writing")), ("oral", _("Orally (confirm it in writing later)"))],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("Why you refuse (if you refuse)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TestRequestForm(GovukForm):
    """The warning and the request for a sample (PACE s63B(4), (5), (5A))."""

    version = VersionField()
    stage = forms.ChoiceField(
        label=_("Which condition is the test on?"),
        choices=STAGE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the arrest condition or the charge condition")},
    )
    warning_given = forms.BooleanField(
        label=_(
            "I warned the person that failing without good cause to give a sample may lead to "
            "prosecution"
        ),
        required=False,
    )
    told_of_authorisation = forms.BooleanField(
        label=_("I told the person that an inspector authorised the test, and the grounds"),
        required=False,
        help_text=_("Only for a test an inspector authorised."),
    )
    appropriate_adult_present = forms.BooleanField(
        label=_("The appropriate adult was present"),
        required=False,
        help_text=_("Required for anyone under 17."),
    )


class TestOutcomeForm(GovukForm):
    version = VersionField()
    outcome = forms.ChoiceField(
        label=_("What happened?"),
        choices=[
            (DrugTest.Outcome.SAMPLE_TAKEN.value, DrugTest.Outcome.SAMPLE_TAKEN.label),
            (DrugTest.Outcome.REFUSED.value, DrugTest.Outcome.REFUSED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose sample taken or refused")},
    )
    on = GovukDateField(label=_("Date"), required=False, earliest=None, latest=None)
    time = time_field(_("Time"), required=False)

    def clean_time(self) -> dt.time | None:
        return clean_time(self.cleaned_data.get("time", ""))

    def at(self) -> dt.datetime | None:
        return moment(self.cleaned_data.get("on"), self.cleaned_data.get("time"))


class TestResultForm(GovukForm):
    version = VersionField()
    result = forms.ChoiceField(
        label=_("Result of the sample"),
        choices=DrugResult.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    disputed = forms.BooleanField(
        label=_("The person disputes the result: send the sample for a confirmatory test"),
        required=False,
    )
    dt1_completed = forms.BooleanField(
        label=_("DT1 form completed (copy to the drug intervention team)"), required=False
    )
    dt2_completed = forms.BooleanField(
        label=_("DT2 form completed (copy to the Crown Prosecution Service)"), required=False
    )


class DisputeForm(GovukForm):
    version = VersionField()
    dt1_completed = TestResultForm.base_fields["dt1_completed"]
    dt2_completed = TestResultForm.base_fields["dt2_completed"]


class ConfirmatoryForm(GovukForm):
    version = VersionField()
    result = forms.ChoiceField(
        label=_("Confirmatory result"),
        choices=DrugResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the result")},
    )


class AppointmentFields(GovukForm):
    """The time and place of an assessment appointment."""

    version = VersionField()
    on = GovukDateField(
        label=_("Date of the appointment"),
        required=False,
        help_text=_("For example, 27 3 2026"),
        earliest=None,
        latest=None,
    )
    time = time_field(_("Time of the appointment"), required=False)
    appointment_place = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_("The provider's address, as it will be printed on the notice."),
    )

    def clean_time(self) -> dt.time | None:
        return clean_time(self.cleaned_data.get("time", ""))

    def appointment_at(self) -> dt.datetime | None:
        data = getattr(self, "cleaned_data", {})
        return moment(data.get("on"), data.get("time"))


class ImposeForm(AppointmentFields):
    """The initial assessment (RA1): appointment, and the contact route for the provider."""

    consent_given = forms.ChoiceField(
        label=_("Does the person consent to their details going to the provider?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "The requirement applies whatever the answer; without consent the details go "
            "under the law enforcement basis."
        ),
    )
    contact_channels = forms.MultipleChoiceField(
        label=_("How can the provider contact the person?"),
        choices=[(c.value, c.label) for c in REFERRAL_CHANNELS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose every way that will work."),
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
        help_text=_("When the person will be released and where they will go."),
    )

    def contact(self) -> ContactRoute:
        data = getattr(self, "cleaned_data", {})
        return ContactRoute(
            phone=data.get("contact_phone") or "",
            address_line_1=data.get("address_line_1") or "",
            address_line_2=data.get("address_line_2") or "",
            address_town=data.get("address_town") or "",
            address_postcode=data.get("address_postcode") or "",
            release_plan=data.get("release_plan") or "",
            channels=list(data.get("contact_channels") or []),
            email=data.get("contact_email") or "",
        )

    def consent(self) -> bool:
        return bool(yes_no(getattr(self, "cleaned_data", {}).get("consent_given")))


class VaryForm(AppointmentFields):
    """A new time or place (RA2), with the reason."""

    reason = forms.CharField(
        label=_("Why is the appointment changed?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowupForm(AppointmentFields):
    """The initial assessor's decision (RA4 with its appointment, or RA5)."""

    required = forms.ChoiceField(
        label=_("Did the assessor require a follow-up assessment?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes if a follow-up assessment is required")},
    )
    reason = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def is_required(self) -> bool:
        return bool(yes_no(self.cleaned_data.get("required")))


class BreachDecisionForm(GovukForm):
    version = VersionField()
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (BreachTask.Decision.PROSECUTE.value, BreachTask.Decision.PROSECUTE.label),
            (
                BreachTask.Decision.NO_FURTHER_ACTION.value,
                BreachTask.Decision.NO_FURTHER_ACTION.label,
            ),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class OffenceAddForm(GovukForm):
    """One more offence the person is arrested for, with the Class A question for the
    offences that trigger only with a specified Class A drug."""

    version = VersionField()
    offence = OneOffenceField(
        label=_("Offence to add"),
        queryset=Offence.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the offence to add")},
    )
    class_a_involved = BookingForm.base_fields["class_a_involved"]

    def __init__(self, *args: Any, offences: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offence"].queryset = offences  # type: ignore[attr-defined]

    def entry(self) -> OffenceEntry:
        offence = self.cleaned_data["offence"]
        class_a = yes_no(self.cleaned_data.get("class_a_involved"))
        return OffenceEntry(offence, class_a if offence.class_a_only else None)


class RecordChangeForm(GovukForm):
    """The appropriate adult (PACE s63B(5A)) and the officer in the case."""

    version = VersionField()
    appropriate_adult_name = BookingForm.base_fields["appropriate_adult_name"]
    appropriate_adult_relationship = BookingForm.base_fields["appropriate_adult_relationship"]
    officer_in_case = forms.IntegerField(
        label=_("Officer in the case (optional)"),
        required=False,
        widget=forms.Select,
        help_text=_("The officer in the case can then open this record."),
    )

    def __init__(self, *args: Any, officers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("No officer in the case"))] + [
            (u.pk, f"{u.get_full_name()} ({u.staff_number})") for u in officers
        ]
        self.fields["officer_in_case"].widget = forms.Select(choices=choices)


class AuthorisationGiveForm(GovukForm):
    """An authorisation the inspector gave without a request in Pontio: the condition, the
    grounds, oral or in writing, and when (blank: now)."""

    version = VersionField()
    stage = AuthorisationRequestForm.base_fields["stage"]
    grounds = forms.CharField(
        label=_("Grounds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=AuthorisationDecisionForm.base_fields["grounds"].help_text,
    )
    oral = forms.ChoiceField(
        label=_("How did you give it?"),
        choices=AuthorisationDecisionForm.base_fields["oral"].choices,  # type: ignore[attr-defined]
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you gave it in writing or orally")},
    )
    on = GovukDateField(label=_("Date given"), required=False, earliest=None, latest=None)
    time = time_field(_("Time given"), required=False)

    def clean_time(self) -> dt.time | None:
        return clean_time(self.cleaned_data.get("time", ""))

    def at(self) -> dt.datetime | None:
        return moment(self.cleaned_data.get("on"), self.cleaned_data.get("time"))
