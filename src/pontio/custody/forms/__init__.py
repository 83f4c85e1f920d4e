"""Forms of the custody pages. They parse what was typed; the rules are the services'
(``custody.services``, ``custody.rules``)."""

from pontio.custody.forms.booking import (
    BookingForm,
    DetaineeChoiceForm,
    DetaineeFindForm,
    typed_of,
)
from pontio.custody.forms.record import (
    AuthorisationDecisionForm,
    AuthorisationGiveForm,
    AuthorisationRequestForm,
    BreachDecisionForm,
    ChargeForm,
    ConfirmatoryForm,
    DisputeForm,
    FollowupForm,
    ImposeForm,
    OffenceAddForm,
    RecordChangeForm,
    TestOutcomeForm,
    TestRequestForm,
    TestResultForm,
    VaryForm,
    VersionOnlyForm,
)
from pontio.custody.forms.reference import NotificationForm, OffenceForm, SuiteForm

__all__ = [
    "AuthorisationDecisionForm",
    "AuthorisationGiveForm",
    "AuthorisationRequestForm",
    "BookingForm",
    "BreachDecisionForm",
    "ChargeForm",
    "ConfirmatoryForm",
    "DetaineeChoiceForm",
    "DetaineeFindForm",
    "DisputeForm",
    "FollowupForm",
    "ImposeForm",
    "NotificationForm",
    "OffenceAddForm",
    "OffenceForm",
    "RecordChangeForm",
    "SuiteForm",
    "TestOutcomeForm",
    "TestRequestForm",
    "TestResultForm",
    "VaryForm",
    "VersionOnlyForm",
    "typed_of",
]
