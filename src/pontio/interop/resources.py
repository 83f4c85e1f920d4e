"""Pontio rows as FHIR R4 resources (R4B models of ``fhir.resources``, at the boundary only).

Each builder assembles a plain dict, validates it through the ``fhir.resources`` model (so a
mistake here fails loudly, not at the partner) and returns the JSON form. What a resource
carries is what the provider may see of the referral (``ProviderReferralSerializer``), and
no more: the Patient never carries a police identifier (PNC ID), ethnicity or anything
recorded by the police alone. Only provider staff call the FHIR interface (``permissions``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from pontio.interop import codes
from pontio.referrals.models import Appointment, Referral, ReferralCode

MODELS: dict[str, Any] = {
    "Task": Task,
    "ServiceRequest": ServiceRequest,
    "Patient": Patient,
    "Appointment": FhirAppointment,
    "Bundle": Bundle,
    "CapabilityStatement": CapabilityStatement,
    "OperationOutcome": OperationOutcome,
}


def validated(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` checked by its fhir.resources model, as JSON-ready values."""
    model = MODELS[data["resourceType"]]
    return dict(model.model_validate(data).model_dump(mode="json", exclude_none=True))


def instant(value: dt.datetime) -> str:
    """A FHIR instant in UTC (microseconds kept: the polling cursor relies on them)."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def weak_etag(version: int) -> str:
    return f'W/"{version}"'


def _coding(system_name: str, code: str, display: str = "") -> dict[str, Any]:
    coding: dict[str, Any] = {"system": codes.code_system(system_name), "code": code}
    if display:
        coding["display"] = display
    return coding


def _concept(system_name: str, code: str, display: str = "") -> dict[str, Any]:
    return {"coding": [_coding(system_name, code, display)], "text": display or code}


def _identifier(referral: Referral) -> dict[str, Any]:
    return {"system": codes.referral_reference_system(), "value": referral.reference}


def _meta(version: int, updated: dt.datetime) -> dict[str, Any]:
    return {"versionId": str(version), "lastUpdated": instant(updated)}


def code_concept(code: ReferralCode) -> dict[str, Any]:
    return _concept(codes.REFERRAL_CODE, code.code, str(code.label))


# --- ServiceRequest ----------------------------------------------------------------------


def _notes(referral: Referral) -> list[dict[str, Any]]:
    """What the provider was sent beyond the reason, one note per field that has words."""
    fields = (
        (_("Risks to the person or to staff"), referral.risk_notes),
        (_("Safeguarding"), referral.safeguarding_notes),
        (_("What support the person needs"), referral.support_needs),
        (_("Accessibility or communication needs"), referral.accessibility_needs),
        (_("Interpreter needed for"), referral.interpreter_language),
        (_("When to contact"), referral.contact_times),
        (_("Custody release plan"), referral.release_plan),
        (_("Why this service"), referral.routing_reason),
    )
    return [{"text": f"{label}: {text}"} for label, text in fields if text and text.strip()]


def service_request(referral: Referral) -> dict[str, Any]:
    """The referral as the order the police sent (``referral`` with ``service``,
    ``provider`` and ``referring_organisation`` loaded)."""
    data: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": _meta(referral.version, referral.updated_at),
        "identifier": [_identifier(referral)],
        "status": codes.REQUEST_STATUS_OF_TASK[referral.status],
        "intent": "order",
        "category": [
            _concept(codes.PATHWAY, referral.pathway, str(referral.get_pathway_display()))
        ],
        "code": {"text": str(referral.service.display_name)},
        "subject": {"reference": f"Patient/{referral.person_id}"},
        "authoredOn": instant(referral.sent_at),
        "requester": {"display": referral.referring_organisation.name},
        "performer": [{"display": referral.provider.name}],
        "reasonCode": [{"text": referral.reason}],
    }
    notes = _notes(referral)
    if notes:
        data["note"] = notes
    return validated(data)


# --- Task --------------------------------------------------------------------------------


def _output(code: str, label: str, **value: Any) -> dict[str, Any]:
    return {"type": _concept(codes.TASK_OUTPUT, code, label), **value}


def task_outputs(referral: Referral) -> list[dict[str, Any]]:
    """The outcome for the police once closed, and the clinical dates the provider recorded
    (the evidence a planned completion needs)."""
    outputs: list[dict[str, Any]] = []
    if referral.assessed_on:
        outputs.append(
            _output(
                codes.OUTPUT_ASSESSMENT,
                _("Comprehensive assessment"),
                valueDate=referral.assessed_on.isoformat(),
            )
        )
    if referral.treatment_started_on:
        outputs.append(
            _output(
                codes.OUTPUT_TREATMENT_START,
                _("Treatment start"),
                valueDate=referral.treatment_started_on.isoformat(),
            )
        )
    if referral.outcome_against_reason:
        outputs.append(
            _output(
                codes.OUTPUT_OUTCOME,
                _("Outcome against the reason for referral"),
                valueCodeableConcept=_concept(
                    codes.OUTCOME,
                    referral.outcome_against_reason,
                    str(referral.get_outcome_against_reason_display()),
                ),
            )
        )
    if referral.outcome_summary:
        outputs.append(
            _output(
                codes.OUTPUT_SUMMARY,
                _("Summary for the police"),
                valueString=referral.outcome_summary,
            )
        )
    return outputs


def task(referral: Referral) -> dict[str, Any]:
    """The referral's workflow state: one Task per referral, its status the referral's."""
    data: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "meta": _meta(referral.version, referral.updated_at),
        "identifier": [_identifier(referral)],
        "basedOn": [{"reference": f"ServiceRequest/{referral.pk}"}],
        "status": referral.status,
        "businessStatus": _concept(
            codes.NEXT_ACTOR, referral.next_actor, str(referral.get_next_actor_display())
        ),
        "intent": "order",
        "focus": {"reference": f"ServiceRequest/{referral.pk}"},
        "for": {"reference": f"Patient/{referral.person_id}"},
        "authoredOn": instant(referral.sent_at),
        "lastModified": instant(referral.updated_at),
        "requester": {"display": referral.referring_organisation.name},
        "owner": {"display": referral.provider.name},
    }
    if referral.status_code is not None:
        data["statusReason"] = code_concept(referral.status_code)
    outputs = task_outputs(referral)
    if outputs:
        data["output"] = outputs
    return validated(data)


# --- Patient -----------------------------------------------------------------------------


def patient(referral: Referral) -> dict[str, Any]:
    """The person as the provider received them on ``referral``: name, date of birth,
    gender if stated, and the contact route and language the officer confirmed when sending
    (the referral's copy, not the police record)."""
    person = referral.person
    data: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(person.pk),
        "name": [{"use": "official", "family": person.family_name, "given": [person.given_name]}],
    }
    if person.date_of_birth:
        data["birthDate"] = person.date_of_birth.isoformat()
    gender = codes.GENDER_OF.get(person.gender)
    if gender:
        data["gender"] = gender
    # The routes the officer confirmed with the person (the referral's copy): the phone is
    # the provider's first route (ContactPoint.rank 1), an email address the second.
    telecom: list[dict[str, Any]] = [
        {"system": system, "value": value}
        for system, value in (("phone", referral.contact_phone), ("email", referral.contact_email))
        if value
    ]
    for rank, point in enumerate(telecom, start=1):
        point["rank"] = rank
    if telecom:
        data["telecom"] = telecom
    lines = [line for line in (referral.address_line_1, referral.address_line_2) if line]
    if lines or referral.address_town or referral.address_postcode:
        address: dict[str, Any] = {"use": "home", "country": "GB"}
        if lines:
            address["line"] = lines
        if referral.address_town:
            address["city"] = referral.address_town
        if referral.address_postcode:
            address["postalCode"] = referral.address_postcode
        data["address"] = [address]
    if referral.preferred_language:
        data["communication"] = [
            {
                "language": {
                    "coding": [
                        {
                            "system": codes.BCP47,
                            "code": referral.preferred_language,
                            "display": str(referral.get_preferred_language_display()),
                        }
                    ]
                },
                "preferred": True,
            }
        ]
    return validated(data)


# --- Appointment -------------------------------------------------------------------------


def appointment(row: Appointment) -> dict[str, Any]:
    """A provider's appointment on the referral (``based-on`` its ServiceRequest)."""
    referral = row.referral
    start = row.starts_at
    participants: list[dict[str, Any]] = [
        {
            "actor": {"reference": f"Patient/{referral.person_id}"},
            "status": "accepted",
        }
    ]
    if row.place:
        participants.append({"actor": {"display": row.place}, "status": "accepted"})
    data: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(row.pk),
        "meta": _meta(row.version, row.updated_at),
        "extension": [
            {
                "url": codes.extension_url(codes.ATTENDANCE),
                "valueCode": row.attendance,
            },
            {
                "url": codes.extension_url(codes.APPOINTMENT_MODE),
                "valueCode": row.mode,
            },
        ],
        "status": codes.APPOINTMENT_STATUS_OF[row.attendance],
        "serviceType": [_concept(codes.APPOINTMENT_KIND, row.kind, str(row.get_kind_display()))],
        "start": instant(start),
        "basedOn": [{"reference": f"ServiceRequest/{referral.pk}"}],
        "participant": participants,
        "created": instant(row.created_at),
    }
    return validated(data)


# --- Bundle, OperationOutcome, CapabilityStatement ---------------------------------------


def searchset(
    entries: list[dict[str, Any]], *, total: int, self_url: str, next_url: str | None, base: str
) -> dict[str, Any]:
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    data: dict[str, Any] = {
        "resourceType": "Bundle",
        "meta": {"lastUpdated": instant(timezone.now())},
        "type": "searchset",
        "total": total,
        "link": links,
    }
    if entries:
        data["entry"] = [
            {
                "fullUrl": f"{base}/{entry['resourceType']}/{entry['id']}",
                "resource": entry,
                "search": {"mode": "match"},
            }
            for entry in entries
        ]
    return validated(data)


def operation_outcome(
    issues: list[tuple[str, str]], severity: str = "error", expression: str | None = None
) -> dict[str, Any]:
    """An OperationOutcome of (issue type code, diagnostics) pairs."""
    rows: list[dict[str, Any]] = []
    for code, diagnostics in issues:
        row: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
        if expression:
            row["expression"] = [expression]
        rows.append(row)
    return validated({"resourceType": "OperationOutcome", "issue": rows})


def capability_statement(base: str) -> dict[str, Any]:
    """What this server does (GET [base]/metadata)."""
    interaction = [{"code": "read"}]
    search = {"code": "search-type"}
    data: dict[str, Any] = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": instant(timezone.now()),
        "publisher": "Pontio",
        "kind": "instance",
        "name": "PontioFHIR",
        "title": _("Pontio FHIR interface for treatment providers"),
        "description": _(
            "Referrals from the police to treatment providers as FHIR R4 ServiceRequest and "
            "Task: poll new and changed Tasks, accept or reject them, book appointments and "
            "record attendance, and close the referral with the outcome for the police."
        ),
        "software": {"name": "Pontio"},
        "implementation": {"description": _("Pontio FHIR R4 interface"), "url": base},
        "fhirVersion": codes.FHIR_VERSION,
        "format": ["json", codes.FHIR_JSON],
        "patchFormat": [codes.JSON_PATCH, codes.FHIR_JSON],
        "rest": [
            {
                "mode": "server",
                "documentation": _(
                    "Every request needs a partner API token with the fhir scope "
                    "(Authorization: Bearer) of a provider organisation; you see only the "
                    'referrals sent to it. Updates need If-Match: W/"<versionId>".'
                ),
                "security": {
                    "cors": False,
                    "description": _("Bearer tokens issued by Pontio to partner organisations."),
                },
                "resource": [
                    {
                        "type": "Task",
                        "versioning": "versioned",
                        "readHistory": False,
                        "updateCreate": False,
                        "conditionalUpdate": False,
                        "interaction": [
                            *interaction,
                            search,
                            {"code": "update"},
                            {"code": "patch"},
                        ],
                        "searchParam": [
                            {
                                "name": "_lastUpdated",
                                "type": "date",
                                "documentation": _(
                                    "gt, ge, lt or le and an instant with a time zone"
                                ),
                            },
                            {
                                "name": "status",
                                "type": "token",
                                "documentation": _("Task status codes, comma separated"),
                            },
                            {
                                "name": "_count",
                                "type": "number",
                                "documentation": _("Entries per page, 0 to 100 (20 unless given)"),
                            },
                        ],
                    },
                    {
                        "type": "ServiceRequest",
                        "versioning": "versioned",
                        "interaction": [*interaction, search],
                        "searchParam": [
                            {
                                "name": "identifier",
                                "type": "token",
                                "documentation": _("The referral reference (system|value)"),
                            }
                        ],
                    },
                    {"type": "Patient", "interaction": list(interaction)},
                    {
                        "type": "Appointment",
                        "versioning": "versioned",
                        "interaction": [
                            *interaction,
                            search,
                            {"code": "create"},
                            {"code": "update"},
                            {"code": "patch"},
                        ],
                        "searchParam": [
                            {
                                "name": "based-on",
                                "type": "reference",
                                "documentation": _("ServiceRequest/<id>"),
                            }
                        ],
                    },
                ],
            }
        ],
    }
    return validated(data)
