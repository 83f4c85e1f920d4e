"""The form of "find or add the person searched": a name and a date of birth.

It parses what was typed; the identity rules (a given and a family name, a plausible date of
birth) are the people app's (``people.services.identity_check``), whose messages land on
the fields they name. What was typed is kept in the session, never in the URL (as the
people pages do), so the names do not reach the address bar, the history or a log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukDateField, GovukForm, VersionField
from pontio.people.services import identity_check


class PersonFindForm(GovukForm):
    """Who was searched: what the people app's matcher needs to find them."""

    version = VersionField()
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    date_of_birth = GovukDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("For example, 27 3 1990"),
        earliest=None,
        latest=None,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            identity = identity_check(
                given_name=cleaned.get("given_name") or "",
                family_name=cleaned.get("family_name") or "",
                date_of_birth=cleaned.get("date_of_birth"),
            )
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                if not self.has_error(name):  # a field's own parse error comes first
                    self.add_error(name, errors)
        else:
            cleaned.update(given_name=identity.given_name, family_name=identity.family_name)
        return cleaned

    def to_session(self, search_id: int) -> dict[str, Any]:
        data = self.cleaned_data
        born = data.get("date_of_birth")
        return {
            "search": search_id,
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "date_of_birth": born.isoformat() if isinstance(born, dt.date) else "",
        }

    @staticmethod
    def from_session(saved: Any, search_id: int) -> dict[str, Any] | None:
        """What was typed for this search (a name and a date of birth), if anything."""
        if not isinstance(saved, dict) or saved.get("search") != search_id:
            return None
        born = saved.get("date_of_birth") or ""
        try:
            date_of_birth = dt.date.fromisoformat(born) if born else None
        except ValueError:
            date_of_birth = None
        return {
            "given_name": str(saved.get("given_name") or ""),
            "family_name": str(saved.get("family_name") or ""),
            "date_of_birth": date_of_birth,
        }


class PersonChoiceForm(GovukForm):
    """ "This is the person": the record number chosen from the matches, and the version of
    the search the page was shown with."""

    version = VersionField()
    person = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
