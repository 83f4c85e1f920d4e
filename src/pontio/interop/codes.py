"""FHIR R4 code values the interface emits and accepts, and Pontio's own code systems.

``fhir.resources`` checks the structure of a resource, not its code values, so every code
that crosses the boundary is checked here against the required value sets of HL7 FHIR R4
(4.0.1, http://hl7.org/fhir/R4/valueset-*.html):

- TaskStatus (http://hl7.org/fhir/task-status), TaskIntent (task-intent);
- RequestStatus (request-status) and RequestIntent (request-intent) for ServiceRequest;
- AppointmentStatus (appointmentstatus), ParticipationStatus (participationstatus);
- BundleType (bundle-type), SearchEntryMode (search-entry-mode);
- AdministrativeGender (administrative-gender);
- IssueSeverity and IssueType (issue-severity, issue-type) for OperationOutcome.

Pontio's own codes (reason codes, pathways, outcomes, appointment kinds) carry a code system
URL under ``PONTIO_BASE_URL`` (``settings``), so a partner can tell them from national ones.
"""

from __future__ import annotations

from django.conf import settings

from pontio.people.models import Gender
from pontio.referrals.models import Appointment, Status

FHIR_VERSION = "4.0.1"
FHIR_JSON = "application/fhir+json"
JSON_PATCH = "application/json-patch+json"

# --- FHIR R4 value sets (required bindings) --------------------------------------------

TASK_STATUS = frozenset(
    {
        "draft",
        "requested",
        "received",
        "accepted",
        "rejected",
        "ready",
        "cancelled",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "entered-in-error",
    }
)
TASK_INTENT = frozenset(
    {
        "unknown",
        "proposal",
        "plan",
        "order",
        "original-order",
        "reflex-order",
        "filler-order",
        "instance-order",
        "option",
    }
)
REQUEST_STATUS = frozenset(
    {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
)
REQUEST_INTENT = frozenset(
    {
        "proposal",
        "plan",
        "directive",
        "order",
        "original-order",
        "reflex-order",
        "filler-order",
        "instance-order",
        "option",
    }
)
APPOINTMENT_STATUS = frozenset(
    {
        "proposed",
        "pending",
        "booked",
        "arrived",
        "fulfilled",
        "cancelled",
        "noshow",
        "entered-in-error",
        "checked-in",
        "waitlist",
    }
)
PARTICIPATION_STATUS = frozenset({"accepted", "declined", "tentative", "needs-action"})
BUNDLE_TYPE = frozenset(
    {
        "document",
        "message",
        "transaction",
        "transaction-response",
        "batch",
        "batch-response",
        "history",
        "searchset",
        "collection",
    }
)
SEARCH_ENTRY_MODE = frozenset({"match", "include", "outcome"})
ADMINISTRATIVE_GENDER = frozenset({"male", "female", "other", "unknown"})
ISSUE_SEVERITY = frozenset({"fatal", "error", "warning", "information"})
ISSUE_TYPE = frozenset(
    {
        "invalid",
        "structure",
        "required",
        "value",
        "invariant",
        "security",
        "login",
        "unknown",
        "expired",
        "forbidden",
        "suppressed",
        "processing",
        "not-supported",
        "duplicate",
        "multiple-matches",
        "not-found",
        "deleted",
        "too-long",
        "code-invalid",
        "extension",
        "too-costly",
        "business-rule",
        "conflict",
        "transient",
        "lock-error",
        "no-store",
        "exception",
        "timeout",
        "incomplete",
        "throttled",
        "informational",
    }
)
BCP47 = "urn:ietf:bcp:47"

VALUE_SETS: dict[str, frozenset[str]] = {
    "Task.status": TASK_STATUS,
    "Task.intent": TASK_INTENT,
    "ServiceRequest.status": REQUEST_STATUS,
    "ServiceRequest.intent": REQUEST_INTENT,
    "Appointment.status": APPOINTMENT_STATUS,
    "Appointment.participant.status": PARTICIPATION_STATUS,
    "Bundle.type": BUNDLE_TYPE,
    "Bundle.entry.search.mode": SEARCH_ENTRY_MODE,
    "Patient.gender": ADMINISTRATIVE_GENDER,
    "OperationOutcome.issue.severity": ISSUE_SEVERITY,
    "OperationOutcome.issue.code": ISSUE_TYPE,
}


def is_code(element: str, value: object) -> bool:
    """Whether ``value`` is a code of the value set bound to ``element`` (e.g. "Task.status")."""
    return isinstance(value, str) and value in VALUE_SETS[element]


# --- Pontio's statuses in FHIR terms ---------------------------------------------------

# Pontio's referral statuses are Task statuses (referrals.lifecycle); these are the Task
# statuses Pontio never uses (a referral is never a draft, "ready" or entered in error).
UNUSED_TASK_STATUS = frozenset(TASK_STATUS - set(Status.values))
assert set(Status.values) <= TASK_STATUS  # noqa: S101  (a wrong code here is a bug at import)

# ServiceRequest.status of the referral, from its Task status: the request stays active
# while the provider works it; ended without success (rejected, failed, cancelled), the
# request was terminated before its full completion, which R4 calls "revoked".
REQUEST_STATUS_OF_TASK: dict[str, str] = {
    Status.REQUESTED: "active",
    Status.RECEIVED: "active",
    Status.ACCEPTED: "active",
    Status.IN_PROGRESS: "active",
    Status.ON_HOLD: "on-hold",
    Status.COMPLETED: "completed",
    Status.REJECTED: "revoked",
    Status.FAILED: "revoked",
    Status.CANCELLED: "revoked",
}

A = Appointment.Attendance
# Appointment.status of each attendance. "Attended but left early" is fulfilled (the person
# arrived and was seen) with the Pontio attendance extension saying left_early.
APPOINTMENT_STATUS_OF: dict[str, str] = {
    A.BOOKED: "booked",
    A.ATTENDED: "fulfilled",
    A.LEFT_EARLY: "fulfilled",
    A.DID_NOT_ATTEND: "noshow",
    A.CANCELLED: "cancelled",
}
# What a provider may send: status -> attendance (fulfilled with the left_early extension
# is left_early, see ``attendance_of``).
ATTENDANCE_OF_STATUS: dict[str, str] = {
    "fulfilled": A.ATTENDED,
    "noshow": A.DID_NOT_ATTEND,
    "cancelled": A.CANCELLED,
}

GENDER_OF: dict[str, str] = {
    Gender.MALE: "male",
    Gender.FEMALE: "female",
    Gender.OTHER: "other",
}

# --- Pontio's code systems -------------------------------------------------------------


def base_url() -> str:
    """Where Pontio's FHIR code systems and identifiers live (settings.PONTIO_BASE_URL)."""
    return str(settings.PONTIO_BASE_URL).rstrip("/") + "/fhir"


def system(name: str) -> str:
    return f"{base_url()}/{name}"


def referral_reference_system() -> str:
    """Identifier.system of a referral's Pontio reference (e.g. PR26-000123)."""
    return system("referral-reference")


def code_system(name: str) -> str:
    return system(f"CodeSystem/{name}")


def extension_url(name: str) -> str:
    return system(f"StructureDefinition/{name}")


REFERRAL_CODE = "referral-code"  # ReferralCode.code (rejection, hold, cancellation, closure)
NEXT_ACTOR = "next-actor"  # Task.businessStatus: who must act next (police, provider, nobody)
PATHWAY = "pathway"  # ServiceRequest.category: the police contact
TASK_OUTPUT = "task-output"  # Task.output.type
OUTCOME = "outcome-against-reason"  # achieved, partly, not
APPOINTMENT_KIND = "appointment-kind"  # Appointment.serviceType
APPOINTMENT_MODE = "appointment-mode"  # extension: in_person, phone, video
ATTENDANCE = "attendance"  # extension: Pontio's attendance code

# Task.output types (Pontio CodeSystem task-output).
OUTPUT_OUTCOME = "outcome-against-reason"  # valueCodeableConcept (OUTCOME system)
OUTPUT_SUMMARY = "outcome-summary"  # valueString: the plain words for the police
OUTPUT_ASSESSMENT = "assessment-date"  # valueDate: the comprehensive assessment
OUTPUT_TREATMENT_START = "treatment-start-date"  # valueDate: the treatment start
OUTPUT_TYPES = frozenset(
    {OUTPUT_OUTCOME, OUTPUT_SUMMARY, OUTPUT_ASSESSMENT, OUTPUT_TREATMENT_START}
)
