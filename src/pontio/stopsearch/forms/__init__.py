"""Forms of stop and search: records, reviews, police.uk files. They parse what was typed;
the rules are the services' (``services``)."""

from pontio.stopsearch.forms.imports import ExportForm, ImportForm, MonthField
from pontio.stopsearch.forms.person import PersonChoiceForm, PersonFindForm
from pontio.stopsearch.forms.records import OutcomeForm, StopSearchForm
from pontio.stopsearch.forms.reviews import (
    AuditReviewForm,
    PanelAssignForm,
    PanelReviewForm,
    SampleDrawForm,
)

__all__ = [
    "AuditReviewForm",
    "ExportForm",
    "ImportForm",
    "MonthField",
    "OutcomeForm",
    "PanelAssignForm",
    "PanelReviewForm",
    "PersonChoiceForm",
    "PersonFindForm",
    "SampleDrawForm",
    "StopSearchForm",
]
