"""Forms of the commissioning pages: an award, a provider's quarterly return.

The forms check the shape of what is typed; the rules (a provider from the list, the end
after the start, reduced use within reviewed within in treatment, a quarter that has ended)
are the services', so the API and the pages refuse the same things.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.accounts.models import Organisation
from pontio.accounts.roles import OrganisationKind
from pontio.core.forms import GovukDateField, GovukForm, VersionField
from pontio.core.i18n import in_active_language
from pontio.core.models import County
from pontio.oversight.models import AwardKind, AwardPurpose, CommissioningAward

NUMBER = {"class": "govuk-input--width-5", "inputmode": "numeric"}


class AwardForm(GovukForm):
    reference = forms.CharField(label=_("Reference"), max_length=40)
    kind = forms.ChoiceField(label=_("Type"), choices=AwardKind.choices)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_cy = forms.CharField(
        label=_("Title (Welsh)"),
        max_length=300,
        required=False,
        help_text=_("Leave empty if there is no Welsh title yet: the English is shown."),
    )
    provider = forms.ChoiceField(label=_("Provider"))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=AwardPurpose.choices)
    value = forms.DecimalField(
        label=_("Value over the whole award (£)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        help_text=_("In pounds, for example 95000 or 12500.50"),
    )
    starts_on = GovukDateField(label=_("Starts"), help_text=_("For example, 1 4 2026"))
    ends_on = GovukDateField(label=_("Ends"), help_text=_("The last day, for example 31 3 2027"))
    county = forms.ChoiceField(label=_("County"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        providers = Organisation.objects.filter(kind=OrganisationKind.PROVIDER, is_active=True)
        self.fields["provider"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a provider")),
            *((str(o.pk), in_active_language(o.name, o.name_cy)) for o in providers),
        ]
        self.fields["county"].choices = [  # type: ignore[attr-defined]
            ("", _("Force-wide (no one county)")),
            *((str(c.pk), str(c.label)) for c in County.objects.effective()),
        ]

    @classmethod
    def initial_of(cls, award: CommissioningAward) -> dict[str, Any]:
        return {
            "reference": award.reference,
            "kind": award.kind,
            "title_en": award.title_en,
            "title_cy": award.title_cy,
            "provider": str(award.provider_id),
            "purpose": award.purpose,
            "value": award.value,
            "starts_on": award.starts_on,
            "ends_on": award.ends_on,
            "county": str(award.county_id or ""),
        }


class AwardEditForm(AwardForm):
    version = VersionField()


class ReturnForm(GovukForm):
    quarter_start = GovukDateField(
        label=_("First day of the quarter"),
        help_text=_("1 January, 1 April, 1 July or 1 October. For example, 1 4 2026"),
    )
    in_treatment = forms.IntegerField(
        label=_("People in treatment in the quarter"), min_value=0, widget=forms.TextInput(NUMBER)
    )
    reviewed = forms.IntegerField(
        label=_("People with a review or exit outcome profile in the quarter"),
        min_value=0,
        widget=forms.TextInput(NUMBER),
    )
    reduced_use = forms.IntegerField(
        label=_("Of those reviewed, people who reduced or stopped their use"),
        min_value=0,
        widget=forms.TextInput(NUMBER),
    )
    completed = forms.IntegerField(
        label=_("People who completed treatment in the quarter"),
        min_value=0,
        initial=0,
        widget=forms.TextInput(NUMBER),
    )
