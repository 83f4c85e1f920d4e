"""Forms of the police.uk pages: upload a monthly CSV file, and filter an export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm
from pontio.core.models import County
from pontio.stopsearch.models import ImportBatch
from pontio.stopsearch.policeuk.formats import FORCE, parse_file_name, parse_month
from pontio.stopsearch.policeuk.uploads import max_upload_bytes


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (as police.uk names its files), cleaned to its first day."""

    default_error_messages = {"invalid": _("Enter the month as year and month, like 2016-11")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"class": "govuk-input--width-5", "inputmode": "numeric"})

    def clean(self, value: Any) -> dt.date | None:
        text = super().clean(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class ImportForm(GovukForm):
    file = forms.FileField(
        label=_("police.uk CSV file"),
        help_text=_(
            "A monthly file from data.police.uk, for example "
            "2016-11-dyfed-powys-stop-and-search.csv or 2019-12-city-of-london-street.csv"
        ),
        error_messages={"required": _("Choose a CSV file"), "empty": _("The file is empty")},
    )
    kind = forms.ChoiceField(
        label=_("Type of file"),
        choices=[("", _("From the file name")), *ImportBatch.Kind.choices],
        required=False,
        help_text=_("Only needed if the file name does not say"),
    )
    force = forms.CharField(
        label=_("Force"),
        max_length=40,
        required=False,
        help_text=_(
            "The police.uk force id, for example dyfed-powys. "
            "Only needed if the file name does not say"
        ),
    )
    month = MonthField(
        label=_("Month"),
        required=False,
        help_text=_("For example 2016-11. Only needed if the file name does not say"),
    )

    def clean_force(self) -> str:
        force = str(self.cleaned_data.get("force") or "").strip().lower()
        if force and not FORCE.match(force):
            raise forms.ValidationError(
                _("Enter the police.uk force id: lower-case letters and hyphens, like dyfed-powys"),
                code="invalid",
            )
        return force

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file must be smaller than %(size)s") % {"size": filesizeformat(limit)},
                code="too_big",
            )
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("The file must be a CSV file"), code="not_csv")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None:
            return data
        named = parse_file_name(upload.name)
        if named is None:
            missing = [
                name
                for name in ("kind", "force", "month")
                if not data.get(name) and name not in self.errors
            ]
            for name in missing:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("The file name does not say: enter it here"), code="required"
                    ),
                )
        return data


class ExportForm(GovukForm):
    month = MonthField(label=_("Month"), required=False, help_text=_("For example 2026-03"))
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All counties"),
    )
