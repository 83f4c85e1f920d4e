"""Writes of the custody app, each in one transaction with its audit events (person id set).

Split by feature: ``records`` (booking, offences, the record's details), ``authorisations``
(inspectors), ``testing`` (request, sample, result, dispute), ``assessments`` (the required
assessment and the attendance listener), ``breaches`` (failure to attend or remain),
``reference_data`` (suites, notifications, offences), ``common`` (locks, snapshots). Custody
writes name the custody record's version the page was shown with; an inspector's decision,
the provider's follow-up decision and a breach decision name their own row's version.
"""

from pontio.custody.services.assessments import (
    RESULT_SUBSTANCES,
    assessment_followup,
    assessment_impose,
    assessment_vary,
    attendance_listener,
    check_appointment,
)
from pontio.custody.services.authorisations import (
    authorisation_confirm_in_writing,
    authorisation_decide,
    authorisation_give,
    authorisation_request,
)
from pontio.custody.services.breaches import breach_decide, breach_task_open, decision_working_days
from pontio.custody.services.common import lock_record, snapshot
from pontio.custody.services.records import (
    BookingData,
    OffenceEntry,
    age_on,
    booked_with,
    check_booking,
    check_officer_in_case,
    custody_book,
    normalise_number,
    record_offence_add,
    record_offence_set_state,
    record_update,
    repeated_booking,
    suites_for,
)
from pontio.custody.services.reference_data import (
    REFERENCE_MODELS,
    reference_create,
    reference_update,
)
from pontio.custody.services.testing import (
    test_confirmatory,
    test_dispute,
    test_outcome,
    test_request,
    test_result,
)

__all__ = [
    "REFERENCE_MODELS",
    "RESULT_SUBSTANCES",
    "BookingData",
    "OffenceEntry",
    "age_on",
    "assessment_followup",
    "assessment_impose",
    "assessment_vary",
    "attendance_listener",
    "authorisation_confirm_in_writing",
    "authorisation_decide",
    "authorisation_give",
    "authorisation_request",
    "booked_with",
    "breach_decide",
    "breach_task_open",
    "check_appointment",
    "check_booking",
    "check_officer_in_case",
    "custody_book",
    "decision_working_days",
    "lock_record",
    "normalise_number",
    "record_offence_add",
    "record_offence_set_state",
    "record_update",
    "reference_create",
    "reference_update",
    "repeated_booking",
    "snapshot",
    "suites_for",
    "test_confirmatory",
    "test_dispute",
    "test_outcome",
    "test_request",
    "test_result",
]
