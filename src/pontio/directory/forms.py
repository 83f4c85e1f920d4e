"""Directory forms: the providers' service form (the officers' search is ``filters``).

The form parses what was typed (text, numbers, times, choices); every rule about the values
(plausible ages, a full location or none, a UK phone number, both opening times of a day
and closing after opening) is the service's, shown on the field it names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm, VersionField
from pontio.core.models import County
from pontio.core.scopes import restrict
from pontio.directory.models import DirectoryOrganisation, Schedule, Service, Substance
from pontio.directory.services import OpeningHours, ServiceData, service_data_of

TIME_ERRORS = {"invalid": _("Enter a time in the 24-hour clock, like 09:00 or 17:30")}


class ServiceForm(GovukForm):
    """One service with its one location, one phone and weekly opening hours."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=DirectoryOrganisation.objects.none(),
        error_messages={
            "required": _("Select the organisation that runs the service"),
            "invalid_choice": _(
                "You can only add services for your own organisation. Nothing has been saved."
            ),
        },
    )
    name = forms.CharField(
        label=_("Name of the service (English)"),
        max_length=200,
        error_messages={"required": _("Enter the name of the service")},
    )
    name_cy = forms.CharField(
        label=_("Name of the service (Welsh)"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("Description (English)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter a description of the service")},
    )
    description_cy = forms.CharField(
        label=_("Description (Welsh)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    how_to_refer = forms.CharField(
        label=_("How to refer (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    how_to_refer_cy = forms.CharField(
        label=_("How to refer (Welsh)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    accepts_pontio_referrals = forms.BooleanField(
        label=_("Accepts referrals through Pontio"), required=False
    )
    accepts_criminal_justice_referrals = forms.BooleanField(
        label=_("Accepts criminal justice referrals"), required=False
    )
    diversion_scheme = forms.BooleanField(
        label=_("Diversion scheme"),
        help_text=_("Takes only people given a diversion or out-of-court disposal"),
        required=False,
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
    )
    url = forms.URLField(
        label=_("Web page"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, like https://www.example.org")},
    )
    phone = forms.CharField(
        label=_("Telephone number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    contact_name = forms.CharField(
        label=_("Contact: team or post"),
        help_text=_("Who to ask for, like Criminal justice team. Not a private person."),
        required=False,
        max_length=200,
    )
    contact_title = forms.CharField(label=_("Contact: job title"), required=False, max_length=200)
    contact_email = forms.EmailField(
        label=_("Contact: email address"),
        required=False,
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum age"),
        required=False,
        error_messages={"invalid": _("Minimum age must be a whole number, like 18")},
    )
    maximum_age = forms.IntegerField(
        label=_("Maximum age"),
        required=False,
        error_messages={"invalid": _("Maximum age must be a whole number, like 25")},
    )
    genders = forms.ChoiceField(
        label=_("Who the service is for"),
        choices=Service.Genders.choices,
        initial=Service.Genders.ALL,
        widget=forms.RadioSelect,
    )
    substances = forms.ModelMultipleChoiceField(
        label=_("Substances the service helps with"),
        queryset=Substance.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    counties = forms.ModelMultipleChoiceField(
        label=_("Counties the service covers"),
        queryset=County.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select the counties the service covers")},
    )
    location_name = forms.CharField(
        label=_("Location name (English)"),
        required=False,
        max_length=200,
        help_text=_("Leave the location empty for a service with no building, like a helpline"),
    )
    location_name_cy = forms.CharField(
        label=_("Location name (Welsh)"), required=False, max_length=200
    )
    address_1 = forms.CharField(label=_("Address line 1"), required=False, max_length=200)
    city = forms.CharField(label=_("Town or city"), required=False, max_length=100)
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    location_county = forms.ModelChoiceField(
        label=_("County of the location"), queryset=County.objects.none(), required=False
    )
    version = VersionField(required=False)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[DirectoryOrganisation],
        user: Any,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["organisation"]
        org_field.queryset = organisations
        if editing:
            org_field.required = False
            org_field.disabled = True
            self.fields["version"].required = True
        else:
            del self.fields["version"]
        substances: Any = self.fields["substances"]
        substances.queryset = restrict(Substance.objects.effective(), user, "view")
        for name in ("counties", "location_county"):
            field: Any = self.fields[name]
            field.queryset = restrict(County.objects.effective(), user, "view")
        for day, label in Schedule.Weekday.choices:
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s: opens at") % {"day": label},
                required=False,
                error_messages=TIME_ERRORS,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s: closes at") % {"day": label},
                required=False,
                error_messages=TIME_ERRORS,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
            )

    @staticmethod
    def initial_for(service: Service) -> dict[str, Any]:
        data = service_data_of(service)
        initial: dict[str, Any] = {
            name: getattr(data, name)
            for name in ServiceData.__dataclass_fields__
            if name not in {"hours", "substances", "counties", "location_county"}
        }
        initial.update(
            organisation=service.organisation_id,
            version=service.version,
            substances=list(data.substances),
            counties=list(data.counties),
            location_county=data.location_county.pk if data.location_county else None,
        )
        for day in data.hours:
            if day.opens_at is not None:
                initial[f"opens_{day.weekday}"] = day.opens_at.strftime("%H:%M")
            if day.closes_at is not None:
                initial[f"closes_{day.weekday}"] = day.closes_at.strftime("%H:%M")
        return initial

    def to_data(self) -> ServiceData:
        data = self.cleaned_data
        hours: list[OpeningHours] = []
        for day, _label in Schedule.Weekday.choices:
            opens: dt.time | None = data.get(f"opens_{day}")
            closes: dt.time | None = data.get(f"closes_{day}")
            if opens is not None or closes is not None:
                hours.append(OpeningHours(day, opens, closes))
        return ServiceData(
            name=data["name"],
            name_cy=data.get("name_cy", ""),
            description=data["description"],
            description_cy=data.get("description_cy", ""),
            email=data.get("email", ""),
            url=data.get("url", ""),
            how_to_refer=data.get("how_to_refer", ""),
            how_to_refer_cy=data.get("how_to_refer_cy", ""),
            accepts_pontio_referrals=bool(data.get("accepts_pontio_referrals")),
            accepts_criminal_justice_referrals=bool(data.get("accepts_criminal_justice_referrals")),
            diversion_scheme=bool(data.get("diversion_scheme")),
            minimum_age=data.get("minimum_age"),
            maximum_age=data.get("maximum_age"),
            genders=data.get("genders") or Service.Genders.ALL,
            substances=tuple(data.get("substances") or ()),
            counties=tuple(data.get("counties") or ()),
            location_name=data.get("location_name", ""),
            location_name_cy=data.get("location_name_cy", ""),
            address_1=data.get("address_1", ""),
            city=data.get("city", ""),
            postcode=data.get("postcode", ""),
            location_county=data.get("location_county"),
            contact_name=data.get("contact_name", ""),
            contact_title=data.get("contact_title", ""),
            contact_email=data.get("contact_email", ""),
            phone=data.get("phone", ""),
            hours=tuple(hours),
        )


class StatusForm(GovukForm):
    status = forms.ChoiceField(choices=Service.Status.choices)
    version = VersionField(error_messages={"required": _("Reload the page and try again")})
