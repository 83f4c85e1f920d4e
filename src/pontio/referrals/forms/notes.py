"""The form of a case note (either side). The rules (text required, its length, the type,
an open referral) are the service's, so the page and the API refuse alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core.forms import GovukForm
from pontio.referrals.models import CaseNote, Party


class NoteForm(GovukForm):
    category = forms.ChoiceField(
        label=_("Type of note"),
        choices=CaseNote.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of note")},
    )
    text = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    notify_other_side = forms.BooleanField(label=_("Email the other side"), required=False)

    def __init__(self, *args: Any, party: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text = self.fields["text"]
        notify = self.fields["notify_other_side"]
        if party == Party.PROVIDER:
            text.help_text = _(
                "This note is shared with the police. Do not write clinical detail here "
                "(assessments, treatment, health or medication): keep that in the clinical "
                "records, which the police never see."
            )
            notify.label = _("Email the referring officer a link to this note")
        else:
            text.help_text = _(
                "This note is shared with the provider's staff working on this referral."
            )
            notify.label = _("Email the provider's staff a link to this note")
        notify.help_text = _(
            "The email only carries a link, never the note. A concern always alerts the other side."
        )
