"""Form fields of accounts shared by forms and filters."""

from __future__ import annotations

from typing import Any

from django import forms


class OrganisationChoiceField(forms.ModelChoiceField):
    """An organisation, shown by its name in the user's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)
