"""Writes to referrals, each in one transaction with its audit event (person id set).

Split by feature: ``create`` (sending, the proposal, idempotency), ``moves`` (the
lifecycle and allocation), ``work`` (the provider's records), ``resend`` (sending
elsewhere), ``notify`` (emails and alerts), ``totals`` (the provider's quarterly total),
``common`` (locks, snapshots, the text limit). Every update names the version it started
from. The names other modules use are re-exported here.
"""

from pontio.referrals.lifecycle import WORKING, party_of
from pontio.referrals.services.common import (
    MAX_TEXT,
    age_on,
    check_texts,
    lock_referral,
    snapshot,
    too_long_message,
)
from pontio.referrals.services.create import (
    CONTACT_FIELDS,
    FLAT_FIELDS,
    ReferralData,
    check_idempotency_key,
    check_referral_data,
    current_county,
    data_of,
    need_for,
    referral_create,
    referral_sent_with,
    repeated_send,
    service_options,
)
from pontio.referrals.services.moves import (
    referral_allocate,
    referral_mark_received,
    referral_transition,
)
from pontio.referrals.services.notify import (
    alert_police,
    mark_alerts_read,
    police_recipients,
    provider_recipients,
)
from pontio.referrals.services.required import required_appointment_book
from pontio.referrals.services.resend import referral_resend
from pontio.referrals.services.totals import MAX_TOTAL, provider_total_record
from pontio.referrals.services.work import (
    TOP_DAY_FIELDS,
    TOP_SCORE_FIELDS,
    appointment_book,
    appointment_record_attendance,
    clinical_record_add,
    contact_attempt_add,
    top_record,
)

__all__ = [
    "CONTACT_FIELDS",
    "FLAT_FIELDS",
    "MAX_TEXT",
    "MAX_TOTAL",
    "TOP_DAY_FIELDS",
    "TOP_SCORE_FIELDS",
    "WORKING",
    "ReferralData",
    "age_on",
    "alert_police",
    "appointment_book",
    "appointment_record_attendance",
    "check_idempotency_key",
    "check_referral_data",
    "check_texts",
    "clinical_record_add",
    "contact_attempt_add",
    "current_county",
    "data_of",
    "lock_referral",
    "mark_alerts_read",
    "need_for",
    "party_of",
    "police_recipients",
    "provider_recipients",
    "provider_total_record",
    "referral_allocate",
    "referral_create",
    "referral_mark_received",
    "referral_resend",
    "referral_sent_with",
    "referral_transition",
    "repeated_send",
    "required_appointment_book",
    "service_options",
    "snapshot",
    "too_long_message",
    "top_record",
]
