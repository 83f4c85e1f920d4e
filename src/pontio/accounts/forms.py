"""Forms of sign-in, account settings and user/organisation administration."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pontio.accounts.fields import OrganisationChoiceField
from pontio.accounts.models import Organisation, User
from pontio.accounts.roles import OrganisationKind, Role
from pontio.accounts.services import OrganisationData, UserData
from pontio.core.forms import GovukForm, VersionField
from pontio.core.models import County

CODE_RE = re.compile(r"^\d{6}$")


class SignInForm(GovukForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        error_messages={"required": _("Enter your username")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        error_messages={"required": _("Enter your password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(GovukForm):
    code = forms.CharField(
        label=_("Security code"),
        help_text=_("The 6-digit code shown in your authenticator app."),
        error_messages={"required": _("Enter the 6-digit security code")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
            }
        ),
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).replace(" ", "")
        if not CODE_RE.match(code):
            raise forms.ValidationError(_("The security code must be 6 digits"), code="format")
        return code


class LanguageForm(GovukForm):
    preferred_language = forms.ChoiceField(
        label=_("Language for Pontio and its emails"),
        choices=User.Language.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose English or Cymraeg")},
    )


class ForgotPasswordForm(GovukForm):
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class BreakGlassForm(GovukForm):
    reason = forms.CharField(
        label=_("Why do you need this record?"),
        help_text=_(
            "This record is outside the records you can normally see. Your reason is recorded "
            "and reviewed by the data protection officer."
        ),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Enter why you need this record"),
            "min_length": _("Explain in at least 10 characters why you need this record."),
        },
    )


def _county_choices() -> QuerySet[County]:
    return County.objects.effective().order_by("sort_order", "code")


class CountyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class UserForm(GovukForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and . - _ only."),
        error_messages={"required": _("Enter a username")},
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=150, error_messages={"required": _("Enter a first name")}
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, error_messages={"required": _("Enter a last name")}
    )
    email = forms.EmailField(
        label=_("Work email address"),
        error_messages={
            "required": _("Enter an email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    staff_number = forms.CharField(label=_("Staff or collar number"), max_length=20, required=False)
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={"required": _("Choose an organisation")},
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    force_wide = forms.BooleanField(
        label=_("Works across the whole force area"),
        required=False,
        help_text=_("Otherwise choose the counties they work in."),
    )
    counties = CountyChoiceField(
        label=_("Counties"),
        queryset=County.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=User.Language.choices,
        widget=forms.RadioSelect,
        initial="en",
    )
    version = VersionField(required=False)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["counties"].queryset = _county_choices()  # type: ignore[attr-defined]
        if editing:
            self.fields["username"].disabled = True
            self.fields["version"].required = True

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        if not re.fullmatch(r"[A-Za-z0-9._-]+", username):
            raise forms.ValidationError(
                _("A username can only contain letters, digits and . - _"), code="format"
            )
        return username

    @staticmethod
    def initial_for(user: User) -> dict[str, Any]:
        return {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "staff_number": user.staff_number,
            "organisation": user.organisation_id,
            "roles": sorted(user.role_set),
            "force_wide": user.force_wide,
            "counties": list(user.county_ids),
            "preferred_language": user.preferred_language,
            "version": user.version,
        }

    def to_data(self) -> UserData:
        d = self.cleaned_data
        return UserData(
            username=d["username"],
            first_name=d["first_name"],
            last_name=d["last_name"],
            email=d["email"],
            organisation=d["organisation"],
            roles=list(d["roles"]),
            force_wide=bool(d["force_wide"]),
            counties=list(d["counties"]),
            staff_number=d.get("staff_number", ""),
            preferred_language=d["preferred_language"],
        )


class OrganisationForm(GovukForm):
    name = forms.CharField(
        label=_("Name in English"), max_length=200, error_messages={"required": _("Enter a name")}
    )
    name_cy = forms.CharField(
        label=_("Name in Welsh"),
        max_length=200,
        error_messages={"required": _("Enter the Welsh name")},
    )
    kind = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of organisation")},
    )
    counties = CountyChoiceField(
        label=_("Counties served"),
        queryset=County.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = VersionField(required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counties"].queryset = _county_choices()  # type: ignore[attr-defined]
        if editing:
            self.fields["version"].required = True

    @staticmethod
    def initial_for(org: Organisation) -> dict[str, Any]:
        return {
            "name": org.name,
            "name_cy": org.name_cy,
            "kind": org.kind,
            "counties": list(org.counties.values_list("pk", flat=True)),
            "is_active": org.is_active,
            "version": org.version,
        }

    def to_data(self) -> OrganisationData:
        d = self.cleaned_data
        return OrganisationData(
            name=d["name"],
            name_cy=d["name_cy"],
            kind=d["kind"],
            counties=list(d["counties"]),
            is_active=bool(d["is_active"]),
        )
