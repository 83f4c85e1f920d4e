"""Forms of the provider's work on a referral.

Forms parse input and give GOV.UK messages; the rules (which move, which code, which date,
how long free text may be) are the services'. Reason codes are not checked against a fixed
list here: the service says exactly why a code cannot be used (unknown, ended, wrong move,
wrong party).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.accounts.models import User
from pontio.core.forms import GovukDateField, GovukForm, VersionField
from pontio.referrals.models import (
    TOP_SUBSTANCES,
    Appointment,
    ClinicalRecord,
    ContactAttempt,
    ContactChannel,
    OutcomeAgainstReason,
    ReferralCode,
    Status,
    TopStage,
)
from pontio.referrals.services.work import TOP_DAY_FIELDS, TOP_SCORE_FIELDS

TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class CodeField(forms.ChoiceField):
    """Radios of reason codes that leave the verdict on other values to the service."""

    def valid_value(self, value: Any) -> bool:
        return True


class _Choices(GovukForm):
    """A form whose choices are set when it is made."""

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])


def _time_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=5,
        help_text=_("24-hour clock, for example 14:30"),
        error_messages={"required": _("Enter a time")},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )


def _clean_time(value: str) -> dt.time:
    match = TIME_RE.match((value or "").strip())
    if not match:
        raise forms.ValidationError(_("Enter a real time, like 09:30 or 14:30"))
    return dt.time(int(match.group(1)), int(match.group(2)))


def _moment(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class VersionForm(GovukForm):
    """Accept: nothing to choose, only the version the page showed."""

    version = VersionField()


class CodedMoveForm(_Choices):
    """Reject, put on hold or close: a coded reason and, optionally, words. The page says who
    will read the words (``lifecycle.reason_is_shared``): the police with a rejection, the
    provider alone otherwise."""

    version = VersionField()
    code = CodeField(
        label=_("Reason"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason")},
    )
    reason = forms.CharField(
        label=_("Note for your organisation (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        codes: list[ReferralCode],
        label: Any = None,
        reason_label: Any = None,
        reason_hint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choice("code").choices = [(c.code, c.label) for c in codes]
        if label:
            self.fields["code"].label = label
        if reason_label:
            self.fields["reason"].label = reason_label
        if reason_hint:
            self.fields["reason"].help_text = reason_hint


class ClosingForm(CodedMoveForm):
    """Close: the closure code, the end-of-service summary for the police, and the
    provider's own note (``services.summary``)."""

    outcome_against_reason = forms.ChoiceField(
        label=_("Outcome against the reason for the referral"),
        required=False,
        choices=OutcomeAgainstReason.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "How far the support met the reason the police referred the person for. Needed "
            "once the work has started, unless the person died, went to prison or moved away."
        ),
    )
    outcome_summary = forms.CharField(
        label=_("Summary for the police"),
        required=False,
        help_text=_(
            "The referring officer will read this. Use plain words and do not include "
            "clinical detail (diagnoses, medication, test results or treatment). "
            "1,000 characters at most."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["version", "code", "outcome_against_reason", "outcome_summary", "reason"]
        )


class ResumeForm(GovukForm):
    version = VersionField()
    to_status = forms.ChoiceField(
        label=_("Where does the work pick up?"),
        widget=forms.RadioSelect,
        choices=[
            (Status.IN_PROGRESS, _("Work is in progress (the person has been in contact)")),
            (Status.ACCEPTED, _("Accepted, not started yet")),
        ],
        error_messages={"required": _("Choose where the work picks up")},
    )
    reason = forms.CharField(
        label=_("Why is the hold over? (optional)"),
        required=False,
        help_text=_(
            "Kept to your organisation: the police see only that the work has resumed and when."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContactAttemptForm(GovukForm):
    on = GovukDateField(label=_("Date of the attempt"), help_text=_("For example, 27 3 2026"))
    time = _time_field(_("Time of the attempt"))
    channel = forms.ChoiceField(
        label=_("How did you try to make contact?"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you tried to make contact")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=ContactAttempt.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome of the attempt")},
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_time(self) -> dt.time:
        return _clean_time(self.cleaned_data.get("time", ""))

    def at(self) -> dt.datetime:
        return _moment(self.cleaned_data["on"], self.cleaned_data["time"])


class AppointmentForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("Type of appointment"),
        choices=Appointment.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of appointment")},
    )
    on = GovukDateField(label=_("Date"), help_text=_("For example, 27 3 2026"))
    time = _time_field(_("Time"))
    mode = forms.ChoiceField(
        label=_("How will the appointment happen?"),
        choices=Appointment.Mode.choices,
        initial=Appointment.Mode.IN_PERSON,
        # Optional in the post: a form sent without it (an older page) books in person.
        required=False,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label=_("Where (optional)"),
        required=False,
        max_length=200,
        help_text=_("For an appointment in person. Leave it empty if the place is not known yet."),
    )

    def clean_time(self) -> dt.time:
        return _clean_time(self.cleaned_data.get("time", ""))

    def clean_mode(self) -> str:
        return self.cleaned_data.get("mode") or Appointment.Mode.IN_PERSON

    def starts_at(self) -> dt.datetime:
        return _moment(self.cleaned_data["on"], self.cleaned_data["time"])


class RescheduleForm(AppointmentForm):
    """A booked appointment moved: a new date, time, way or place, and why."""

    version = VersionField()
    reason = forms.CharField(
        label=_("Why is the appointment being rescheduled?"),
        help_text=_(
            "Kept with the appointment for your organisation. The police see only that it "
            "was rescheduled and when, not this reason."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter why the appointment is being rescheduled")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        self.order_fields(["version", "on", "time", "mode", "place", "reason"])


ATTENDANCE_CHOICES = [
    (Appointment.Attendance.ATTENDED, Appointment.Attendance.ATTENDED.label),
    (Appointment.Attendance.DID_NOT_ATTEND, Appointment.Attendance.DID_NOT_ATTEND.label),
    (Appointment.Attendance.LEFT_EARLY, Appointment.Attendance.LEFT_EARLY.label),
    (Appointment.Attendance.CANCELLED, Appointment.Attendance.CANCELLED.label),
]


class AttendanceForm(GovukForm):
    version = VersionField()
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=ATTENDANCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose attended, attended but left early, did not attend or cancelled"),
            "invalid_choice": _(
                "Choose attended, attended but left early, did not attend or cancelled"
            ),
        },
    )


class ClinicalRecordForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("What are you recording?"),
        choices=ClinicalRecord.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose assessment or treatment start")},
    )
    on = GovukDateField(label=_("Date"), help_text=_("For example, 27 3 2026"))
    intervention = forms.CharField(
        label=_("Intervention (optional)"),
        required=False,
        max_length=120,
        help_text=_("For example, psychosocial key work or opioid substitution therapy"),
    )
    notes = forms.CharField(
        label=_("Clinical notes (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen by your organisation only, never by the police."),
    )


def _days_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=28,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter a number of days from 0 to 28"),
            "min_value": _("Enter a number of days from 0 to 28"),
            "max_value": _("Enter a number of days from 0 to 28"),
        },
    )


def _score_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter a score from 0 to 20"),
            "min_value": _("Enter a score from 0 to 20"),
            "max_value": _("Enter a score from 0 to 20"),
        },
    )


TOP_LABELS: dict[str, Any] = {
    "alcohol_days": _("Alcohol: days used in the past 28"),
    "opiates_days": _("Opiates (illicit): days used in the past 28"),
    "crack_days": _("Crack: days used in the past 28"),
    "cocaine_days": _("Cocaine: days used in the past 28"),
    "amphetamines_days": _("Amphetamines: days used in the past 28"),
    "cannabis_days": _("Cannabis: days used in the past 28"),
    "other_days": _("Other problem substance: days used in the past 28"),
    "injecting_days": _("Days injected in the past 28"),
    "shoplifting_days": _("Shoplifting: days in the past 28"),
    "drug_selling_days": _("Drug selling: days in the past 28"),
    "vehicle_theft_days": _("Theft from or of a vehicle: days in the past 28"),
    "other_theft_days": _("Other theft or burglary: days in the past 28"),
    "assault_days": _("Assault or violence: days in the past 28"),
    "psychological_health": _("Psychological health (0 poor to 20 good)"),
    "physical_health": _("Physical health (0 poor to 20 good)"),
    "quality_of_life": _("Overall quality of life (0 poor to 20 good)"),
}


class TopForm(GovukForm):
    """A Treatment Outcomes Profile. A blank box means "not disclosed" (TOP's NA)."""

    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=TopStage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the stage of the profile")},
    )
    interview_date = GovukDateField(
        label=_("Interview date"), help_text=_("For example, 27 3 2026")
    )
    main_substance = forms.ChoiceField(
        label=_("Main problem substance"),
        choices=[("", _("Choose a substance")), *TOP_SUBSTANCES.items()],
        error_messages={"required": _("Choose the main problem substance")},
    )
    shared_equipment = forms.ChoiceField(
        label=_("Shared needles or other injecting equipment in the past 28 days"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No")), ("", _("Not disclosed"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TOP_DAY_FIELDS:
            self.fields[name] = _days_field(TOP_LABELS[name])
        for name in TOP_SCORE_FIELDS:
            self.fields[name] = _score_field(TOP_LABELS[name])
        # Injecting sits with its equipment question, after the substances.
        order = [
            "stage",
            "interview_date",
            "main_substance",
            *TOP_DAY_FIELDS[:8],
            "shared_equipment",
            *TOP_DAY_FIELDS[8:],
            *TOP_SCORE_FIELDS,
        ]
        self.order_fields(order)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) for name in TOP_DAY_FIELDS}
        values.update({name: data.get(name) for name in TOP_SCORE_FIELDS})
        shared = data.get("shared_equipment")
        values["shared_equipment"] = {"yes": True, "no": False}.get(shared or "")
        return values


class AllocateForm(_Choices):
    version = VersionField()
    caseworker = forms.ChoiceField(
        label=_("Caseworker"),
        error_messages={"required": _("Choose a caseworker")},
    )

    def __init__(self, *args: Any, caseworkers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choice("caseworker").choices = [
            ("", _("Choose a caseworker")),
            ("none", _("Nobody (remove the allocation)")),
            *((str(u.pk), str(u)) for u in caseworkers),
        ]

    def caseworker_id(self) -> int | None:
        value = self.cleaned_data["caseworker"]
        return None if value == "none" else int(value)
