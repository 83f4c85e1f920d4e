"""Forms of the stop and search audit: a review's answers, a panel review, an assignment,
drawing a month's sample.

The forms only parse what was typed; the rules (which answers are required, when learning
for the officer must be given) live in ``services.reviews`` and their messages are put on
the fields they name, which is why the fields here are optional.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from pontio.accounts.models import User
from pontio.core.forms import YES_NO, GovukForm, VersionField, yes_no
from pontio.core.models import County
from pontio.stopsearch.actions import drawable_counties
from pontio.stopsearch.forms.records import CountyChoiceField
from pontio.stopsearch.models import SearchReview
from pontio.stopsearch.sampling import ended_months, panel_members
from pontio.stopsearch.services.reviews import ReviewAnswers


class AuditReviewForm(GovukForm):
    """The inspector's or the independent reviewer's answers for a sampled search."""

    grounds_reasonable = forms.ChoiceField(
        label=_("Were the grounds for the search reasonable?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "PACE Code A 2.2: objective grounds, based on facts, information or intelligence."
        ),
    )
    record_complete = forms.ChoiceField(
        label=_("Is the record complete?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Everything PACE Code A 4.3 asks for is recorded."),
    )
    conduct_proportionate = forms.ChoiceField(
        label=_("Was the officer's conduct proportionate?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    learning = forms.CharField(
        label=_("Learning for the officer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required if any answer is no. The officer who made the search reads it."),
    )
    version = VersionField()

    def answers(self) -> ReviewAnswers:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return ReviewAnswers(
            grounds_reasonable=yes_no(data.get("grounds_reasonable")),
            record_complete=yes_no(data.get("record_complete")),
            conduct_proportionate=yes_no(data.get("conduct_proportionate")),
            learning=data.get("learning") or "",
        )


class PanelReviewForm(GovukForm):
    """A panel member's notes of the body-worn video, judgement and comments."""

    video_notes = forms.CharField(
        label=_("Notes of the body-worn video"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the video shows about the search. Do not write names or addresses."),
    )
    judgement = forms.ChoiceField(
        label=_("The panel's judgement of the search"),
        choices=SearchReview.Judgement.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    learning = forms.CharField(
        label=_("Comments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required unless the search was appropriate. Do not write names or addresses."),
    )
    version = VersionField()

    def answers(self) -> ReviewAnswers:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return ReviewAnswers(
            judgement=data.get("judgement") or "",
            video_notes=data.get("video_notes") or "",
            learning=data.get("learning") or "",
        )


class PanelMemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        return f"{user.get_full_name() or user.username} ({user.organisation})"


class PanelAssignForm(GovukForm):
    """Send one search to a panel member for a review with its body-worn video."""

    reference = forms.CharField(
        label=_("Receipt reference of the search"),
        max_length=24,
        required=False,
        help_text=_("For example SS26-000123."),
    )
    panel_member = PanelMemberField(
        label=_("Panel member"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose a panel member"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField = self.fields["panel_member"]  # type: ignore[assignment]
        field.queryset = (
            panel_members().select_related("organisation").order_by("last_name", "first_name", "pk")
        )

    def member_id(self) -> int | None:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        member = data.get("panel_member")
        return member.pk if member is not None else None


class SampleDrawForm(GovukForm):
    """Draw a month's sample by hand: a county of the user's area and a month that ended.

    The rate and the seed are not asked: the page draws with the configured rate and the
    published seed (from the month and the county), like the scheduled task, so a sample
    drawn by hand is the one anyone can redraw."""

    county = CountyChoiceField(
        label=_("County"),
        queryset=County.objects.none(),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a county of your area")},
    )
    month = forms.ChoiceField(
        label=_("Month searched"),
        choices=(),
        required=False,
        error_messages={"invalid_choice": _("Choose a month that has ended")},
    )

    def __init__(self, *args: Any, user: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county: forms.ModelChoiceField = self.fields["county"]  # type: ignore[assignment]
        county.queryset = drawable_counties(user)
        month: forms.ChoiceField = self.fields["month"]  # type: ignore[assignment]
        month.choices = [
            (f"{value:%Y-%m}", formats.date_format(value, "F Y")) for value in ended_months(today)
        ]

    def chosen_month(self) -> dt.date | None:
        value = (getattr(self, "cleaned_data", {}) or {}).get("month") or ""
        try:
            return dt.date.fromisoformat(f"{value}-01") if value else None
        except ValueError:
            return None

    def county_id(self) -> int | None:
        county = (getattr(self, "cleaned_data", {}) or {}).get("county")
        return county.pk if county is not None else None
