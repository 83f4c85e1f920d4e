"""The due list's one form: whether to email the list every working day."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm


class DigestForm(GovukForm):
    daily = forms.BooleanField(
        label=_("Email me this list every working day"),
        help_text=_(
            "The email has only a link to this page. It is sent on working days when "
            "something is due or overdue."
        ),
        required=False,
    )
