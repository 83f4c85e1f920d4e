"""Forms of the diversion contract pages (the rules are the services')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm, VersionField
from pontio.disposals.models import (
    AssessmentStage,
    ComplianceStatus,
    ContractConditionKind,
    FailureRoute,
    NeedScore,
    Pathway,
)

MAX_ROWS = 6  # one more than the scheme allows, so the rule (not the form) refuses a sixth


class AssignForm(GovukForm):
    version = VersionField()
    navigator = forms.TypedChoiceField(label=_("Navigator"), coerce=int, choices=())

    def __init__(self, *args: object, navigators: list[tuple[int, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["navigator"].choices = navigators  # type: ignore[attr-defined]


class NeedsForm(GovukForm):
    stage = forms.ChoiceField(choices=AssessmentStage.choices, widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for pathway in Pathway:
            self.fields[pathway.value] = forms.TypedChoiceField(
                label=pathway.label, coerce=int, choices=NeedScore.choices
            )


class AgreeForm(GovukForm):
    version = VersionField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(1, MAX_ROWS + 1):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Condition %(n)s: kind") % {"n": i},
                choices=[("", _("None")), *ContractConditionKind.choices],
                required=False,
            )
            self.fields[f"pathway_{i}"] = forms.ChoiceField(
                label=_("Condition %(n)s: pathway") % {"n": i},
                choices=[("", _("None")), *Pathway.choices],
                required=False,
            )
            self.fields[f"description_{i}"] = forms.CharField(
                label=_("Condition %(n)s: what the person agrees to do") % {"n": i},
                required=False,
            )
            self.fields[f"hours_{i}"] = forms.IntegerField(
                label=_("Condition %(n)s: hours") % {"n": i}, required=False, min_value=0
            )

    def conditions(self) -> list[dict[str, object]]:
        data = self.cleaned_data
        return [
            {
                "kind": data[f"kind_{i}"],
                "pathway": data[f"pathway_{i}"],
                "description": data[f"description_{i}"],
                "hours": data[f"hours_{i}"],
            }
            for i in range(1, MAX_ROWS + 1)
            if data.get(f"kind_{i}")
        ]


class ConditionForm(GovukForm):
    version = VersionField()
    status = forms.ChoiceField(label=_("Compliance"), choices=ComplianceStatus.choices)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(GovukForm):
    on_track = forms.TypedChoiceField(
        label=_("Is the person on track?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompleteForm(GovukForm):
    version = VersionField()


class FailForm(GovukForm):
    version = VersionField()
    route = forms.ChoiceField(
        label=_("Route that follows"), choices=FailureRoute.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why the contract failed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(GovukForm):
    version = VersionField()
    reason = forms.CharField(
        label=_("Why the contract is declined"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
