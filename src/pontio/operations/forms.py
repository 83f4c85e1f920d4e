"""Forms of the operations pages: they parse input; the rules are the services'."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.accounts.models import Organisation
from pontio.core.forms import GovukDateField, GovukForm, VersionField
from pontio.core.models import County
from pontio.operations.models import (
    Answer,
    BriefingLevel,
    DemandAnswer,
    DrugType,
    MeetingLevel,
    QuantityUnit,
)

TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
MONEY_RE = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def _time_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=5,
        help_text=_("24-hour clock, for example 14:30"),
        error_messages={"required": _("Enter a time")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )


def clean_time(value: str) -> dt.time:
    match = TIME_RE.match((value or "").strip())
    if not match:
        raise forms.ValidationError(_("Enter a real time, like 09:30 or 14:30"))
    return dt.time(int(match.group(1)), int(match.group(2)))


def moment(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        error_messages={
            "required": _("Enter a whole number, 0 or more"),
            "invalid": _("Enter a whole number, 0 or more"),
            "min_value": _("Enter a whole number, 0 or more"),
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )


def county_choices(queryset: Any = None) -> list[tuple[int, str]]:
    counties = queryset if queryset is not None else County.objects.all()
    return [(c.pk, str(c.label)) for c in counties.order_by("sort_order", "pk")]


class _Choices(GovukForm):
    def choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])


class OperationForm(_Choices):
    version = VersionField(required=False)
    code_name = forms.CharField(
        label=_("Code name"),
        max_length=61,
        error_messages={"required": _("Enter the code name")},
        help_text=_("Police only: providers never see it."),
    )
    objective = forms.CharField(
        label=_("Objective (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    counties = forms.TypedMultipleChoiceField(
        label=_("Counties"),
        coerce=int,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one county")},
    )

    def __init__(self, *args: Any, counties: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice("counties").choices = county_choices(counties)


class MoveForm(GovukForm):
    version = VersionField()
    started_on = GovukDateField(
        label=_("Date the phase began"),
        help_text=_("For example, 9 3 2026. Today if it begins now."),
    )
    started_time = _time_field(_("Time the phase began"))
    reason = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_started_time(self) -> dt.time:
        return clean_time(self.cleaned_data.get("started_time", ""))

    def started_at(self) -> dt.datetime:
        return moment(self.cleaned_data["started_on"], self.cleaned_data["started_time"])


class MeetingForm(_Choices):
    held_on = GovukDateField(label=_("Date of the meeting"), help_text=_("For example, 9 3 2026"))
    level = forms.ChoiceField(
        label=_("Level"),
        choices=MeetingLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose strategic or tactical")},
    )
    organisations = forms.TypedMultipleChoiceField(
        label=_("Organisations attending"),
        coerce=int,
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(
        label=_("Other organisations attending (optional)"),
        help_text=_("For example, the local authority's community safety team"),
        required=False,
        max_length=401,
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter a summary of the meeting")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice("organisations").choices = [
            (o.pk, o.display_name) for o in Organisation.objects.filter(is_active=True)
        ]


class BriefingForm(_Choices):
    organisation = forms.TypedChoiceField(
        label=_("Organisation briefed"),
        coerce=int,
        choices=(),
        error_messages={"required": _("Select the organisation briefed")},
    )
    recipient = forms.CharField(
        label=_("Name or post of the person briefed"),
        help_text=_("For example, Head of Service"),
        max_length=201,
        error_messages={"required": _("Enter the name or post of the person briefed")},
    )
    briefed_on = GovukDateField(
        label=_("Date of the briefing"), help_text=_("For example, 9 3 2026")
    )
    briefed_time = _time_field(_("Time of the briefing"))
    level = forms.ChoiceField(
        label=_("Level"),
        choices=BriefingLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the level of the briefing")},
    )
    shared = forms.CharField(
        label=_("What was shared"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter what was shared")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice("organisation").choices = [
            ("", _("Select an organisation")),
            *((o.pk, o.display_name) for o in Organisation.objects.filter(is_active=True)),
        ]

    def clean_briefed_time(self) -> dt.time:
        return clean_time(self.cleaned_data.get("briefed_time", ""))

    def briefed_at(self) -> dt.datetime:
        return moment(self.cleaned_data["briefed_on"], self.cleaned_data["briefed_time"])


class ForecastRowForm(_Choices):
    version = VersionField()
    county = forms.TypedChoiceField(
        label=_("County"),
        coerce=int,
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select one of the operation's counties")},
    )
    week_starting = GovukDateField(
        label=_("Week starting"),
        help_text=_(
            "Any day of the week: the week is counted from its Monday. For example, 9 3 2026"
        ),
    )
    expected_referrals = _count(_("Expected referrals"))
    expected_safeguarding = _count(_("Expected safeguarding referrals"))

    def __init__(self, *args: Any, counties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice("county").choices = county_choices(counties)


class VersionForm(GovukForm):
    version = VersionField()


class ResultForm(_Choices):
    county = forms.TypedChoiceField(
        label=_("County"),
        coerce=int,
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select one of the operation's counties")},
    )
    recorded_on = GovukDateField(label=_("Date"), help_text=_("For example, 9 3 2026"))
    arrests = _count(_("Arrests"))
    charges = _count(_("Charges"))
    convictions = _count(_("Convictions"))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=401)

    def __init__(self, *args: Any, counties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice("county").choices = county_choices(counties)


class SeizureForm(_Choices):
    county = forms.TypedChoiceField(
        label=_("County"),
        coerce=int,
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select one of the operation's counties")},
    )
    seized_on = GovukDateField(label=_("Date seized"), help_text=_("For example, 9 3 2026"))
    drug = forms.ChoiceField(
        label=_("Drug"),
        choices=DrugType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the drug seized")},
    )
    quantity = forms.CharField(
        label=_("Quantity"),
        max_length=20,
        error_messages={"required": _("Enter a quantity more than 0 and up to 1,000,000")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=QuantityUnit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the unit of the quantity")},
    )
    street_value = forms.CharField(
        label=_("Estimated street value in pounds"),
        help_text=_("For example, 12500 or 12,500.50"),
        max_length=20,
        error_messages={
            "required": _("Enter the estimated street value in pounds, up to £100,000,000")
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, counties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice("county").choices = county_choices(counties)

    def clean_quantity(self) -> Decimal:
        raw = (self.cleaned_data.get("quantity") or "").strip().replace(",", "")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(
                _("Enter a quantity more than 0 and up to 1,000,000")
            ) from None
        if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise forms.ValidationError(_("Enter the quantity with up to 2 decimal places"))
        return value

    def clean_street_value(self) -> int:
        raw = (self.cleaned_data.get("street_value") or "").strip()
        if not MONEY_RE.match(raw):
            raise forms.ValidationError(
                _("Enter the estimated street value in pounds, like 12500 or 12,500.50")
            )
        pounds = Decimal(raw.lstrip("£").strip().replace(",", ""))
        return int(pounds * 100)


class LinkReferralsForm(_Choices):
    referrals = forms.TypedMultipleChoiceField(
        label=_("Referrals to link"),
        coerce=int,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one referral to link")},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is accepted here: the service refuses one that is not suggested, with its
        # own message (a stale page must not become a bare "not a valid choice").
        field = self.choice("referrals")
        field.choices = choices
        field.valid_value = lambda value: True  # type: ignore[method-assign]


class EvaluationForm(GovukForm):
    briefed_in_time = forms.ChoiceField(
        label=_("Were you briefed in time to plan for the operation?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you were briefed in time")},
    )
    enough_detail = forms.ChoiceField(
        label=_("Did you have enough detail to plan your service?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you had enough detail to plan")},
    )
    demand = forms.ChoiceField(
        label=_("How did the demand on your service compare with the forecast?"),
        choices=DemandAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the demand compared with the forecast")},
    )
    comment = forms.CharField(
        label=_("Anything else you would like to tell the force? (optional)"),
        help_text=_("Do not name anyone you support."),
        required=False,
        max_length=2001,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class IntelligenceLinkForm(_Choices):
    operation = forms.TypedChoiceField(
        label=_("Operation"),
        coerce=int,
        choices=(),
        error_messages={"required": _("Select an operation")},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice("operation").choices = [("", _("Select an operation")), *choices]
