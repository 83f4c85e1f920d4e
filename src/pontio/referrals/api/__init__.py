"""Referrals API (v1): ``referrals`` (list, send, read, move, codes) and ``work`` (the
provider's records), with ``serializers`` and ``errors`` (refusals and documented answers).
The view classes are re-exported for ``api_urls``."""

from pontio.referrals.api.referrals import (
    ReferralCodeList,
    ReferralDetail,
    ReferralList,
    ReferralTransition,
)
from pontio.referrals.api.work import (
    AppointmentAttendance,
    AppointmentCreate,
    ClinicalRecordCreate,
    ContactAttemptCreate,
    TopEntryCreate,
)

__all__ = [
    "AppointmentAttendance",
    "AppointmentCreate",
    "ClinicalRecordCreate",
    "ContactAttemptCreate",
    "ReferralCodeList",
    "ReferralDetail",
    "ReferralList",
    "ReferralTransition",
    "TopEntryCreate",
]
