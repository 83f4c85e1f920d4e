"""Forms of the intelligence pages: they parse input; the rules are the services'."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.accounts.models import Organisation
from pontio.core.forms import GovukForm, VersionField
from pontio.core.models import County
from pontio.intelligence.models import HowKnown, Priority, Scheme, WhenSeen
from pontio.intelligence.protection import HONEYPOT_FIELD
from pontio.intelligence.services import MAX_AREA, MAX_TEXT


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


def _counties() -> Any:
    return County.objects.effective().order_by("sort_order", "code")


class SubmissionForm(GovukForm):
    """What, where, when (approximately) and how they know: nothing about the submitter."""

    county = CountyChoiceField(
        label=_("Which county is it in?"),
        queryset=County.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the county"),
            "invalid_choice": _("Choose the county"),
        },
    )
    area = forms.CharField(
        label=_("Town, street or place (optional)"),
        help_text=_(
            "For example, a town, a street name or a landmark. Do not give your own address."
        ),
        required=False,
        max_length=MAX_AREA * 4,  # the service refuses an overlong one, with its message
    )
    when_seen = forms.ChoiceField(
        label=_("When did it happen?"),
        choices=WhenSeen.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose when it happened")},
    )
    how_known = forms.ChoiceField(
        label=_("How do you know about it?"),
        choices=HowKnown.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you know about it")},
    )
    what = forms.CharField(
        label=_("What is happening?"),
        help_text=_(
            "Describe what you saw or know: what, where, who is involved if you know. "
            "Do not include your name, address, phone number or anything that could "
            "identify you. Up to %(max)s characters."
        )
        % {"max": MAX_TEXT},
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Tell us what is happening.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = _counties()  # type: ignore[attr-defined]


class PublicSubmissionForm(SubmissionForm):
    # The honeypot: hidden from people and assistive technology (its wrapper is ``hidden``),
    # filled by bots. Rendered by the template by hand, outside the field loop.
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(required=False, label=_("Leave this blank"))

    field_order = ["county", "area", "when_seen", "how_known", "what"]

    def visible_fields_for_page(self) -> list[Any]:
        return [self[name] for name in ("county", "area", "when_seen", "how_known", "what")]


assert HONEYPOT_FIELD == "website"  # noqa: S101 - the form and the check name one field


class StatusForm(GovukForm):
    reference = forms.CharField(
        label=_("Reference"),
        help_text=_("For example, INT-2026-012345."),
        max_length=20,
        error_messages={"required": _("Enter the reference")},
    )
    secret = forms.CharField(
        label=_("Secret code"),
        help_text=_("The code you were shown when you sent the report."),
        max_length=30,
        error_messages={"required": _("Enter the secret code")},
    )


class GradeForm(GovukForm):
    version = VersionField()
    scheme = forms.ChoiceField(
        label=_("Grading scheme"),
        choices=Scheme.choices,
        initial=Scheme.THREE_FIVE_TWO,
        widget=forms.RadioSelect,
        help_text=_("Use 5x5x5 only to enter a legacy grade exactly as it was recorded."),
        error_messages={"required": _("Choose the grading scheme.")},
    )
    source_code = forms.ChoiceField(
        label=_("Source evaluation"),
        choices=[("", "")] + [(c, c) for c in ("1", "2", "3", "A", "B", "C", "D", "E")],
        help_text=_("3x5x2: 1, 2 or 3. 5x5x5: A to E."),
        error_messages={"required": _("Choose a source evaluation of this scheme.")},
    )
    information_code = forms.ChoiceField(
        label=_("Information assessment"),
        choices=[("", "")] + [(c, c) for c in ("A", "B", "C", "D", "E", "1", "2", "3", "4", "5")],
        help_text=_("3x5x2: A to E. 5x5x5: 1 to 5."),
        error_messages={"required": _("Choose an information assessment of this scheme.")},
    )
    handling_code = forms.ChoiceField(
        label=_("Handling code"),
        choices=[("", "")] + [(c, c) for c in ("P", "C", "1", "2", "3", "4", "5")],
        help_text=_("3x5x2: P or C. 5x5x5: 1 to 5."),
        error_messages={"required": _("Choose a handling code of this scheme.")},
    )


class SanitiseForm(GovukForm):
    version = VersionField()
    text = forms.CharField(
        label=_("Sanitised text"),
        help_text=_(
            "Remove anything that identifies the source or a person who is not the subject."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter the sanitised text.")},
    )
    county = CountyChoiceField(
        label=_("County"),
        queryset=County.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the county")},
    )
    area = forms.CharField(label=_("Area or place"), required=False, max_length=MAX_AREA * 4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = _counties()  # type: ignore[attr-defined]


class PriorityForm(GovukForm):
    version = VersionField()
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "High: threat to life, serious harm, imminent risk or an opportunity. "
            "Medium: time-critical. Low: all other."
        ),
        error_messages={"required": _("Choose high, medium or low.")},
    )
    reason = forms.CharField(
        label=_("Reason for the priority"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the priority.")},
    )


class LinkPersonForm(GovukForm):
    person = forms.IntegerField(
        label=_("Person record number"),
        min_value=1,
        error_messages={
            "required": _("Enter the person record number"),
            "invalid": _("Enter a number"),
        },
    )


class LinkReportForm(GovukForm):
    reference = forms.CharField(
        label=_("Reference of the other report"),
        max_length=20,
        error_messages={"required": _("Enter the reference")},
    )


class ActionForm(GovukForm):
    action = forms.CharField(
        label=_("Action taken"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the action taken.")},
    )
    result = forms.CharField(
        label=_("Result (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ShareForm(GovukForm):
    recipient = OrganisationChoiceField(
        label=_("Share with"),
        queryset=Organisation.objects.none(),
        empty_label="",
        error_messages={"required": _("Choose the organisation to share with.")},
    )
    condition = forms.CharField(
        label=_("Handling condition"),
        required=False,
        help_text=_("Required for handling code C: what the recipient must do or not do with it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, exclude_organisation: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.filter(is_active=True).order_by("name")
        if exclude_organisation:
            qs = qs.exclude(pk=exclude_organisation)
        self.fields["recipient"].queryset = qs  # type: ignore[attr-defined]


class ShareDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label=_("Do you accept the share and its condition?"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you accept")},
    )


class SummaryForm(GovukForm):
    county = CountyChoiceField(
        label=_("County"),
        queryset=County.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the county")},
    )
    you_said_en = forms.CharField(
        label=_("You said (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    you_said_cy = forms.CharField(
        label=_("You said (Welsh)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    we_did_en = forms.CharField(
        label=_("We did (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    we_did_cy = forms.CharField(label=_("We did (Welsh)"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = _counties()  # type: ignore[attr-defined]
        for name in ("you_said_en", "you_said_cy", "we_did_en", "we_did_cy"):
            self.fields[name].error_messages["required"] = _("Enter this text.")
            self.fields[name].help_text = _("No names, addresses, phone numbers or exact dates.")


class ApproveForm(GovukForm):
    version = VersionField()


def month_label(day: dt.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "F Y")
