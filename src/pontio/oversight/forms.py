"""Forms of the tracker and the Panel report: what was typed, parsed; the rules are the
services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukDateField, GovukForm, VersionField
from pontio.oversight.models import REPORT_SECTIONS, Board, Rag, ReportLanguage
from pontio.oversight.services.tracker import PositionData

EVIDENCE_ROWS = 2


class BoardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class PositionForm(GovukForm):
    as_of = GovukDateField(
        label=_("Date of the position"),
        latest=timezone.localdate,
        help_text=_("The date the position was reported, for example 15 7 2019"),
    )
    rag = forms.ChoiceField(
        label=_("Status"),
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the status")},
    )
    text_en = forms.CharField(
        label=_("Position (English)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": _("Enter the position in English")},
    )
    text_cy = forms.CharField(
        label=_("Position (Welsh, optional)"),
        help_text=_("Leave empty if the translation is not ready: the Welsh report will say so"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        required=False,
    )
    reported_to = BoardChoiceField(
        label=_("Reported to (optional)"),
        queryset=Board.objects.none(),
        required=False,
        empty_label=_("Not reported to a board"),
    )
    version = VersionField()

    def __init__(self, *args: Any, boards: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if boards is not None:
            self.fields["reported_to"].queryset = boards  # type: ignore[attr-defined]
        for n in range(1, EVIDENCE_ROWS + 1):
            self.fields[f"evidence_label_{n}"] = forms.CharField(
                label=_("Evidence %(n)s: what it is (optional)") % {"n": n},
                max_length=200,
                required=False,
            )
            self.fields[f"evidence_url_{n}"] = forms.URLField(
                label=_("Evidence %(n)s: web address (optional)") % {"n": n},
                max_length=500,
                required=False,
                assume_scheme="https",
                error_messages={
                    "invalid": _(
                        "Enter a web address starting with https://, for example https://example.org/paper"
                    )
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, EVIDENCE_ROWS + 1):
            label, url = data.get(f"evidence_label_{n}"), data.get(f"evidence_url_{n}")
            if label and not url and f"evidence_url_{n}" not in self.errors:
                self.add_error(
                    f"evidence_url_{n}", _("Enter the web address of the evidence you named")
                )
        return data

    def position(self) -> PositionData:
        data = self.cleaned_data
        evidence = []
        for n in range(1, EVIDENCE_ROWS + 1):
            url = data.get(f"evidence_url_{n}") or ""
            if url:
                evidence.append((data.get(f"evidence_label_{n}") or url, url))
        return PositionData(
            as_of=data["as_of"],
            rag=data["rag"],
            text_en=data["text_en"],
            text_cy=data.get("text_cy") or "",
            reported_to=data.get("reported_to"),
            evidence=tuple(evidence),
        )


class SectionsForm(GovukForm):
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "purpose": (_("Purpose of the report (English)"), _("Purpose of the report (Welsh)")),
            "executive_summary": (
                _("Executive summary (English)"),
                _("Executive summary (Welsh)"),
            ),
            "outcome": (_("Outcome (English)"), _("Outcome (Welsh)")),
            "situation": (_("Situation (English)"), _("Situation (Welsh)")),
        }
        for key, _heading in REPORT_SECTIONS:
            for language, label in zip(("en", "cy"), labels[key], strict=True):
                self.fields[f"{key}_{language}"] = forms.CharField(
                    label=label,
                    widget=forms.Textarea(attrs={"rows": 8}),
                    max_length=20000,
                    required=False,
                    help_text=_("Leave a blank line between paragraphs"),
                )


class ReportForm(GovukForm):
    as_of = GovukDateField(
        label=_("Positions as of"),
        latest=timezone.localdate,
        help_text=_(
            "Each recommendation's position on this date is reported, for example 30 9 2019"
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=ReportLanguage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the language of the report")},
    )
