"""Administrators' forms for the disposals' reference data: disposal types and the scheme.

The forms only read the answers; the rules (maximum period not below the default, who may
authorise, the gravity scale...) are the service's (``services.reference_data``), so a page
and any other caller are refused alike.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukDateField, GovukForm, VersionField
from pontio.disposals.models import (
    BreachRoute,
    ConditionCategory,
    DisposalType,
    GravityOffence,
    Tier,
)
from pontio.disposals.services.reference_data import AUTHORISER_ROLES

END_HELP = _("The first day it no longer applies. Leave blank if it still applies.")


class OffenceChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class _ReferenceForm(GovukForm):
    version = VersionField(required=False)
    FIELDS: tuple[str, ...] = ()

    def __init__(self, data: Any = None, *, instance: models.Model | None = None) -> None:
        initial: dict[str, Any] = {}
        if instance is not None:
            for name in self.FIELDS:
                value = getattr(instance, name)
                if isinstance(value, models.Manager):
                    value = list(value.values_list("pk", flat=True))
                initial[name] = value.pk if isinstance(value, models.Model) else value
            initial["version"] = getattr(instance, "version", None)
        super().__init__(data, initial=initial)
        self.prepare()

    def prepare(self) -> None:
        """Querysets and choices (at request time, in the user's language)."""

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data.get(name) for name in self.FIELDS}
        for name in ("statute_en", "statute_cy"):
            if name in values:
                values[name] = values[name] or ""
        for name in ("authoriser_roles", "allowed_categories", "excluded_groups"):
            if name in values:
                values[name] = list(values[name] or [])
        return values


def _hours(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=1000,
        help_text=_("Leave blank: no cap."),
    )


class DisposalTypeForm(_ReferenceForm):
    FIELDS = (
        "code",
        "label_en",
        "label_cy",
        "tier",
        "commenced",
        "statute_en",
        "statute_cy",
        "admission_required",
        "evidence_to_charge_required",
        "minimum_age",
        "authoriser_roles",
        "allowed_categories",
        "unpaid_work_cap_hours",
        "attendance_cap_hours",
        "financial_cap_pence",
        "default_compliance_weeks",
        "maximum_compliance_weeks",
        "excluded_offences",
        "excludes_indictable_only",
        "breach_route",
        "valid_from",
        "valid_to",
    )
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Lower-case letters, digits and underscores; never reused."),
    )
    label_en = forms.CharField(label=_("Name in English"), max_length=200)
    label_cy = forms.CharField(label=_("Name in Welsh"), max_length=200)
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices, widget=forms.RadioSelect)
    commenced = forms.BooleanField(
        label=_("In force (untick for a disposal the law provides for but not yet commenced)"),
        required=False,
    )
    statute_en = forms.CharField(
        label=_("Legal basis in English (optional)"), max_length=200, required=False
    )
    statute_cy = forms.CharField(
        label=_("Legal basis in Welsh (optional)"), max_length=200, required=False
    )
    admission_required = forms.BooleanField(label=_("An admission is required"), required=False)
    evidence_to_charge_required = forms.BooleanField(
        label=_("Sufficient evidence to charge is required"), required=False
    )
    minimum_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=120)
    authoriser_roles = forms.MultipleChoiceField(
        label=_("Who may authorise it"), widget=forms.CheckboxSelectMultiple, required=False
    )
    allowed_categories = forms.MultipleChoiceField(
        label=_("Conditions allowed"),
        choices=ConditionCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    unpaid_work_cap_hours = _hours(_("Unpaid work cap (hours, optional)"))
    attendance_cap_hours = _hours(
        _("Attendance cap (hours, optional; non-rehabilitative attendance in total)")
    )
    financial_cap_pence = forms.IntegerField(
        label=_("Financial cap (pence, optional)"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text=_("Leave blank: no cap."),
    )
    default_compliance_weeks = forms.IntegerField(
        label=_("Default compliance period (weeks)"), min_value=1, max_value=104
    )
    maximum_compliance_weeks = forms.IntegerField(
        label=_("Maximum compliance period (weeks)"),
        min_value=1,
        max_value=104,
        help_text=_("Not shorter than the default."),
    )
    excluded_offences = OffenceChoices(
        label=_("Offences it may not be given for"),
        queryset=GravityOffence.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    excludes_indictable_only = forms.BooleanField(
        label=_("Not for indictable-only offences"), required=False
    )
    breach_route = forms.ChoiceField(
        label=_("What follows a breach"), choices=BreachRoute.choices, widget=forms.RadioSelect
    )
    valid_from = GovukDateField(label=_("In use from"), required=False)
    valid_to = GovukDateField(label=_("In use until"), required=False, help_text=END_HELP)

    def __init__(self, data: Any = None, *, instance: DisposalType | None = None) -> None:
        super().__init__(data, instance=instance)
        if instance is not None:
            # A code is never changed: disposals, filters and exports name the type by it.
            del self.fields["code"]

    def prepare(self) -> None:
        self.fields["authoriser_roles"].choices = [  # type: ignore[attr-defined]
            (role.value, role.label) for role in AUTHORISER_ROLES
        ]
        self.fields["excluded_offences"].queryset = GravityOffence.objects.order_by(  # type: ignore[attr-defined]
            "sort_order", "code"
        )

    def values(self) -> dict[str, Any]:
        values = super().values()
        if "code" not in self.fields:
            values.pop("code", None)
        return values


class SchemeForm(_ReferenceForm):
    FIELDS = (
        "label_en",
        "label_cy",
        "minimum_age",
        "offence_max_age_days",
        "maximum_gravity",
        "excluded_groups",
        "contract_months",
        "maximum_conditions",
        "review_interval_days",
        "valid_from",
        "valid_to",
    )
    label_en = forms.CharField(label=_("Name of the scheme in English"), max_length=200)
    label_cy = forms.CharField(label=_("Name of the scheme in Welsh"), max_length=200)
    minimum_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=120)
    offence_max_age_days = forms.IntegerField(
        label=_("Offence no older than (days)"), min_value=1, max_value=3650
    )
    maximum_gravity = forms.IntegerField(
        label=_("Highest gravity score"), min_value=0, max_value=10
    )
    excluded_groups = forms.MultipleChoiceField(
        label=_("Offence groups not eligible"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contract_months = forms.IntegerField(
        label=_("Contract length (months)"), min_value=1, max_value=24
    )
    maximum_conditions = forms.IntegerField(label=_("Most conditions"), min_value=1, max_value=20)
    review_interval_days = forms.IntegerField(
        label=_("Progress review every (days)"), min_value=1, max_value=365
    )
    valid_from = GovukDateField(label=_("In use from"), required=False)
    valid_to = GovukDateField(label=_("In use until"), required=False, help_text=END_HELP)

    def prepare(self) -> None:
        groups = GravityOffence.objects.order_by("offence_group").values_list(
            "offence_group", flat=True
        )
        self.fields["excluded_groups"].choices = [  # type: ignore[attr-defined]
            (g, g) for g in dict.fromkeys(groups)
        ]
