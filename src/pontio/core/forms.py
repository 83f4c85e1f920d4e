"""GOV.UK Design System rendering for Django forms, in one place.

Forms render with Django's form renderer and our GOV.UK field templates
(templates/govuk/): label, hint, error message, and the widget with GOV.UK classes and
``aria-describedby``. Templates call ``{{ form.field.as_field_group }}`` or
``{% govuk_field form.field %}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from pontio.core.dates import check_between


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "tel": "govuk-input",
    "search": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "file": "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


def widget_attrs(field: forms.BoundField) -> dict[str, Any]:
    """Attributes that make a widget a GOV.UK one: classes, error state, described-by."""
    attrs: dict[str, Any] = {}
    base = WIDGET_CLASSES.get(field.widget_type)
    own = field.field.widget.attrs.get("class", "")
    if base:
        classes = [base, own] if own else [base]
        if field.errors:
            classes.append(ERROR_CLASSES[base])
        attrs["class"] = " ".join(c for c in classes if c)
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return attrs


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                }
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        labels = [_("Day"), _("Month"), _("Year")]
        for sub, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            sub["label"] = label
        return context


class GovukDateField(forms.MultiValueField):
    """A date typed into three boxes, with GOV.UK's specific error messages.

    ``earliest`` and ``latest`` (dates, or callables giving one, e.g. today) bound what is
    plausible (``core.dates``); by default a date from 1900 to 2100 is accepted, and a year
    that is not four digits is refused before any date is built from it.
    """

    widget = GovukDateWidget

    default_error_messages = {
        "required": _("Enter a date"),
        "incomplete": _("The date must include a day, month and year"),
        "invalid": _("The date must be a real date"),
        "year": _("The year must include 4 numbers"),
    }

    def __init__(
        self,
        *,
        earliest: dt.date | Callable[[], dt.date] | None = dt.date(1900, 1, 1),
        latest: dt.date | Callable[[], dt.date] | None = dt.date(2100, 12, 31),
        **kwargs: Any,
    ) -> None:
        self.earliest = earliest
        self.latest = latest
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=1000, max_value=9999),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    @staticmethod
    def _bound(value: dt.date | Callable[[], dt.date] | None) -> dt.date | None:
        return value() if callable(value) else value

    def clean(self, value: Any) -> dt.date | None:
        parts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if not all(parts):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts[:2]):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not (parts[2].isascii() and parts[2].isdigit() and len(parts[2]) == 4):
            raise forms.ValidationError(self.error_messages["year"], code="year")
        try:
            day, month, year = (int(p) for p in parts)
            date = dt.date(year, month, day)
        except (ValueError, OverflowError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        try:
            return check_between(
                date, earliest=self._bound(self.earliest), latest=self._bound(self.latest)
            )
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0], code="implausible_date") from None

    def compress(
        self, data_list: list[Any]
    ) -> dt.date | None:  # pragma: no cover - clean() overrides
        return None


# Yes/No radios, and what an answer means (None when not answered).
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(str(value or ""))


class GovukForm(forms.Form):
    """A form that can show a service's ValidationError on the right fields."""

    def add_validation_error(self, error: forms.ValidationError) -> None:
        """Field errors go on their fields; anything else (a stale version, a rule about the
        whole record) goes on the form, at the top of the error summary."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class VersionField(forms.IntegerField):
    """The version the editor started from (optimistic concurrency), carried in the form."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
