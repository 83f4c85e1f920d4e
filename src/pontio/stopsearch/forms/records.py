"""Forms of the stop and search records: record a search, add a later outcome.

The forms parse what was typed; PACE Code A's rules (grounds, legislation, GOWISELY, a time
that is not in the future, "outcome linked" consistent with the outcome) are the service's,
whose messages land on the fields they name. That is why most fields are optional here: an
empty one is refused by ``services.check_search_data`` with the message that explains it.
The date boxes refuse a date before 2000 or after today as they are read (the service
checks the same bounds), so "1800" is explained on its field. The list's filters are a
FilterSet (``filters``).

The record form carries an idempotency key made when it is first shown: posting it twice
(a double tap, a resubmit after a slow connection) returns the search already recorded.

The record form is one column of radios, selects and short inputs so that it works on a
phone (375 px wide) at the roadside: no tables, no side-by-side fields.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.core.dates import EARLIEST_EVENT
from pontio.core.forms import YES_NO, GovukDateField, GovukForm, VersionField, yes_no
from pontio.core.models import County
from pontio.people.models import Ethnicity, Gender, Person
from pontio.stopsearch.models import OutcomeUpdate
from pontio.stopsearch.services.records import MAX_KEY, SearchData
from pontio.stopsearch.vocab import (
    CURRENT_OUTCOMES,
    AgeRange,
    Found,
    Legislation,
    ObjectOfSearch,
    OfficerEthnicity,
    SearchGender,
    SearchType,
    age_range_for,
)

# Long options (legislation, ethnicity) would push a select wider than a phone's screen.
FULL_WIDTH = {"class": "govuk-!-width-full"}
TIME_PATTERN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
# A person record's gender -> the police.uk gender of the search ("not stated" has none).
PERSON_GENDER: dict[str, str] = {
    Gender.MALE: SearchGender.MALE,
    Gender.FEMALE: SearchGender.FEMALE,
    Gender.OTHER: SearchGender.OTHER,
}


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


def _counties() -> Any:
    return County.objects.effective().order_by("sort_order", "code")


class StopSearchForm(GovukForm):
    """A search made in Pontio, in the order an officer goes through it at the roadside."""

    search_type = forms.ChoiceField(
        label=_("What did you search?"),
        choices=SearchType.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    searched_at = GovukDateField(
        label=_("Date of the search"),
        required=False,
        help_text=_("For example, 27 3 2026"),
        earliest=EARLIEST_EVENT,
        latest=timezone.localdate,
    )
    searched_time = forms.CharField(
        label=_("Time of the search"),
        max_length=5,
        required=False,
        help_text=_("Use the 24-hour clock, for example 14:30"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    place = forms.CharField(
        label=_("Where did the search take place?"),
        max_length=200,
        required=False,
        help_text=_("A street and town, or a landmark."),
    )
    county = CountyChoiceField(
        label=_("County"),
        queryset=County.objects.none(),
        required=False,
        empty_label=_("Choose the county"),
        widget=forms.Select(attrs=FULL_WIDTH),
    )
    gender = forms.ChoiceField(
        label=_("Gender of the person searched"),
        choices=SearchGender.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Not needed for a vehicle search."),
    )
    age_range = forms.ChoiceField(
        label=_("Age range"),
        choices=AgeRange.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    self_defined_ethnicity = forms.ChoiceField(
        label=_("Ethnicity, as the person described it"),
        choices=[("", _("Choose the ethnicity the person gave")), *Ethnicity.choices],
        required=False,
        help_text=_("Ask the person. If they do not say, choose 'Not stated'."),
        widget=forms.Select(attrs=FULL_WIDTH),
    )
    officer_defined_ethnicity = forms.ChoiceField(
        label=_("Ethnicity, as you perceived it"),
        choices=OfficerEthnicity.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    vehicle_registration = forms.CharField(
        label=_("Vehicle registration"),
        max_length=10,
        required=False,
        help_text=_("Only for a vehicle search."),
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    legislation = forms.ChoiceField(
        label=_("Power used (legislation)"),
        choices=[("", _("Choose the power")), *Legislation.choices],
        required=False,
        widget=forms.Select(attrs=FULL_WIDTH),
    )
    object_of_search = forms.ChoiceField(
        label=_("What were you looking for?"),
        choices=[("", _("Choose the object of the search")), *ObjectOfSearch.choices],
        required=False,
        widget=forms.Select(attrs=FULL_WIDTH),
    )
    grounds = forms.CharField(
        label=_("Grounds for the search"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "In your own words: what you saw, heard or knew that made you suspect you would "
            "find the object. Not the person's appearance or a previous conviction alone."
        ),
    )
    removal_of_more_than_outer_clothing = forms.ChoiceField(
        label=_("Was more than outer clothing removed?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("More than a coat, jacket and gloves."),
    )
    body_worn_video = forms.CharField(
        label=_("Body-worn video reference (optional)"),
        max_length=60,
        required=False,
    )
    part_of_operation = forms.ChoiceField(
        label=_("Was the search part of a policing operation?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    operation_name = forms.CharField(
        label=_("Name of the operation"),
        max_length=120,
        required=False,
        help_text=_("Only if the search was part of an operation."),
    )
    found = forms.ChoiceField(
        label=_("Did you find anything?"),
        choices=Found.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Say what the search found, whatever happened next: no further action does not "
            "mean nothing was found."
        ),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome of the search"),
        choices=[(o.value, o.label) for o in CURRENT_OUTCOMES],
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "What the police did after the search. “A no further action disposal” means no "
            "police action followed."
        ),
    )
    outcome_linked = forms.ChoiceField(
        label=_("Was the outcome linked to the object of the search?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "For example, yes if you were looking for drugs and arrested the person for "
            "possessing them. Not needed for no further action."
        ),
    )
    gowisely_given = forms.BooleanField(
        label=_("I gave the GOWISELY information before searching"),
        required=False,
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=MAX_KEY)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = _counties()  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(
        user: Any, person: Person | None, now: dt.datetime | None = None
    ) -> dict[str, Any]:
        """Now, the user's county if they have one, and what the person record says."""
        local = timezone.localtime(now or timezone.now())
        initial: dict[str, Any] = {
            "key": uuid.uuid4().hex,
            "searched_at": local.date(),
            "searched_time": local.strftime("%H:%M"),
            "part_of_operation": "no",
        }
        county_ids = list(getattr(user, "county_ids", []) or [])
        if len(county_ids) == 1 and not getattr(user, "force_wide", False):
            initial["county"] = county_ids[0]
        if person is not None:
            initial["search_type"] = SearchType.PERSON
            gender = PERSON_GENDER.get(person.gender)
            if gender:
                initial["gender"] = gender
            if person.date_of_birth:
                today = local.date()
                dob = person.date_of_birth
                age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
                initial["age_range"] = age_range_for(age)
            if person.self_defined_ethnicity:
                initial["self_defined_ethnicity"] = person.self_defined_ethnicity
        return initial

    def clean_searched_time(self) -> dt.time | None:
        value = (self.cleaned_data.get("searched_time") or "").strip()
        if not value:
            return None
        match = TIME_PATTERN.match(value)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
        raise forms.ValidationError(
            _("Enter the time using the 24-hour clock, like 14:30"), code="invalid_time"
        )

    def searched_datetime(self) -> dt.datetime | None:
        data = getattr(self, "cleaned_data", {})
        day, time = data.get("searched_at"), data.get("searched_time")
        if not isinstance(day, dt.date) or not isinstance(time, dt.time):
            return None
        return timezone.make_aware(dt.datetime.combine(day, time))

    def idempotency_key(self) -> str:
        return str(getattr(self, "cleaned_data", {}).get("key") or "")

    def to_data(self, person: Person | None) -> SearchData:
        """The typed values, as far as they parsed, for the service to check and save."""
        c = getattr(self, "cleaned_data", {})
        return SearchData(
            search_type=c.get("search_type") or "",
            searched_at=self.searched_datetime(),
            place=c.get("place") or "",
            county=c.get("county"),
            legislation=c.get("legislation") or "",
            object_of_search=c.get("object_of_search") or "",
            grounds=c.get("grounds") or "",
            gowisely_given=bool(c.get("gowisely_given")),
            outcome=c.get("outcome") or "",
            outcome_linked=yes_no(c.get("outcome_linked")),
            found=c.get("found") or "",
            person=person,
            vehicle_registration=c.get("vehicle_registration") or "",
            gender=c.get("gender") or "",
            age_range=c.get("age_range") or "",
            self_defined_ethnicity=c.get("self_defined_ethnicity") or "",
            officer_defined_ethnicity=c.get("officer_defined_ethnicity") or "",
            removal_of_more_than_outer_clothing=yes_no(
                c.get("removal_of_more_than_outer_clothing")
            ),
            body_worn_video=c.get("body_worn_video") or "",
            part_of_operation=c.get("part_of_operation") == "yes",
            operation_name=c.get("operation_name") or "",
        )


LATER_KINDS = [
    (value, label)
    for value, label in OutcomeUpdate.Kind.choices
    if value != OutcomeUpdate.Kind.AT_THE_TIME
]


class OutcomeForm(GovukForm):
    """A later outcome: what happened, the outcome now, whether linked, when and why."""

    version = VersionField()
    kind = forms.ChoiceField(
        label=_("What happened?"),
        choices=LATER_KINDS,
        widget=forms.RadioSelect,
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome now"),
        choices=[(o.value, o.label) for o in CURRENT_OUTCOMES],
        widget=forms.RadioSelect,
        required=False,
    )
    linked_to_object = forms.ChoiceField(
        label=_("Is the outcome linked to the object of the search?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Not needed for no further action."),
    )
    decided_on = GovukDateField(
        label=_("Date of the outcome"),
        required=False,
        help_text=_("For example, 27 3 2026"),
        earliest=EARLIEST_EVENT,
        latest=timezone.localdate,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example, the drug analysis result or the charging decision."),
    )

    def linked(self) -> bool | None:
        return yes_no(self.cleaned_data.get("linked_to_object"))
