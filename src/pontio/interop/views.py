"""The FHIR R4 REST interface for treatment providers (HL7 FHIR R4 4.0.1 RESTful API).

- ``[base]/metadata`` is public, as FHIR servers usually make it (a client reads it before it
  has a token, and it holds no personal or case data); everything else needs a provider's
  sign-in: a partner API token with the ``fhir`` scope (``token_scope``), or a session.
- Reads go through ``restrict`` (``selectors``): outside the caller's scope a resource is
  "not found" (404 OperationOutcome) and the attempt is audited; every read of a referral,
  patient or appointment is audited with the person's id.
- Writes name the version they start from (If-Match: W/"<versionId>"; for a PUT without it,
  the body's meta.versionId): a stale one answers 412 (409 for meta.versionId), a missing
  one 428. They call the referrals services only (``services``).
- Bodies and answers are ``application/fhir+json`` (``application/json`` is accepted too).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import exceptions, renderers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import BreakGlassRequired, scoped_get
from pontio.core.api import JSONParser
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction
from pontio.interop import codes, incoming, resources, selectors, services
from pontio.interop.errors import FhirError, from_validation, invalid, not_found, unprocessable
from pontio.referrals import services as referral_services
from pontio.referrals.models import Appointment, Referral

ISSUE_OF_STATUS = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    412: "conflict",
    415: "not-supported",
    422: "business-rule",
    428: "required",
    429: "throttled",
}


class FhirJSONRenderer(renderers.JSONRenderer):
    media_type = codes.FHIR_JSON
    format = "json"


class FhirJSONParser(JSONParser):
    media_type = codes.FHIR_JSON


class JSONPatchParser(JSONParser):
    media_type = codes.JSON_PATCH


def user_of(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (the permission classes let only users in)
    return user


def base_url(request: Request) -> str:
    return request.build_absolute_uri(reverse("interop:metadata")).rsplit("/metadata", 1)[0]


def outcome_response(
    status: int, code: str, diagnostics: str, expression: str | None = None
) -> Response:
    return Response(
        resources.operation_outcome([(code, diagnostics)], expression=expression), status=status
    )


def pk_of(resource_type: str, pk: str) -> int:
    if not pk.isdigit() or len(pk) > 18:
        raise not_found(resource_type, pk)
    return int(pk)


WEAK_ETAG = re.compile(r'^\s*(W/)?"(\d{1,9})"\s*$')


def expected_version(request: Request, body: Any = None) -> tuple[int, bool]:
    """The version the update starts from, and whether it came from If-Match."""
    header = request.headers.get("If-Match")
    if header is not None:
        match = WEAK_ETAG.match(header)
        if match is None:
            raise invalid(
                _('If-Match must be W/"<versionId>", such as W/"3"'), expression="If-Match"
            )
        return int(match.group(2)), True
    version = ((body or {}).get("meta") or {}).get("versionId") if isinstance(body, dict) else None
    if isinstance(version, str) and version.isdigit():
        return int(version), False
    raise FhirError(
        428,
        "required",
        _('Name the version you read: send If-Match: W/"<versionId>" with every update'),
        expression="If-Match",
    )


def stale_response(from_header: bool, error: StaleVersionError) -> Response:
    return outcome_response(412 if from_header else 409, "conflict", str(error.messages[0]))


class FhirView(APIView):
    """What every FHIR endpoint shares: the permission, the token scope, the media types,
    and every refusal as an OperationOutcome."""

    required_permission = "interop.fhir"
    token_scope = "fhir"  # noqa: S105  (an API scope name, not a secret)
    renderer_classes = [FhirJSONRenderer, renderers.JSONRenderer]
    parser_classes = [FhirJSONParser, JSONPatchParser, JSONParser]
    # The FHIR interface has its own OperationOutcome refusals; no OpenAPI description.
    schema = None

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, FhirError):
            return outcome_response(exc.status, exc.code, exc.diagnostics, exc.expression)
        if isinstance(exc, BreakGlassRequired):
            exc = exceptions.NotFound()
        response = super().handle_exception(exc)
        if response.status_code >= 400:
            detail = response.data.get("detail") if isinstance(response.data, dict) else None
            code = ISSUE_OF_STATUS.get(response.status_code, "processing")
            text = str(detail) if detail else _("The request was refused")
            if response.status_code == 404:
                text = _("Not found, or outside what you may see")
            response.data = resources.operation_outcome([(code, text)])
        return response


def check_parameters(request: Request, allowed: set[str]) -> None:
    """Unknown search parameters are refused, not silently ignored (a typo would otherwise
    return every row)."""
    unknown = sorted(set(request.query_params) - allowed - {"_format"})
    if unknown:
        raise invalid(
            _("Unknown search parameter: %(names)s. This search takes %(allowed)s")
            % {"names": ", ".join(n[:30] for n in unknown), "allowed": ", ".join(sorted(allowed))},
            code="not-supported",
        )


def resource_response(data: dict[str, Any], status: int = 200, **headers: str) -> Response:
    response = Response(data, status=status)
    meta = data.get("meta") or {}
    if meta.get("versionId"):
        response["ETag"] = f'W/"{meta["versionId"]}"'
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def audit_read(request: Request, obj: Any, person_id: int, reason: str = "") -> None:
    audit_request(request, AuditAction.READ, obj=obj, person_id=person_id, reason=reason)


# --- metadata ------------------------------------------------------------------------------


class Metadata(FhirView):
    permission_classes = [AllowAny]
    required_permission = None  # type: ignore[assignment]

    def get(self, request: Request) -> Response:
        return Response(resources.capability_statement(base_url(request)))


# --- Task ----------------------------------------------------------------------------------


def referral_of(request: Request, pk: int, resource_type: str, action: str = "view") -> Referral:
    try:
        return scoped_get(
            request, selectors.referrals(user_of(request)), pk, action, audit_read=False
        )
    except BreakGlassRequired as error:
        raise not_found(resource_type, pk) from error
    except Http404 as error:
        raise not_found(resource_type, pk) from error


class TaskList(FhirView):
    def get(self, request: Request) -> Response:
        check_parameters(request, {"_lastUpdated", "status", "_count", "_cursor"})
        params = request.query_params
        condition = selectors.last_updated_filter(params.getlist("_lastUpdated"))
        statuses: list[str] = []
        for value in params.getlist("status"):
            for code in value.split(","):
                if not codes.is_code("Task.status", code):
                    raise invalid(
                        _("“%(code)s” is not a FHIR R4 Task status") % {"code": code[:40]},
                        expression="status",
                        code="code-invalid",
                    )
                statuses.append(code)
        if statuses:
            condition &= Q(status__in=statuses)
        count = selectors.parse_count(params.getlist("_count"))
        cursors = params.getlist("_cursor")
        if len(cursors) > 1:
            raise invalid(_("Give _cursor once"), expression="_cursor")
        cursor = selectors.Cursor.decode(cursors[0]) if cursors else None
        page = selectors.task_page(
            user_of(request), condition=condition, count=count, cursor=cursor
        )
        for referral in page.rows:
            audit_read(request, referral, referral.person_id, "fhir: Task search")
        if not page.rows:
            audit_request(
                request,
                AuditAction.READ,
                object_type="referrals.referral",
                reason="fhir: Task search",
            )
        entries = [resources.task(r) for r in page.rows]
        return Response(bundle(request, "interop:task-list", entries, page.total, page.next_cursor))


def bundle(
    request: Request,
    url_name: str,
    entries: list[dict[str, Any]],
    total: int,
    next_cursor: selectors.Cursor | None = None,
) -> dict[str, Any]:
    base = request.build_absolute_uri(reverse(url_name))
    kept = [
        (k, value)
        for k, values in request.query_params.lists()
        if k != "_cursor"
        for value in values
    ]
    self_url = request.build_absolute_uri()
    next_url = None
    if next_cursor is not None:
        next_url = f"{base}?{urlencode([*kept, ('_cursor', next_cursor.encode())])}"
    return resources.searchset(
        entries, total=total, self_url=self_url, next_url=next_url, base=base_url(request)
    )


class TaskDetail(FhirView):
    def get(self, request: Request, pk: str) -> Response:
        referral = referral_of(request, pk_of("Task", pk), "Task")
        audit_read(request, referral, referral.person_id, "fhir: Task")
        return resource_response(resources.task(referral))

    def put(self, request: Request, pk: str) -> Response:
        number = pk_of("Task", pk)
        referral = referral_of(request, number, "Task", "change")
        version = expected_version(request, request.data)
        return self._update(request, referral, request.data, resources.task(referral), version)

    def patch(self, request: Request, pk: str) -> Response:
        referral = referral_of(request, pk_of("Task", pk), "Task", "change")
        # The version is the caller's (If-Match), never the one of the Task patched.
        version = expected_version(request, request.data)
        current = resources.task(referral)
        if request.content_type.split(";")[0].strip() == codes.JSON_PATCH:
            body = incoming.json_patch(current, request.data)
        else:
            body = incoming.merge_partial(current, request.data, "Task")
        return self._update(request, referral, body, current, version)

    def _update(
        self,
        request: Request,
        referral: Referral,
        body: Any,
        current: dict[str, Any],
        expected: tuple[int, bool],
    ) -> Response:
        pk = referral.pk
        version, from_header = expected
        current_code = referral.status_code.code if referral.status_code else None
        change = incoming.task_change(body, pk, current, current_code)
        try:
            services.task_update(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                referral_id=referral.pk,
                expected_version=version,
                change=change,
            )
        except StaleVersionError as error:
            return stale_response(from_header, error)
        except DjangoPermissionDenied as error:
            raise not_found("Task", pk) from error
        except ValidationError as error:
            raise from_validation(error) from error
        fresh = selectors.referrals(user_of(request)).get(pk=referral.pk)
        return resource_response(resources.task(fresh))


# --- ServiceRequest, Patient ---------------------------------------------------------------


class ServiceRequestList(FhirView):
    def get(self, request: Request) -> Response:
        check_parameters(request, {"identifier"})
        values = request.query_params.getlist("identifier")
        if len(values) != 1 or not values[0]:
            raise invalid(
                _("Search ServiceRequest by one identifier: the referral reference"),
                expression="identifier",
            )
        system, _bar, value = values[0].rpartition("|")
        if system and system != codes.referral_reference_system():
            rows: list[Referral] = []
        else:
            rows = list(selectors.referrals(user_of(request)).filter(reference=value.strip()))
        for referral in rows:
            audit_read(request, referral, referral.person_id, "fhir: ServiceRequest search")
        if not rows:
            audit_request(
                request,
                AuditAction.READ,
                object_type="referrals.referral",
                reason="fhir: ServiceRequest search",
            )
        entries = [resources.service_request(r) for r in rows]
        return Response(bundle(request, "interop:servicerequest-list", entries, len(entries)))


class ServiceRequestDetail(FhirView):
    def get(self, request: Request, pk: str) -> Response:
        referral = referral_of(request, pk_of("ServiceRequest", pk), "ServiceRequest")
        audit_read(request, referral, referral.person_id, "fhir: ServiceRequest")
        return resource_response(resources.service_request(referral))


class PatientDetail(FhirView):
    def get(self, request: Request, pk: str) -> Response:
        number = pk_of("Patient", pk)
        referral = selectors.latest_referral_of(user_of(request), number)
        if referral is None:
            audit_request(
                request,
                AuditAction.DENIED,
                object_type="people.person",
                object_id=str(number),
                person_id=number,
                reason="out of scope: fhir Patient",
            )
            raise not_found("Patient", number)
        audit_read(request, referral.person, referral.person_id, "fhir: Patient")
        return resource_response(resources.patient(referral))


# --- Appointment ---------------------------------------------------------------------------


def _extension(body: dict[str, Any], name: str) -> str | None:
    url = codes.extension_url(name)
    for row in body.get("extension") or []:
        if isinstance(row, dict) and row.get("url") == url:
            value = row.get("valueCode")
            return str(value) if value is not None else None
    return None


def _status(body: dict[str, Any]) -> str:
    status = body.get("status")
    if not codes.is_code("Appointment.status", status):
        raise invalid(
            _("“%(code)s” is not a FHIR R4 Appointment status") % {"code": str(status)[:40]},
            expression="Appointment.status",
            code="code-invalid",
        )
    return str(status)


def _start(body: dict[str, Any]) -> dt.datetime:
    start = parse_datetime(str(body.get("start") or ""))
    if start is None or start.tzinfo is None:
        raise invalid(
            _("Appointment.start needs an instant with a time zone, such as 2026-03-01T09:00:00Z"),
            expression="Appointment.start",
        )
    return start


def _referral_pk(body: dict[str, Any]) -> int:
    references = [(b or {}).get("reference", "") for b in body.get("basedOn") or []]
    match = (
        re.fullmatch(r"ServiceRequest/(\d{1,18})", references[0]) if len(references) == 1 else None
    )
    if match is None:
        raise invalid(
            _("Appointment.basedOn must name one ServiceRequest, such as ServiceRequest/12"),
            expression="Appointment.basedOn",
        )
    return int(match.group(1))


def _place(body: dict[str, Any]) -> str:
    for participant in body.get("participant") or []:
        actor = (participant or {}).get("actor") or {}
        if actor.get("display") and not actor.get("reference"):
            return str(actor["display"])
    return ""


class AppointmentList(FhirView):
    def get(self, request: Request) -> Response:
        check_parameters(request, {"based-on"})
        values = request.query_params.getlist("based-on")
        match = (
            re.fullmatch(r"(?:ServiceRequest/)?(\d{1,18})", values[0]) if len(values) == 1 else None
        )
        if match is None:
            raise invalid(
                _("Search Appointment by based-on=ServiceRequest/<id>"), expression="based-on"
            )
        referral = selectors.referrals(user_of(request)).filter(pk=int(match.group(1))).first()
        rows = (
            list(selectors.appointments(user_of(request)).filter(referral=referral))
            if referral is not None
            else []
        )
        audit_request(
            request,
            AuditAction.READ,
            object_type="referrals.appointment",
            person_id=referral.person_id if referral else "",
            reason="fhir: Appointment search",
        )
        entries = [resources.appointment(a) for a in rows]
        return Response(bundle(request, "interop:appointment-list", entries, len(entries)))

    def post(self, request: Request) -> Response:
        body = incoming.parsed(request.data, "Appointment")
        if not body.get("participant"):
            # R4 Appointment.participant is 1..*; fhir.resources lets an empty list through.
            raise invalid(
                _("Appointment.participant needs at least the Patient"),
                expression="Appointment.participant",
                code="required",
            )
        if _status(body) != "booked":
            raise unprocessable(
                _("Book an appointment with status “booked”"), expression="Appointment.status"
            )
        referral = referral_of(request, _referral_pk(body), "ServiceRequest", "change")
        kinds = [
            incoming.pontio_code(c, codes.APPOINTMENT_KIND, "Appointment.serviceType")
            for c in body.get("serviceType") or []
        ]
        kind = next((k for k in kinds if k), None)
        if kind not in Appointment.Kind.values:
            raise invalid(
                _("Appointment.serviceType must be one of %(codes)s")
                % {"codes": ", ".join(Appointment.Kind.values)},
                expression="Appointment.serviceType",
                code="code-invalid",
            )
        mode = _extension(body, codes.APPOINTMENT_MODE) or Appointment.Mode.IN_PERSON
        if mode not in Appointment.Mode.values:
            raise invalid(
                _("The appointment mode must be one of %(codes)s")
                % {"codes": ", ".join(Appointment.Mode.values)},
                expression="Appointment.extension",
                code="code-invalid",
            )
        try:
            row = referral_services.appointment_book(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                referral_id=referral.pk,
                kind=kind,
                starts_at=_start(body),
                place=_place(body),
                mode=mode,
            )
        except DjangoPermissionDenied as error:
            raise not_found("ServiceRequest", referral.pk) from error
        except ValidationError as error:
            raise from_validation(error) from error
        data = resources.appointment(Appointment.objects.select_related("referral").get(pk=row.pk))
        location = request.build_absolute_uri(reverse("interop:appointment-detail", args=[row.pk]))
        return resource_response(data, 201, Location=location)


class AppointmentDetail(FhirView):
    def _row(self, request: Request, pk: int, action: str = "view") -> Appointment:
        try:
            return scoped_get(
                request, selectors.appointments(user_of(request)), pk, action, audit_read=False
            )
        except BreakGlassRequired as error:
            raise not_found("Appointment", pk) from error
        except Http404 as error:
            raise not_found("Appointment", pk) from error

    def get(self, request: Request, pk: str) -> Response:
        row = self._row(request, pk_of("Appointment", pk))
        audit_read(request, row, row.referral.person_id, "fhir: Appointment")
        return resource_response(resources.appointment(row))

    def put(self, request: Request, pk: str) -> Response:
        row = self._row(request, pk_of("Appointment", pk), "change")
        return self._update(request, row, request.data, expected_version(request, request.data))

    def patch(self, request: Request, pk: str) -> Response:
        row = self._row(request, pk_of("Appointment", pk), "change")
        version = expected_version(request, request.data)
        current = resources.appointment(row)
        if request.content_type.split(";")[0].strip() == codes.JSON_PATCH:
            body = incoming.json_patch(current, request.data)
        else:
            body = incoming.merge_partial(current, request.data, "Appointment")
        return self._update(request, row, body, version)

    def _update(
        self, request: Request, row: Appointment, body: Any, expected: tuple[int, bool]
    ) -> Response:
        version, from_header = expected
        body = incoming.parsed(body, "Appointment")
        incoming.check_id(body, row.pk, "Appointment")
        status = _status(body)
        if _start(body) != row.starts_at:
            raise unprocessable(
                _(
                    "Appointment.start cannot change here: reschedule the appointment on its "
                    "Pontio page (or API v1), which asks why"
                ),
                expression="Appointment.start",
            )
        if status == codes.APPOINTMENT_STATUS_OF[row.attendance] and (
            status != "fulfilled"
            or (_extension(body, codes.ATTENDANCE) or row.attendance) == row.attendance
        ):
            if version != row.version:
                return stale_response(from_header, StaleVersionError(_stale_text()))
            return resource_response(resources.appointment(row))
        attendance = codes.ATTENDANCE_OF_STATUS.get(status)
        if attendance is None:
            raise unprocessable(
                _("Record attendance as fulfilled, noshow or cancelled, not “%(code)s”")
                % {"code": status},
                expression="Appointment.status",
            )
        if attendance == Appointment.Attendance.ATTENDED and (
            _extension(body, codes.ATTENDANCE) == Appointment.Attendance.LEFT_EARLY
        ):
            attendance = Appointment.Attendance.LEFT_EARLY
        try:
            with transaction.atomic():
                referral_services.appointment_record_attendance(
                    context=AuditContext.from_request(request),
                    actor=user_of(request),
                    appointment_id=row.pk,
                    expected_version=version,
                    attendance=attendance,
                )
        except StaleVersionError:
            return stale_response(from_header, StaleVersionError(_stale_text()))
        except DjangoPermissionDenied as error:
            raise not_found("Appointment", row.pk) from error
        except ValidationError as error:
            raise from_validation(error) from error
        fresh = Appointment.objects.select_related("referral").get(pk=row.pk)
        return resource_response(resources.appointment(fresh))


def _stale_text() -> str:
    return _(
        "The Appointment changed after you read it, so nothing was saved. Read it again, "
        "then send your update with If-Match naming its new versionId."
    )


__all__ = [
    "AppointmentDetail",
    "AppointmentList",
    "Metadata",
    "PatientDetail",
    "ServiceRequestDetail",
    "ServiceRequestList",
    "TaskDetail",
    "TaskList",
]
