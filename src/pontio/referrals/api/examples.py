"""Examples in the OpenAPI description of the referrals API (issue 19: a partner's developer
reads them at /api/docs/). Made-up values in the shape the API takes and gives: the phone
number is from Ofcom's drama range and the reference is an example's."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

SEND = OpenApiExample(
    "A voluntary referral, with consent to texts",
    request_only=True,
    value={
        "person": 345,
        "pathway": "voluntary",
        "reason": "Asked for help with cocaine use after a welfare check.",
        "substances": ["cocaine"],
        "consent_given": True,
        "preferred_language": "cy",
        "contact": {
            "phone": "07700 900123",
            "email": "",
            "channels": ["phone", "text"],
            "times": "Weekday mornings",
        },
    },
)

REFUSED_BY_FIELD = OpenApiExample(
    "Refused, by field: texts chosen without a phone number, an unknown substance",
    response_only=True,
    status_codes=["400"],
    value={
        "contact": {"channels": ["You chose phone or text: enter a phone number"]},
        "substances": ["\u201cmoonshine\u201d is not a known substance code"],
    },
)

ACCEPT = OpenApiExample(
    "Accept (provider)",
    request_only=True,
    value={"version": 1, "to_status": "accepted"},
)
REJECT = OpenApiExample(
    "Reject with a reason code and a message to the police (provider)",
    request_only=True,
    value={
        "version": 2,
        "to_status": "rejected",
        "code": "REJ_OUT_OF_AREA",
        "reason": "Lives in Swansea now: please refer to the local service.",
    },
)
COMPLETE = OpenApiExample(
    "Close as a planned completion, with the outcome for the police (provider)",
    request_only=True,
    value={
        "version": 7,
        "to_status": "completed",
        "code": "CLO_PLANNED_COMPLETE",
        "outcome_against_reason": "achieved",
        "outcome_summary": "Completed the programme and is now engaged with recovery support.",
    },
)
WITHDRAW = OpenApiExample(
    "Withdraw (the police)",
    request_only=True,
    value={
        "version": 1,
        "to_status": "cancelled",
        "code": "CAN_SENT_IN_ERROR",
        "reason": "Sent in error: the person was referred by the custody nurse already.",
    },
)
STALE_VERSION = OpenApiExample(
    "Someone else changed it first",
    response_only=True,
    status_codes=["409"],
    value={
        "detail": (
            "Someone else changed this record after you read it, so nothing was saved. Read "
            "it again, check their changes, then send your request again with version 3."
        ),
        "code": "stale_version",
        "version": 3,
    },
)
