"""Referrals API (v1): the same services, scopes and party rules as the pages.

- Lists are scoped with ``restrict`` and paginated like every other list of the API.
- A single referral is fetched with ``scoped_get``: outside the caller's scope it is "not
  found" and the attempt is audited; every read is audited with the person's id.
- The provider sees the whole referral and its clinical work; the police (the referring
  officer and their supervisors) see what the police page shows: status, timers, outcome,
  history, contact attempts and appointments, never notes or clinical records.
- Creating needs an ``Idempotency-Key`` header: a retry with the same key returns the
  referral already made (200) and never makes a second one.
- Every change names the ``version`` it started from; a stale one answers 409 and says
  what to do. Refusals answer 400 with the service's own messages, by field.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import scoped_get
from pontio.core.concurrency import StaleVersionError
from pontio.core.models import County
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.directory.models import Substance
from pontio.people.models import ConsentRecord, Language, Person
from pontio.referrals import routing, services, sla
from pontio.referrals.contact import ContactRoute
from pontio.referrals.models import (
    Appointment,
    ClinicalRecord,
    ContactAttempt,
    Party,
    Pathway,
    Referral,
    ReferralCode,
    ReferralEvent,
    Status,
    TopEntry,
)
from pontio.referrals.services import TOP_DAY_FIELDS, TOP_SCORE_FIELDS

BREACH_CHOICES = ("any", *sla.TIMERS)

# Where the create service's field names appear in the request body.
CONTACT_FIELDS = {
    "contact_phone": "phone",
    "address_line_1": "address_line_1",
    "address_line_2": "address_line_2",
    "address_town": "address_town",
    "address_postcode": "address_postcode",
    "release_plan": "release_plan",
    "contact_channels": "channels",
}


# --- serializers: reading ---------------------------------------------------------------


class ReferralCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralCode
        fields = [
            "code",
            "label_en",
            "label_cy",
            "kind",
            "leads_to",
            "chosen_by",
            "stops_timer",
            "next_actor",
            "planned",
            "valid_from",
            "valid_to",
        ]


class CodeRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class TimerSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    due = serializers.DateField()
    met_on = serializers.DateField(allow_null=True)
    breached = serializers.BooleanField()
    running = serializers.BooleanField()
    working_days_left = serializers.IntegerField(allow_null=True)


class EventSerializer(serializers.ModelSerializer):
    code: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    organisation = serializers.CharField(
        source="actor_organisation.name", default="", read_only=True
    )

    class Meta:
        model = ReferralEvent
        fields = ["at", "from_status", "to_status", "code", "reason", "organisation"]


class PoliceContactAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactAttempt
        fields = ["at", "channel", "outcome"]


class PoliceAppointmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["starts_at", "kind", "attendance"]


class ReferralVersionMixin(serializers.Serializer):
    """The referral's version after the change (a later transition must name it)."""

    referral_version = serializers.SerializerMethodField()

    def get_referral_version(self, obj: Any) -> int:
        return int(
            Referral.objects.filter(pk=obj.referral_id).values_list("version", flat=True).get()
        )


class ContactAttemptSerializer(ReferralVersionMixin, serializers.ModelSerializer):
    class Meta:
        model = ContactAttempt
        fields = ["id", "at", "channel", "outcome", "notes", "recorded_at", "referral_version"]


class AppointmentSerializer(ReferralVersionMixin, serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "kind", "starts_at", "place", "attendance", "version", "referral_version"]


class ClinicalRecordSerializer(ReferralVersionMixin, serializers.ModelSerializer):
    class Meta:
        model = ClinicalRecord
        fields = ["id", "kind", "on", "intervention", "notes", "recorded_at", "referral_version"]


class TopEntrySerializer(ReferralVersionMixin, serializers.ModelSerializer):
    class Meta:
        model = TopEntry
        fields = [
            "id",
            "stage",
            "interview_date",
            "main_substance",
            *TOP_DAY_FIELDS,
            "shared_equipment",
            *TOP_SCORE_FIELDS,
            "recorded_at",
            "referral_version",
        ]


class PersonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "given_name", "family_name", "date_of_birth"]


class ContactRouteSerializer(serializers.Serializer):
    """How the provider can reach the person (what the officer confirmed when sending)."""

    phone = serializers.CharField(allow_blank=True, default="", max_length=20)
    address_line_1 = serializers.CharField(allow_blank=True, default="", max_length=120)
    address_line_2 = serializers.CharField(allow_blank=True, default="", max_length=120)
    address_town = serializers.CharField(allow_blank=True, default="", max_length=60)
    address_postcode = serializers.CharField(allow_blank=True, default="", max_length=8)
    release_plan = serializers.CharField(allow_blank=True, default="", max_length=2000)
    channels = serializers.ListField(
        child=serializers.CharField(max_length=20),
        default=list,
        help_text="phone, text, letter, visit or in_person",
    )
    times = serializers.CharField(allow_blank=True, default="", max_length=200)


class ReferralSummarySerializer(serializers.ModelSerializer):
    """One row of a list."""

    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    status_code: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    county: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="ons_code", read_only=True
    )
    breached = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "person",
            "pathway",
            "status",
            "status_code",
            "next_actor",
            "county",
            "provider",
            "service",
            "sent_at",
            "breached",
            "version",
        ]

    def get_breached(self, obj: Referral) -> bool:
        today = self.context.get("today") or timezone.localdate()
        return any(t.breached for t in sla.timer_states(obj, today))


class PoliceReferralSerializer(serializers.ModelSerializer):
    """What the police see: the referral as sent, status, timers, outcome and history."""

    person = PersonRefSerializer(read_only=True)
    substances: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    county: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="ons_code", read_only=True
    )
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    service_name = serializers.CharField(source="service.display_name", read_only=True)
    status_code = serializers.SerializerMethodField()
    timers = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    contact_attempts = PoliceContactAttemptSerializer(many=True, read_only=True)
    appointments = PoliceAppointmentSerializer(many=True, read_only=True)
    resent_as = serializers.SerializerMethodField()
    party = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "party",
            "person",
            "pathway",
            "source_reference",
            "reason",
            "substances",
            "county",
            "provider",
            "provider_name",
            "service",
            "service_name",
            "referred_by",
            "sent_at",
            "status",
            "status_code",
            "next_actor",
            "closed_on",
            "timers",
            "events",
            "contact_attempts",
            "appointments",
            "transferred_from",
            "resent_as",
            "version",
        ]

    def get_party(self, obj: Referral) -> str:
        return str(Party.POLICE)

    @extend_schema_field(CodeRefSerializer(allow_null=True))
    def get_status_code(self, obj: Referral) -> dict[str, str] | None:
        code = obj.status_code
        return {"code": code.code, "label": code.label} if code else None

    @extend_schema_field(TimerSerializer(many=True))
    def get_timers(self, obj: Referral) -> list[dict[str, Any]]:
        today = self.context.get("today") or timezone.localdate()
        return list(TimerSerializer(sla.timer_states(obj, today), many=True).data)

    @extend_schema_field(OpenApiTypes.INT)
    def get_resent_as(self, obj: Referral) -> int | None:
        return Referral.objects.filter(transferred_from=obj).values_list("pk", flat=True).first()


class ProviderReferralSerializer(PoliceReferralSerializer):
    """What the provider sees: everything, with the contact route and the clinical work."""

    contact = serializers.SerializerMethodField()
    contact_attempts = ContactAttemptSerializer(many=True, read_only=True)  # type: ignore[assignment]
    appointments = AppointmentSerializer(many=True, read_only=True)  # type: ignore[assignment]
    clinical_records = ClinicalRecordSerializer(source="clinical", many=True, read_only=True)
    top_entries = TopEntrySerializer(many=True, read_only=True)

    class Meta(PoliceReferralSerializer.Meta):
        fields = [
            *PoliceReferralSerializer.Meta.fields,
            "risk_notes",
            "safeguarding_notes",
            "consent_given",
            "lawful_basis",
            "policy_reference",
            "preferred_language",
            "contact",
            "age_at_referral",
            "proposed_service",
            "routing_reason",
            "allocated_to",
            "first_contact_on",
            "assessed_on",
            "treatment_started_on",
            "clinical_records",
            "top_entries",
        ]

    def get_party(self, obj: Referral) -> str:
        return str(Party.PROVIDER)

    @extend_schema_field(ContactRouteSerializer)
    def get_contact(self, obj: Referral) -> dict[str, Any]:
        return {
            "phone": obj.contact_phone,
            "address_line_1": obj.address_line_1,
            "address_line_2": obj.address_line_2,
            "address_town": obj.address_town,
            "address_postcode": obj.address_postcode,
            "release_plan": obj.release_plan,
            "channels": list(obj.contact_channels),
            "times": obj.contact_times,
        }


REFERRAL_DETAIL = PolymorphicProxySerializer(
    component_name="ReferralDetail",
    serializers=[ProviderReferralSerializer, PoliceReferralSerializer],
    resource_type_field_name=None,
)


# --- serializers: writing ---------------------------------------------------------------


def _choice(choices: Any, message: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A code from a fixed list; empty is passed on so that the service names what is missing."""
    return serializers.ChoiceField(
        choices=choices,
        allow_blank=True,
        default="",
        error_messages={"invalid_choice": message},
        **kwargs,
    )


class ReferralCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="The person's id (people API).")
    pathway = _choice(
        Pathway.choices, gettext_lazy("Choose the police contact the referral comes from")
    )
    reason = serializers.CharField(allow_blank=True, default="", max_length=4000)
    substances = serializers.ListField(
        child=serializers.CharField(max_length=40),
        default=list,
        help_text="Substance codes of the service directory.",
    )
    consent_given = serializers.BooleanField()
    lawful_basis = _choice(
        ConsentRecord.Basis.choices,
        gettext_lazy("Choose the lawful basis for sharing without consent"),
        help_text="Needed when consent_given is false.",
    )
    policy_reference = serializers.CharField(allow_blank=True, default="", max_length=120)
    preferred_language = _choice(Language.choices, gettext_lazy("Choose English or Welsh"))
    contact = ContactRouteSerializer()
    risk_notes = serializers.CharField(allow_blank=True, default="")
    safeguarding_notes = serializers.CharField(allow_blank=True, default="")
    source_reference = serializers.CharField(allow_blank=True, default="", max_length=40)
    county = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=9,
        help_text="ONS code; the person's current county when empty.",
    )
    service = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The directory service; the proposed one when empty.",
    )


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.CharField(max_length=20, help_text="A FHIR Task status.")
    code = serializers.CharField(
        allow_blank=True, allow_null=True, default="", max_length=40, help_text="A reason code."
    )
    reason = serializers.CharField(allow_blank=True, default="", max_length=4000)
    version = serializers.IntegerField(help_text="The referral's version you started from.")


class ContactAttemptCreateSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    channel = serializers.CharField(max_length=20)
    outcome = serializers.CharField(max_length=20)
    notes = serializers.CharField(allow_blank=True, default="")


class AppointmentCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20)
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(allow_blank=True, default="", max_length=200)


class AttendanceSerializer(serializers.Serializer):
    attendance = serializers.CharField(max_length=20, help_text="attended, dna or cancelled")
    version = serializers.IntegerField(help_text="The appointment's version you started from.")


class ClinicalRecordCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20, help_text="assessment or treatment_start")
    on = serializers.DateField()
    intervention = serializers.CharField(allow_blank=True, default="", max_length=120)
    notes = serializers.CharField(allow_blank=True, default="")


class TopEntryCreateSerializer(serializers.Serializer):
    stage = serializers.CharField(max_length=20, help_text="start, review, exit or post_exit")
    interview_date = serializers.DateField()
    main_substance = serializers.CharField(max_length=20)
    shared_equipment = serializers.BooleanField(allow_null=True, default=None)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name in (*TOP_DAY_FIELDS, *TOP_SCORE_FIELDS):
            fields[name] = serializers.IntegerField(allow_null=True, default=None)
        return fields


class ListFilterSerializer(serializers.Serializer):
    status = _choice(Status.choices, gettext_lazy("Choose a referral status"))
    county = serializers.CharField(allow_blank=True, default="", max_length=9)
    pathway = _choice(Pathway.choices, gettext_lazy("Choose a police contact"))
    breach = _choice(
        [(c, c) for c in BREACH_CHOICES],
        gettext_lazy("Choose any, first_contact, assessment or treatment"),
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class StaleSerializer(ErrorSerializer):
    version = serializers.IntegerField()


# --- helpers ----------------------------------------------------------------------------


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _messages(error: ValidationError) -> dict[str, Any]:
    """A service's ValidationError as DRF-style field errors (non-field ones under
    ``non_field_errors``)."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == "__all__" else name): messages
            for name, messages in error.message_dict.items()
        }
    body: dict[str, Any] = {"non_field_errors": error.messages}
    if error.code:
        body["code"] = error.code
    return body


def _codes(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return sorted({e.code or "invalid" for errs in error.error_dict.values() for e in errs})
    return sorted({e.code or "invalid" for e in error.error_list})


def _audit_refusal(request: Request, referral: Referral, error: ValidationError) -> None:
    """A refused change is a denial, like on the pages: which rule, never the input."""
    audit_request(
        request,
        AuditAction.DENIED,
        obj=referral,
        person_id=referral.person_id,
        reason=("refused: " + ", ".join(_codes(error)))[:200],
    )


def _refused(request: Request, referral: Referral, error: ValidationError) -> Response:
    _audit_refusal(request, referral, error)
    return Response(_messages(error), status=status.HTTP_400_BAD_REQUEST)


def _stale(
    request: Request,
    referral: Referral,
    error: StaleVersionError,
    record: Referral | Appointment | None = None,
) -> Response:
    _audit_refusal(request, referral, error)
    record = record or referral
    current = type(record).objects.filter(pk=record.pk).values_list("version", flat=True).first()
    return Response(
        {
            "detail": _(
                "Someone else changed this record after you read it, so nothing was saved. "
                "Read it again, check their changes, then send your request again with "
                "version %(version)s."
            )
            % {"version": current},
            "code": "stale_version",
            "version": current,
        },
        status=status.HTTP_409_CONFLICT,
    )


def _detail_queryset() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "person", "county", "provider", "service__organisation", "status_code"
    ).prefetch_related(
        "substances",
        Prefetch(
            "events", queryset=ReferralEvent.objects.select_related("code", "actor_organisation")
        ),
        "contact_attempts",
        "appointments",
    )


def detail_data(referral_id: int, user: User) -> dict[str, Any]:
    """The referral as the caller's party may see it (re-read after a change)."""
    context = {"today": timezone.localdate()}
    if services.party_of(user) == Party.PROVIDER:
        queryset = _detail_queryset().prefetch_related("clinical", "top_entries")
        referral = queryset.get(pk=referral_id)
        return dict(ProviderReferralSerializer(referral, context=context).data)
    referral = _detail_queryset().get(pk=referral_id)
    return dict(PoliceReferralSerializer(referral, context=context).data)


def _referral_in_scope(request: Request, pk: int, action: str = "change") -> Referral:
    """The referral, or 404 with the attempt audited (``scoped_get``)."""
    return scoped_get(request, Referral.objects.all(), pk, action, audit_read=False)


def _substances(codes: list[str]) -> tuple[Substance, ...]:
    found = tuple(Substance.objects.effective().filter(code__in=codes).order_by("code"))
    unknown = sorted(set(codes) - {s.code for s in found})
    if unknown:
        raise ValidationError(
            {
                "substances": [
                    _("“%(code)s” is not a known substance code") % {"code": code[:40]}
                    for code in unknown
                ]
            },
            code="unknown_substance",
        )
    return found


def _county(code: str) -> County | None:
    if not code:
        return None
    county = County.objects.effective().filter(ons_code=code).first()
    if county is None:
        raise ValidationError(
            {"county": [_("“%(code)s” is not a county of the force area") % {"code": code[:9]}]},
            code="unknown_county",
        )
    return county


def _referral_data(values: dict[str, Any]) -> services.ReferralData:
    contact = values["contact"]
    errors: dict[str, Any] = {}
    found: tuple[Substance, ...] = ()
    county = None
    try:
        found = _substances(values["substances"])
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        county = _county(values["county"])
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return services.ReferralData(
        pathway=values["pathway"],
        reason=values["reason"],
        substances=found,
        consent_given=values["consent_given"],
        lawful_basis=values["lawful_basis"],
        policy_reference=values["policy_reference"],
        preferred_language=values["preferred_language"],
        contact=ContactRoute(
            phone=contact["phone"],
            address_line_1=contact["address_line_1"],
            address_line_2=contact["address_line_2"],
            address_town=contact["address_town"],
            address_postcode=contact["address_postcode"],
            release_plan=contact["release_plan"],
            channels=list(contact["channels"]),
        ),
        contact_times=contact["times"],
        risk_notes=values["risk_notes"],
        safeguarding_notes=values["safeguarding_notes"],
        source_reference=values["source_reference"],
        county=county,
    )


def _create_errors(error: ValidationError) -> dict[str, Any]:
    """The create service's field names mapped onto the request body (``contact.*``)."""
    body = _messages(error)
    contact: dict[str, Any] = {}
    for service_name, api_name in CONTACT_FIELDS.items():
        if service_name in body:
            contact[api_name] = body.pop(service_name)
    # The route as a whole (no phone, address or release plan) is a contact error too.
    if "non_field_errors" in body and hasattr(error, "error_dict"):
        contact["non_field_errors"] = body.pop("non_field_errors")
    if contact:
        body["contact"] = contact
    return body


def _proposed_service_id(person: Person, data: services.ReferralData) -> int:
    cleaned = services.check_referral_data(data, person)
    option = routing.proposal(routing.route(services.need_for(person, cleaned)))
    if option is None:
        raise ValidationError(
            {"service": [_("No service can take this referral: choose one from the directory")]},
            code="no_service",
        )
    return option.service.pk


# --- views ------------------------------------------------------------------------------

IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    description=(
        "A key you make for this referral (for example a UUID). Sending the same key again "
        "returns the referral already made (200) instead of making another."
    ),
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Not found, or outside your scope.")
REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Refused: the service's messages, by field."
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Your role may not do this.")
STALE = OpenApiResponse(
    StaleSerializer, description="Someone else changed the record: read it again."
)


class ReferralList(generics.GenericAPIView):
    serializer_class = ReferralSummarySerializer
    required_permission = "referrals.view"

    def get_queryset(self) -> QuerySet[Referral]:
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        return restrict(Referral.objects.all(), self.request.user, "view")

    @extend_schema(
        summary="Referrals you may see",
        description=(
            "Providers: referrals to your organisation (caseworkers: in your counties). "
            "Officers: the referrals you made; supervisors: those of your area. Newest first, "
            "paginated. Filters: status (FHIR Task status), county (ONS code), pathway, "
            "breach (any, first_contact, assessment or treatment)."
        ),
        parameters=[ListFilterSerializer],
        responses={200: ReferralSummarySerializer(many=True), 400: REFUSED},
    )
    def get(self, request: Request) -> Response:
        filters = ListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        chosen = filters.validated_data
        today = timezone.localdate()
        queryset = cast("QuerySet[Referral]", sla.with_clock(self.get_queryset(), today))
        if chosen["status"]:
            queryset = queryset.filter(status=chosen["status"])
        if chosen["county"]:
            queryset = queryset.filter(county__ons_code=chosen["county"])
        if chosen["pathway"]:
            queryset = queryset.filter(pathway=chosen["pathway"])
        if chosen["breach"]:
            timer = None if chosen["breach"] == "any" else chosen["breach"]
            queryset = queryset.filter(sla.breach_q(today, timer))
        queryset = (
            queryset.select_related("county", "status_code")
            .defer("county__boundary")
            .order_by("-sent_at", "-pk")
        )
        described = ", ".join(f"{k}={v}" for k, v in sorted(chosen.items()) if v) or "none"
        audit_request(
            request,
            AuditAction.READ,
            object_type="referrals.referral",
            reason=f"api list filters: {described}"[:200],
        )
        page = self.paginate_queryset(queryset)
        context = {"today": today}
        serializer = ReferralSummarySerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        summary="Send a referral",
        description=(
            "Police referring roles. Refused (400, by field) until the referral has a working "
            "contact route and everything else it needs; the service is the proposed one "
            "unless you choose another eligible one. Send an Idempotency-Key: a retry with "
            "the same key returns the referral already made (200)."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=ReferralCreateSerializer,
        responses={
            201: PoliceReferralSerializer,
            200: OpenApiResponse(PoliceReferralSerializer, description="A retry: the same one."),
            400: REFUSED,
            403: FORBIDDEN,
        },
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        require_permission(user, "referrals.create")
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key:
            return Response(
                {
                    "detail": _(
                        "Send an Idempotency-Key header (for example a new UUID) so that a "
                        "retried request cannot make the referral twice"
                    ),
                    "code": "idempotency_key_required",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if len(key) > 80:
            return Response(
                {
                    "detail": _("The Idempotency-Key must be 80 characters or fewer"),
                    "code": "idempotency_key_too_long",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        body = ReferralCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        person = (
            restrict(Person.objects.all(), user, "view")
            .filter(pk=values["person"], is_active=True)
            .first()
        )
        if person is None:
            audit_request(
                request,
                AuditAction.DENIED,
                object_type="people.person",
                object_id=str(values["person"])[:64],
                reason="out of scope: refer",
            )
            return Response(
                {"person": [_("There is no person with this id that you may refer")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            data = _referral_data(values)
            service_id = values["service"] or _proposed_service_id(person, data)
            referral, created = services.referral_create(
                context=AuditContext.from_request(request),
                actor=user,
                person_id=person.pk,
                data=data,
                service_id=service_id,
                idempotency_key=key,
            )
        except ValidationError as error:
            audit_request(
                request,
                AuditAction.DENIED,
                object_type="referrals.referral",
                person_id=person.pk,
                reason=("referral refused: " + ", ".join(_codes(error)))[:200],
            )
            return Response(_create_errors(error), status=status.HTTP_400_BAD_REQUEST)
        if not created:
            audit_request(
                request,
                AuditAction.READ,
                obj=referral,
                person_id=referral.person_id,
                reason="api: repeated Idempotency-Key",
            )
        return Response(
            detail_data(referral.pk, user),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ReferralDetail(generics.GenericAPIView):
    serializer_class = PoliceReferralSerializer
    required_permission = "referrals.view"

    @extend_schema(
        summary="One referral",
        description=(
            "Providers see everything, with the contact route and the clinical work; the "
            "police see status, timers, outcome and history, never clinical detail. A "
            "provider's first read marks a new referral received. Outside your scope: 404 "
            "(audited). Every read is audited."
        ),
        responses={200: REFERRAL_DETAIL, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        referral = _referral_in_scope(request, pk, "view")
        audit_request(request, AuditAction.READ, obj=referral, person_id=referral.person_id)
        if services.party_of(user) == Party.PROVIDER:
            services.referral_mark_received(
                context=AuditContext.from_request(request), actor=user, referral_id=referral.pk
            )
        return Response(detail_data(referral.pk, user))


class ReferralTransition(generics.GenericAPIView):
    serializer_class = TransitionSerializer
    required_permission = "referrals.view"

    @extend_schema(
        summary="Move a referral",
        description=(
            "Providers accept, reject, hold, resume and close; the police withdraw "
            "(to_status cancelled with a police reason code). The moves and codes allowed "
            "are those of the lifecycle table and the code registry (/referrals/codes/)."
        ),
        request=TransitionSerializer,
        responses={
            200: REFERRAL_DETAIL,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        referral = _referral_in_scope(request, pk)
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        try:
            services.referral_transition(
                context=AuditContext.from_request(request),
                actor=user,
                referral_id=referral.pk,
                expected_version=values["version"],
                to_status=values["to_status"],
                code=values["code"] or None,
                reason=values["reason"],
            )
        except StaleVersionError as error:
            return _stale(request, referral, error)
        except ValidationError as error:
            return _refused(request, referral, error)
        return Response(detail_data(referral.pk, user))


class _ProviderWork(generics.GenericAPIView):
    """A piece of provider work on one referral: validate, call the service, answer 201."""

    required_permission = "referrals.work"
    input_class: ClassVar[type[serializers.Serializer]]

    def save(self, user: User, context: AuditContext, referral: Referral, values: Any) -> Any:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        referral = _referral_in_scope(request, pk)
        body = self.input_class(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            made = self.save(
                _user(request), AuditContext.from_request(request), referral, body.validated_data
            )
        except ValidationError as error:
            return _refused(request, referral, error)
        output = self.get_serializer_class()
        return Response(output(made).data, status=status.HTTP_201_CREATED)


WORK_RESPONSES = {400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND}


class ContactAttemptCreate(_ProviderWork):
    serializer_class = ContactAttemptSerializer
    input_class = ContactAttemptCreateSerializer

    @extend_schema(
        summary="Record a contact attempt",
        description="The first attempt meets the first-contact timer; speaking to the person "
        "starts the work (accepted -> in-progress).",
        request=ContactAttemptCreateSerializer,
        responses={201: ContactAttemptSerializer, **WORK_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def save(self, user: User, context: AuditContext, referral: Referral, values: Any) -> Any:
        return services.contact_attempt_add(
            context=context,
            actor=user,
            referral_id=referral.pk,
            at=values["at"],
            channel=values["channel"],
            outcome=values["outcome"],
            notes=values["notes"],
        )


class AppointmentCreate(_ProviderWork):
    serializer_class = AppointmentSerializer
    input_class = AppointmentCreateSerializer

    @extend_schema(
        summary="Book an appointment",
        request=AppointmentCreateSerializer,
        responses={201: AppointmentSerializer, **WORK_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def save(self, user: User, context: AuditContext, referral: Referral, values: Any) -> Any:
        return services.appointment_book(
            context=context,
            actor=user,
            referral_id=referral.pk,
            kind=values["kind"],
            starts_at=values["starts_at"],
            place=values["place"],
        )


class ClinicalRecordCreate(_ProviderWork):
    serializer_class = ClinicalRecordSerializer
    input_class = ClinicalRecordCreateSerializer

    @extend_schema(
        summary="Record the assessment or the treatment start",
        description="Clinical: the provider's alone, never shown to the police.",
        request=ClinicalRecordCreateSerializer,
        responses={201: ClinicalRecordSerializer, **WORK_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def save(self, user: User, context: AuditContext, referral: Referral, values: Any) -> Any:
        return services.clinical_record_add(
            context=context,
            actor=user,
            referral_id=referral.pk,
            kind=values["kind"],
            on=values["on"],
            intervention=values["intervention"],
            notes=values["notes"],
        )


class TopEntryCreate(_ProviderWork):
    serializer_class = TopEntrySerializer
    input_class = TopEntryCreateSerializer

    @extend_schema(
        summary="Record a Treatment Outcomes Profile",
        description="Days in the past 28 (0-28) and scores (0-20); null means not disclosed. "
        "The start profile comes first; review and exit follow it.",
        request=TopEntryCreateSerializer,
        responses={201: TopEntrySerializer, **WORK_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def save(self, user: User, context: AuditContext, referral: Referral, values: Any) -> Any:
        return services.top_record(
            context=context,
            actor=user,
            referral_id=referral.pk,
            stage=values["stage"],
            interview_date=values["interview_date"],
            main_substance=values["main_substance"],
            values={k: values[k] for k in (*TOP_DAY_FIELDS, *TOP_SCORE_FIELDS, "shared_equipment")},
        )


class AppointmentAttendance(generics.GenericAPIView):
    serializer_class = AppointmentSerializer
    required_permission = "referrals.work"

    @extend_schema(
        summary="Record attendance",
        description="Attended, did not attend (the police are alerted) or cancelled.",
        request=AttendanceSerializer,
        responses={200: AppointmentSerializer, **WORK_RESPONSES, 409: STALE},
    )
    def post(self, request: Request, pk: int, aid: int) -> Response:
        referral = _referral_in_scope(request, pk)
        appointment = scoped_get(
            request,
            Appointment.objects.filter(referral=referral),
            aid,
            "change",
            audit_read=False,
        )
        body = AttendanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            appointment = services.appointment_record_attendance(
                context=AuditContext.from_request(request),
                actor=_user(request),
                appointment_id=appointment.pk,
                expected_version=body.validated_data["version"],
                attendance=body.validated_data["attendance"],
            )
        except StaleVersionError as error:
            return _stale(request, referral, error, appointment)
        except ValidationError as error:
            return _refused(request, referral, error)
        return Response(AppointmentSerializer(appointment).data)


class ReferralCodeList(generics.ListAPIView):
    serializer_class = ReferralCodeSerializer
    required_permission = "referrals.view"
    pagination_class = None

    @extend_schema(
        summary="The reason code registry",
        description=(
            "Every reason code: the move it explains (kind), the status it leads to, who may "
            "choose it, whether the service-level timer stops, who acts next, and whether a "
            "closure is planned. Codes no longer in use have valid_to set."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ReferralCode]:
        return ReferralCode.objects.order_by("kind", "sort_order", "code")
