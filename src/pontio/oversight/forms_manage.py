"""Forms that set the tracker up: reviews, recommendations, background papers and boards.
They parse what was typed; the rules (unique numbers, dates, intervals, https) are the
services' (``services.reviews``), so the errors are the same wherever the data comes from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukDateField, GovukForm, VersionField
from pontio.core.i18n import in_active_language
from pontio.oversight import facts
from pontio.oversight.facts import crime, deaths, diversion, investment, operations, referrals
from pontio.oversight.models import Board, Recommendation, Review, ReviewKind
from pontio.oversight.services import reviews as services

NUMBER = {"class": "govuk-input--width-4", "inputmode": "numeric"}

# The facts a recommendation can show in its report, by their titles (the computed titles
# carry the period or the place; these name the fact itself).
FACT_TITLES: dict[str, Any] = {
    deaths.KEY: _("Drug-related deaths"),
    crime.KEY: _("Drug trafficking offences"),
    investment.KEY: _("Invested in treatment and diversion"),
    referrals.SHARE_KEY: _("Police share of referrals into substance misuse services"),
    referrals.USE_KEY: _("People in treatment who reduced their substance misuse"),
    diversion.KEY: _("Risk factors on the diversion scheme"),
    operations.KEY: _("Convictions and Class A drugs disrupted by operations"),
}


def fact_choices() -> list[tuple[str, Any]]:
    return [(key, FACT_TITLES.get(key, key)) for key in facts.FACT_KEYS]


def organisation_choices(empty: Any) -> list[tuple[str, str]]:
    return [
        ("", str(empty)),
        *(
            (str(o.pk), in_active_language(o.name, o.name_cy))
            for o in services.owner_organisations()
        ),
    ]


def _with_current(
    choices: list[tuple[str, str]], pk: int | None, label: str
) -> list[tuple[str, str]]:
    """Keep the record's current choice listed even if it has closed since."""
    if pk is not None and str(pk) not in {value for value, _label in choices}:
        return [*choices, (str(pk), label)]
    return choices


def _optional_welsh(label: Any, max_length: int, *, textarea: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}) if textarea else None,
        help_text=_("Leave empty if the translation is not ready: the pages will say so"),
    )


class ReviewForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("Type of review"),
        choices=ReviewKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the type of review")},
    )
    title_en = forms.CharField(
        label=_("Title (English)"),
        max_length=300,
        error_messages={"required": _("Enter the title in English")},
    )
    title_cy = _optional_welsh(_("Title (Welsh, optional)"), 300)
    published_on = GovukDateField(
        label=_("Date published"),
        latest=timezone.localdate,
        help_text=_("The date the review's recommendations were given, for example 25 4 2019"),
    )
    organisation = forms.ChoiceField(
        label=_("Led by"), error_messages={"required": _("Select who led the review from the list")}
    )

    def __init__(self, *args: Any, review: Review | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = organisation_choices(_("Choose an organisation"))
        if review is not None:
            choices = _with_current(choices, review.organisation_id, str(review.organisation))
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(review: Review) -> dict[str, Any]:
        return {
            "kind": review.kind,
            "title_en": review.title_en,
            "title_cy": review.title_cy,
            "published_on": review.published_on,
            "organisation": str(review.organisation_id),
            "version": review.version,
        }

    def data_of(self) -> services.ReviewData:
        data = self.cleaned_data
        return services.ReviewData(
            kind=data["kind"],
            title_en=data["title_en"],
            title_cy=data.get("title_cy") or "",
            published_on=data["published_on"],
            organisation_id=int(data["organisation"]),
        )


class ReviewEditForm(ReviewForm):
    version = VersionField()


class RecommendationForm(GovukForm):
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=services.MAX_NUMBER,
        widget=forms.TextInput(NUMBER),
        help_text=_("Its number in the review, for example 3"),
        error_messages={
            "required": _("Enter the recommendation's number"),
            "invalid": _("Enter a number from 1 to 999"),
            "min_value": _("Enter a number from 1 to 999"),
            "max_value": _("Enter a number from 1 to 999"),
        },
    )
    text_en = forms.CharField(
        label=_("Recommendation (English)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter the recommendation in English")},
    )
    text_cy = _optional_welsh(_("Recommendation (Welsh, optional)"), 10000, textarea=True)
    owner_organisation = forms.ChoiceField(
        label=_("Owner organisation"),
        error_messages={"required": _("Select the owner organisation from the list")},
    )
    owner_post = forms.CharField(
        label=_("Owner's post"),
        max_length=200,
        help_text=_("A post, never a person's name, for example Head of Crime"),
        error_messages={"required": _("Enter the owner's post, for example Head of Crime")},
    )
    board = forms.ChoiceField(
        label=_("Monitored by"),
        error_messages={"required": _("Select the board that monitors the recommendation")},
    )
    due_on = GovukDateField(label=_("Due"), help_text=_("For example, 31 3 2020"))
    update_every_days = forms.IntegerField(
        label=_("Owner reports a position every (days)"),
        min_value=services.MIN_INTERVAL,
        max_value=services.MAX_INTERVAL,
        initial=90,
        widget=forms.TextInput(NUMBER),
        help_text=_("From 7 to 366 days, for example 90 for every quarter"),
        error_messages={
            "required": _("Enter a number of days from 7 to 366, for example 90 for every quarter"),
            "invalid": _("Enter a number of days from 7 to 366, for example 90 for every quarter"),
            "min_value": _(
                "Enter a number of days from 7 to 366, for example 90 for every quarter"
            ),
            "max_value": _(
                "Enter a number of days from 7 to 366, for example 90 for every quarter"
            ),
        },
    )
    figure_keys = forms.MultipleChoiceField(
        label=_("Key figures (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The facts shown with the recommendation in the Panel report"),
        error_messages={"invalid_choice": _("Select key figures from the list")},
    )

    def __init__(
        self,
        *args: Any,
        boards: Any = None,
        recommendation: Recommendation | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        owners = organisation_choices(_("Choose an organisation"))
        board_choices = [("", str(_("Choose a board")))]
        board_choices += [(str(b.pk), b.name) for b in (boards if boards is not None else [])]
        if recommendation is not None:
            owners = _with_current(
                owners,
                recommendation.owner_organisation_id,
                str(recommendation.owner_organisation),
            )
            board_choices = _with_current(
                board_choices, recommendation.board_id, recommendation.board.name
            )
        self.fields["owner_organisation"].choices = owners  # type: ignore[attr-defined]
        self.fields["board"].choices = board_choices  # type: ignore[attr-defined]
        self.fields["figure_keys"].choices = fact_choices()  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(recommendation: Recommendation) -> dict[str, Any]:
        return {
            "number": recommendation.number,
            "text_en": recommendation.text_en,
            "text_cy": recommendation.text_cy,
            "owner_organisation": str(recommendation.owner_organisation_id),
            "owner_post": recommendation.owner_post,
            "board": str(recommendation.board_id),
            "due_on": recommendation.due_on,
            "update_every_days": recommendation.update_every_days,
            "figure_keys": list(recommendation.figure_keys),
            "version": recommendation.version,
        }

    def data_of(self) -> services.RecommendationData:
        data = self.cleaned_data
        return services.RecommendationData(
            number=data["number"],
            text_en=data["text_en"],
            text_cy=data.get("text_cy") or "",
            owner_organisation_id=int(data["owner_organisation"]),
            owner_post=data["owner_post"],
            board_id=int(data["board"]),
            due_on=data["due_on"],
            update_every_days=data["update_every_days"],
            figure_keys=tuple(data.get("figure_keys") or ()),
        )


class RecommendationEditForm(RecommendationForm):
    version = VersionField()


class PaperForm(GovukForm):
    title_en = forms.CharField(
        label=_("Title (English)"),
        max_length=300,
        error_messages={"required": _("Enter the title in English")},
    )
    title_cy = _optional_welsh(_("Title (Welsh, optional)"), 300)
    # Typed as text: the service says why an address is refused (https only), in one place.
    url = forms.CharField(
        label=_("Web address"),
        max_length=500,
        help_text=_("Starting with https://, for example https://example.org/paper"),
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
        error_messages={"required": _("Enter the web address of the paper")},
    )

    def data_of(self) -> services.PaperData:
        data = self.cleaned_data
        return services.PaperData(
            title_en=data["title_en"], title_cy=data.get("title_cy") or "", url=data["url"]
        )


class BoardForm(GovukForm):
    name_en = forms.CharField(
        label=_("Name (English)"),
        max_length=200,
        error_messages={"required": _("Enter the board's name in English")},
    )
    name_cy = _optional_welsh(_("Name (Welsh, optional)"), 200)
    chair_en = forms.CharField(
        label=_("Chaired by (English, optional)"),
        max_length=200,
        required=False,
        help_text=_("A post, for example Assistant Chief Constable"),
    )
    chair_cy = _optional_welsh(_("Chaired by (Welsh, optional)"), 200)
    organisation = forms.ChoiceField(
        label=_("Organisation"),
        error_messages={"required": _("Select the organisation that runs the board")},
    )

    def __init__(self, *args: Any, board: Board | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = organisation_choices(_("Choose an organisation"))
        if board is not None:
            choices = _with_current(choices, board.organisation_id, str(board.organisation))
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(board: Board) -> dict[str, Any]:
        return {
            "name_en": board.name_en,
            "name_cy": board.name_cy,
            "chair_en": board.chair_en,
            "chair_cy": board.chair_cy,
            "organisation": str(board.organisation_id),
            "is_active": board.is_active,
            "version": board.version,
        }

    def data_of(self) -> services.BoardData:
        data = self.cleaned_data
        return services.BoardData(
            name_en=data["name_en"],
            name_cy=data.get("name_cy") or "",
            chair_en=data.get("chair_en") or "",
            chair_cy=data.get("chair_cy") or "",
            organisation_id=int(data["organisation"]),
            is_active=data.get("is_active", True),
        )


class BoardEditForm(BoardForm):
    is_active = forms.BooleanField(
        label=_("The board still meets and monitors recommendations"),
        required=False,
        help_text=_("Untick to close the board: it leaves the list of boards"),
    )
    version = VersionField()
