"""Forms of the scrutiny panel's pages (the rules are the services': ``services.panel``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from pontio.core import sampling
from pontio.core.forms import GovukForm, VersionField
from pontio.disposals import panel
from pontio.disposals.models import PanelJudgement
from pontio.disposals.services.panel import FEEDBACK_MAX


class ReviewForm(GovukForm):
    """The panel member's judgement. Feedback is required unless the disposal was judged
    appropriate; the service says so (one rule, one place), the form only carries it."""

    version = VersionField()
    judgement = forms.ChoiceField(
        label=_("Was the disposal appropriate?"),
        choices=PanelJudgement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the disposal was appropriate")},
    )
    feedback = forms.CharField(
        label=_("Feedback to the force"),
        help_text=_(
            "Required unless the disposal was appropriate. Do not name anyone: the force "
            "reads this with the disposal."
        ),
        required=False,
        # One more than allowed, so the service (not the browser) refuses an overlong one.
        max_length=FEEDBACK_MAX + 1,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DrawForm(GovukForm):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=dt.date.fromisoformat,
        choices=(),
        error_messages={"required": _("Choose a quarter that has ended")},
    )
    seed = forms.IntegerField(
        label=_("Seed (optional)"),
        help_text=_("Leave blank to use the quarter's standard seed, so anyone can redraw it."),
        required=False,
        min_value=0,
        max_value=sampling.MAX_SEED,
    )

    def __init__(self, *args: object, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["quarter"].choices = [  # type: ignore[attr-defined]
            (q.isoformat(), panel.quarter_label(q)) for q in panel.ended_quarters(today)
        ]
