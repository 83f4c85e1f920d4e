"""Forms of person records: parsing and GOV.UK messages; the rules are in services.

Date boxes carry no bounds of their own (``earliest=None, latest=None``): the services
refuse an implausible date with a message about that date (a date of birth, the date they
moved in, the date of a consent record), so each bound is written once. The boxes still
refuse what is not a date at all (a year that is not four digits, 31 February).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import YES_NO, GovukDateField, GovukForm, VersionField
from pontio.core.models import County
from pontio.people import services
from pontio.people.models import (
    IDENTITY_FIELDS,
    ConsentRecord,
    Ethnicity,
    Flag,
    Gender,
    Language,
    Person,
)


class IdentityForm(GovukForm):
    """Step 1 of creating a person: what the matcher needs to find them if already known."""

    given_name = forms.CharField(
        label=_("Given name"), max_length=100, error_messages={"required": _("Enter a given name")}
    )
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=100,
        error_messages={"required": _("Enter a family name")},
    )
    date_of_birth = GovukDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("For example, 27 3 1990"),
        earliest=None,
        latest=None,
    )
    pnc_id = forms.CharField(
        label=_("PNC ID (optional)"),
        max_length=20,
        required=False,
        help_text=_("For example, 12/345678A"),
    )
    postcode = forms.CharField(
        label=_("Postcode (optional)"),
        max_length=10,
        required=False,
        help_text=_("For example, SA31 1AA"),
    )

    def clean(self) -> dict[str, Any]:
        """The identity rules are the service's (``services.identity_check``): their errors
        are shown on the fields, the normalised values kept."""
        cleaned = super().clean() or {}
        try:
            identity = services.identity_check(
                given_name=cleaned.get("given_name", ""),
                family_name=cleaned.get("family_name", ""),
                date_of_birth=cleaned.get("date_of_birth"),
                pnc_id=cleaned.get("pnc_id", ""),
                postcode=cleaned.get("postcode", ""),
            )
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                if not self.has_error(name):  # a field's own parse error comes first
                    self.add_error(name, errors)
        else:
            cleaned.update(pnc_id=identity.pnc_id, postcode=identity.postcode)
        return cleaned

    def to_session(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        dob = data.get("date_of_birth")
        data["date_of_birth"] = dob.isoformat() if dob else ""
        return data


class PersonForm(GovukForm):
    version = VersionField(required=False)
    given_name = forms.CharField(
        label=_("Given name"), max_length=100, error_messages={"required": _("Enter a given name")}
    )
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=100,
        error_messages={"required": _("Enter a family name")},
    )
    date_of_birth = GovukDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("For example, 27 3 1990"),
        earliest=None,
        latest=None,
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial="not_stated")
    self_defined_ethnicity = forms.ChoiceField(
        label=_("Self-defined ethnicity"),
        choices=Ethnicity.choices,
        initial="NS",
        help_text=_("As the person describes it (2011 Census categories)."),
    )
    pnc_id = forms.CharField(
        label=_("PNC ID (optional)"),
        max_length=20,
        required=False,
        help_text=_("For example, 12/345678A"),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        initial="en",
        error_messages={"required": _("Choose English or Welsh")},
    )
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    interpreter_language = forms.CharField(
        label=_("Interpreter language"),
        max_length=60,
        required=False,
        help_text=_("For example, Polish or British Sign Language."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = editing
        if not editing:
            del self.fields["version"]

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        return {name: getattr(person, name) for name in ("version", *IDENTITY_FIELDS)}

    def to_data(self) -> services.PersonData:
        c = self.cleaned_data
        return services.PersonData(
            given_name=c["given_name"],
            family_name=c["family_name"],
            date_of_birth=c.get("date_of_birth"),
            gender=c["gender"],
            self_defined_ethnicity=c["self_defined_ethnicity"],
            pnc_id=c.get("pnc_id", ""),
            preferred_language=c["preferred_language"],
            needs_interpreter=bool(c.get("needs_interpreter")),
            interpreter_language=c.get("interpreter_language", ""),
        )


class CountyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class AddressForm(GovukForm):
    version = VersionField()
    line_1 = forms.CharField(
        label=_("Address line 1"),
        max_length=120,
        error_messages={"required": _("Enter the first line of the address")},
    )
    line_2 = forms.CharField(label=_("Address line 2 (optional)"), max_length=120, required=False)
    town = forms.CharField(
        label=_("Town or city"),
        max_length=60,
        error_messages={"required": _("Enter the town or city")},
    )
    county = CountyField(
        label=_("County"),
        queryset=County.objects.none(),
        required=False,
        empty_label=_("Outside the force area"),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        error_messages={"required": _("Enter a postcode")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    valid_from = GovukDateField(
        label=_("Date they moved in"),
        help_text=_("For example, 1 4 2024"),
        earliest=None,
        latest=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.effective().order_by("sort_order", "code")  # type: ignore[attr-defined]
        self.fields["valid_from"].error_messages["required"] = _("Enter the date they moved in")

    def to_data(self) -> services.AddressData:
        c = self.cleaned_data
        return services.AddressData(
            line_1=c["line_1"],
            line_2=c.get("line_2", ""),
            town=c["town"],
            county=c.get("county"),
            postcode=c["postcode"],
            valid_from=c["valid_from"],
        )


class PhoneForm(GovukForm):
    number = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        help_text=_("A UK number, like 01267 226000 or 07700 900982"),
        error_messages={"required": _("Enter a phone number")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


class EmailForm(GovukForm):
    address = forms.CharField(
        label=_("Email address"),
        max_length=254,
        error_messages={"required": _("Enter an email address")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )


class AliasForm(GovukForm):
    given_name = forms.CharField(label=_("Given name (optional)"), max_length=100, required=False)
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=100,
        error_messages={"required": _("Enter the family name they used")},
    )


class CustodyNumberForm(GovukForm):
    number = forms.CharField(
        label=_("Custody number"),
        max_length=30,
        error_messages={"required": _("Enter the custody number")},
    )


class FlagForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("Type of flag"),
        choices=Flag.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of flag")},
    )
    reason = forms.CharField(
        label=_("Why are you raising this flag?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why you are raising this flag")},
    )


class FlagResolveForm(GovukForm):
    version = VersionField()
    resolution = forms.CharField(
        label=_("How was it resolved?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter how the flag was resolved")},
    )


class ConsentForm(GovukForm):
    purpose = forms.ChoiceField(
        label=_("What is it for?"),
        choices=ConsentRecord.Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the consent is for")},
    )
    basis = forms.ChoiceField(
        label=_("Lawful basis"),
        choices=ConsentRecord.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the lawful basis")},
    )
    given = forms.ChoiceField(
        label=_("Did the person agree?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes if the person agreed")},
    )
    date = GovukDateField(
        label=_("Date"), help_text=_("For example, 27 3 2026"), earliest=None, latest=None
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = _("Enter the date")

    def to_data(self) -> services.ConsentData:
        c = self.cleaned_data
        return services.ConsentData(
            purpose=c["purpose"],
            basis=c["basis"],
            given=c["given"] == "yes",
            date=c["date"],
            notes=c.get("notes", ""),
        )


class MergeForm(GovukForm):
    survivor_version = VersionField()
    duplicate_version = VersionField()
    reason = forms.CharField(
        label=_("Why are these the same person?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why these records are the same person")},
    )


# The largest primary key the database holds: a longer record number names no record (and
# would overflow the query).
MAX_RECORD_NUMBER = 2**63 - 1


class ChooseDuplicateForm(GovukForm):
    duplicate = forms.IntegerField(
        label=_("Record number of the duplicate"),
        min_value=1,
        max_value=MAX_RECORD_NUMBER,
        help_text=_("The number shown against the record in the possible duplicates."),
        error_messages={
            "required": _("Enter the record number of the duplicate"),
            "invalid": _("The record number must be a number"),
            "min_value": _("There is no record with that number"),
            "max_value": _("There is no record with that number"),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )


class UnmergeForm(GovukForm):
    merge = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why was the merge wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why the merge was wrong")},
    )


class ClusterMergeForm(GovukForm):
    """Merge a group of possible duplicates: which record to keep, and why."""

    version = VersionField()
    survivor = forms.TypedChoiceField(
        label=_("Which record should be kept?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which record to keep")},
    )
    reason = forms.CharField(
        label=_("Why are these the same person?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter why these records are the same person")},
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = members  # type: ignore[attr-defined]


class ClusterDecisionForm(GovukForm):
    """Dismiss a group (not the same person) or undo its merges: the reason is required."""

    version = VersionField()
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the reason")},
    )
