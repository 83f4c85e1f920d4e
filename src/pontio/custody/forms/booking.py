"""Booking a detainee in: find the person (name and date of birth, kept in the session,
never in a URL), then the custody record's details. The rules are the services'
(``people.services.identity_check``, ``custody.services.check_booking``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import YES_NO, GovukDateField, GovukForm, yes_no
from pontio.custody.forms.common import (
    LabelledChoiceField,
    OffenceChoiceField,
    clean_time,
    moment,
    time_field,
)
from pontio.custody.models import CustodySuite, Offence
from pontio.custody.services import BookingData, OffenceEntry
from pontio.people.services import identity_check


class DetaineeFindForm(GovukForm):
    """Who is booked in: what the people app's matcher needs to find them."""

    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    date_of_birth = GovukDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("For example, 27 3 1990"),
        earliest=None,
        latest=None,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            identity = identity_check(
                given_name=cleaned.get("given_name") or "",
                family_name=cleaned.get("family_name") or "",
                date_of_birth=cleaned.get("date_of_birth"),
            )
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                if not self.has_error(name):
                    self.add_error(name, errors)
        else:
            cleaned.update(given_name=identity.given_name, family_name=identity.family_name)
        return cleaned

    def to_session(self) -> dict[str, Any]:
        data = self.cleaned_data
        born = data.get("date_of_birth")
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "date_of_birth": born.isoformat() if isinstance(born, dt.date) else "",
            "person": None,
            "new": False,
        }


def typed_of(saved: Any) -> dict[str, Any] | None:
    """What was typed at the find step (from the session), if anything."""
    if not isinstance(saved, dict) or not saved.get("family_name"):
        return None
    born = saved.get("date_of_birth") or ""
    try:
        date_of_birth = dt.date.fromisoformat(born) if born else None
    except ValueError:
        date_of_birth = None
    person = saved.get("person")
    return {
        "given_name": str(saved.get("given_name") or ""),
        "family_name": str(saved.get("family_name") or ""),
        "date_of_birth": date_of_birth,
        "person": person if isinstance(person, int) else None,
        "new": bool(saved.get("new")),
    }


class DetaineeChoiceForm(GovukForm):
    """ "This is the person": the record number chosen from the matches."""

    person = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class BookingForm(GovukForm):
    """The custody record: suite, custody number, arrest, offences, appropriate adult."""

    suite = LabelledChoiceField(
        label=_("Custody suite"),
        queryset=CustodySuite.objects.none(),
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
    )
    custody_number = forms.CharField(
        label=_("Custody number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off"}),
    )
    arrested_on = GovukDateField(
        label=_("Date of arrest"),
        required=False,
        help_text=_("For example, 27 3 2026"),
        earliest=None,
        latest=None,
    )
    arrested_time = time_field(_("Time of arrest"), required=False)
    offences = OffenceChoiceField(
        label=_("Offences the person is arrested for"),
        queryset=Offence.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose every offence that applies."),
    )
    class_a_involved = forms.ChoiceField(
        label=_(
            "If you chose a Misuse of Drugs Act offence: does it involve a specified Class A "
            "drug (heroin, cocaine or crack)?"
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Those offences are trigger offences only with a specified Class A drug."),
    )
    appropriate_adult_name = forms.CharField(
        label=_("Appropriate adult (required for anyone under 17)"),
        max_length=120,
        required=False,
    )
    appropriate_adult_relationship = forms.CharField(
        label=_("Relationship to the detainee (optional)"), max_length=60, required=False
    )

    def __init__(self, *args: Any, suites: list[CustodySuite], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suite"].queryset = CustodySuite.objects.filter(  # type: ignore[attr-defined]
            pk__in=[s.pk for s in suites]
        ).order_by("sort_order", "code")
        self.fields["offences"].queryset = Offence.objects.effective()  # type: ignore[attr-defined]

    def clean_arrested_time(self) -> dt.time | None:
        return clean_time(self.cleaned_data.get("arrested_time", ""))

    def to_data(self) -> BookingData:
        """What was typed, as the service takes it (an answer not parsed is empty)."""
        data = getattr(self, "cleaned_data", {})
        class_a = yes_no(data.get("class_a_involved"))
        offences = [
            OffenceEntry(o, class_a if o.class_a_only else None) for o in data.get("offences") or []
        ]
        arrested_at = moment(data.get("arrested_on"), data.get("arrested_time"))
        return BookingData(
            custody_number=data.get("custody_number") or "",
            suite=data.get("suite"),
            arrested_at=arrested_at,
            offences=offences,
            appropriate_adult_name=data.get("appropriate_adult_name") or "",
            appropriate_adult_relationship=data.get("appropriate_adult_relationship") or "",
        )

    @staticmethod
    def initial_for(suites: list[CustodySuite]) -> dict[str, Any]:
        now = timezone.localtime()
        initial: dict[str, Any] = {"arrested_on": now.date()}
        if len(suites) == 1:
            initial["suite"] = suites[0].pk
        return initial
