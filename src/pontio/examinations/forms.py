"""Forms of device examinations: they parse, the services decide (so a request without a
legal basis reaches the service, which refuses it and the view logs the attempt)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukDateField, GovukForm, VersionField
from pontio.core.models import County
from pontio.examinations.models import Device, ExaminerProfile
from pontio.examinations.services import DeviceEntry, DeviceResult, RequestData
from pontio.examinations.vocab import (
    DeviceKind,
    LegalBasis,
    Level,
    Outcome,
    Priority,
    SourceKind,
    Unit,
)

DEVICE_ROWS = 6
AVAILABLE_SOURCES = SourceKind.choices


class RequestForm(GovukForm):
    source_kind = forms.ChoiceField(
        label=_("What does the request come from?"),
        choices=AVAILABLE_SOURCES,
        widget=forms.RadioSelect,
        required=False,
    )
    source_reference = forms.CharField(
        label=_("Reference of the source"),
        help_text=_(
            "The operation's reference (for example OP-2026-001), the intelligence report's "
            "reference or the custody number."
        ),
        max_length=40,
        required=False,
    )
    county = forms.ModelChoiceField(
        label=_("County the devices were seized in"),
        help_text=_("Leave it for a custody record or intelligence report: their county is used."),
        queryset=County.objects.none(),
        required=False,
        empty_label=_("Choose a county"),
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        help_text=_("The power under which the police hold the devices and may examine them."),
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    legal_basis_reference = forms.CharField(
        label=_("Warrant or consent form number (if the basis is a warrant or consent)"),
        max_length=60,
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Examination level"),
        help_text=_("Targets: triage 2 working days, logical extraction 10, full extraction 30."),
        choices=Level.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, widget=forms.RadioSelect, required=False
    )
    priority_reason = forms.CharField(
        label=_("Reason for the priority (needed if urgent or high)"),
        max_length=250,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.order_by(  # type: ignore[attr-defined]
            "sort_order", "code"
        )
        for n in range(1, DEVICE_ROWS + 1):
            self.fields[f"device_kind_{n}"] = forms.ChoiceField(
                label=_("Device %(n)s: type") % {"n": n},
                choices=[("", _("Choose a type")), *DeviceKind.choices],
                required=False,
            )
            self.fields[f"device_exhibit_{n}"] = forms.CharField(
                label=_("Device %(n)s: exhibit reference") % {"n": n},
                max_length=40,
                required=False,
            )

    def device_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"device_kind_{n}"], self[f"device_exhibit_{n}"])
            for n in range(1, DEVICE_ROWS + 1)
        ]

    def data_for_service(self) -> RequestData:
        c = self.cleaned_data
        devices = [
            DeviceEntry(c.get(f"device_kind_{n}") or "", c.get(f"device_exhibit_{n}") or "")
            for n in range(1, DEVICE_ROWS + 1)
            if c.get(f"device_kind_{n}") or c.get(f"device_exhibit_{n}")
        ]
        return RequestData(
            source_kind=c.get("source_kind") or "",
            source_reference=c.get("source_reference") or "",
            county=c.get("county"),
            legal_basis=c.get("legal_basis") or "",
            legal_basis_reference=c.get("legal_basis_reference") or "",
            level=c.get("level") or "",
            priority=c.get("priority") or "",
            priority_reason=c.get("priority_reason") or "",
            devices=devices,
        )


class VersionForm(GovukForm):
    version = VersionField()


class AssignForm(GovukForm):
    version = VersionField()
    examiner = forms.ModelChoiceField(
        label=_("Examiner"),
        queryset=ExaminerProfile.objects.none(),
        empty_label=_("Choose an examiner"),
        required=False,
    )

    def __init__(self, *args: Any, profiles: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if profiles is not None:
            self.fields["examiner"].queryset = profiles  # type: ignore[attr-defined]


class WithdrawForm(GovukForm):
    version = VersionField()
    reason = forms.CharField(
        label=_("Why is the request withdrawn?"), max_length=250, required=False
    )


class ResultForm(GovukForm):
    version = VersionField()
    summary = forms.CharField(
        label=_("Summary of the result"),
        help_text=_(
            "What kind of result it is, in a sentence or two (for example “messages relevant "
            "to supply found on two of three phones”). Never what was found: no names, phone "
            "numbers, messages or addresses. The examination report holds the content."
        ),
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    report_reference = forms.CharField(
        label=_("Examination report reference"), max_length=60, required=False
    )

    def __init__(self, *args: Any, devices: list[Device], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.devices = devices
        for device in devices:
            self.fields[f"outcome_{device.pk}"] = forms.ChoiceField(
                label=_("Exhibit %(exhibit)s: outcome") % {"exhibit": device.exhibit_reference},
                choices=[("", _("Choose an outcome")), *Outcome.choices],
                required=False,
            )
            self.fields[f"items_{device.pk}"] = forms.IntegerField(
                label=_("Exhibit %(exhibit)s: number of items of interest")
                % {"exhibit": device.exhibit_reference},
                min_value=0,
                max_value=1_000_000,
                required=False,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
            )

    def device_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"outcome_{d.pk}"], self[f"items_{d.pk}"]) for d in self.devices]

    def results(self) -> list[DeviceResult]:
        c = self.cleaned_data
        return [
            DeviceResult(d.pk, c.get(f"outcome_{d.pk}") or "", c.get(f"items_{d.pk}"))
            for d in self.devices
        ]


class CapacityForm(GovukForm):
    months = forms.TypedChoiceField(
        label=_("Period"),
        choices=[
            (3, _("The last 3 months")),
            (6, _("The last 6 months")),
            (12, _("The last 12 months")),
        ],
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )


class ProfileForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    unit = forms.ChoiceField(
        label=_("Unit"), choices=Unit.choices, widget=forms.RadioSelect, required=False
    )
    county = forms.ModelChoiceField(
        label=_("County (local investigators)"),
        queryset=County.objects.none(),
        required=False,
        empty_label=_("Choose a county"),
    )
    levels = forms.MultipleChoiceField(
        label=_("Trained for"),
        choices=Level.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    supervisor = forms.BooleanField(label=_("Assigns work to other examiners"), required=False)
    active_from = GovukDateField(label=_("Examining from"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.order_by(  # type: ignore[attr-defined]
            "sort_order", "code"
        )
