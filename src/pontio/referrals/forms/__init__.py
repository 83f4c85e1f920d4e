"""Forms of referral pages: the police side (``police``), the provider's work
(``provider``) and the metrics pages (``metrics``). They parse input; the services decide."""

from pontio.referrals.forms.metrics import QuarterForm, TotalForm
from pontio.referrals.forms.police import (
    ChooseServiceForm,
    ReferralForm,
    ResendForm,
    WithdrawForm,
    data_from_draft,
    draft_of,
)
from pontio.referrals.forms.provider import (
    AllocateForm,
    AppointmentForm,
    AttendanceForm,
    ClinicalRecordForm,
    CodedMoveForm,
    ContactAttemptForm,
    ResumeForm,
    TopForm,
    VersionForm,
)

__all__ = [
    "AllocateForm",
    "AppointmentForm",
    "AttendanceForm",
    "ChooseServiceForm",
    "ClinicalRecordForm",
    "CodedMoveForm",
    "ContactAttemptForm",
    "QuarterForm",
    "ReferralForm",
    "ResendForm",
    "ResumeForm",
    "TopForm",
    "TotalForm",
    "VersionForm",
    "WithdrawForm",
    "data_from_draft",
    "draft_of",
]
