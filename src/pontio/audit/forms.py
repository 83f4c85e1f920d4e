"""The auditor's search for a person: by name or a record's reference, with a date of birth.

It is posted, never put in a URL: what it finds are record ids, and the log is then filtered
by id (``?person_id=``).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.dates import EARLIEST_BIRTH
from pontio.core.forms import GovukDateField, GovukForm


class SubjectSearchForm(GovukForm):
    text = forms.CharField(
        label=_("Name or reference"),
        max_length=200,
        help_text=_("A person's name, or the reference of a referral or a stop and search"),
        error_messages={"required": _("Enter a name or a reference")},
    )
    date_of_birth = GovukDateField(
        label=_("Date of birth (optional)"), required=False, earliest=EARLIEST_BIRTH
    )
