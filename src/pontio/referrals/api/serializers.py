"""Serializers of the referrals API: what each party reads, and the bodies it sends.

Bodies are parsed here (types, choices); the rules are the services' (free text is limited
there, for the pages and the API alike, with the same message).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from pontio.people.models import ConsentRecord, Language, Person
from pontio.referrals import selectors, sla
from pontio.referrals.models import (
    Appointment,
    AppointmentChange,
    ClinicalRecord,
    ContactAttempt,
    Party,
    Pathway,
    Referral,
    ReferralCode,
    ReferralEvent,
    TopEntry,
)
from pontio.referrals.services import CONTACT_FIELDS, MAX_TEXT, TOP_DAY_FIELDS, TOP_SCORE_FIELDS

LONG_TEXT = f"Free text, at most {MAX_TEXT} characters."


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
            "evidence",
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
    # Null for a move that needs no reason code (received, accepted, in progress).
    code: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    organisation = serializers.CharField(
        source="actor_organisation.name", default="", read_only=True
    )

    class Meta:
        model = ReferralEvent
        fields = ["at", "from_status", "to_status", "code", "reason", "organisation"]


class ProviderEventSerializer(EventSerializer):
    """A move as the provider sees it: with its own note (never sent to the police)."""

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "note"]


class PoliceContactAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactAttempt
        fields = ["at", "channel", "outcome"]


class PoliceAppointmentSerializer(serializers.ModelSerializer):
    """The police see how an appointment happens and that (and when) it was rescheduled,
    never where or why: the provider's reason may be clinical."""

    rescheduled = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = ["starts_at", "kind", "mode", "attendance", "rescheduled"]

    @extend_schema_field(serializers.ListField(child=serializers.DateTimeField()))
    def get_rescheduled(self, obj: Appointment) -> list[str]:
        field = serializers.DateTimeField()
        return [field.to_representation(c.at) for c in obj.changes.all()]


class AppointmentChangeSerializer(serializers.ModelSerializer):
    actor: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = AppointmentChange
        fields = [
            "id",
            "at",
            "actor",
            "from_starts_at",
            "to_starts_at",
            "from_mode",
            "to_mode",
            "from_place",
            "to_place",
            "reason",
        ]


class ReferralVersionMixin(serializers.Serializer):
    """The referral's version after the change (a later transition must name it)."""

    referral_version = serializers.SerializerMethodField()

    def get_referral_version(self, obj: Any) -> int:
        # The service keeps the locked referral on the record it made, with its new version.
        return int(obj.referral.version)


class ContactAttemptSerializer(ReferralVersionMixin, serializers.ModelSerializer):
    class Meta:
        model = ContactAttempt
        fields = ["id", "at", "channel", "outcome", "notes", "recorded_at", "referral_version"]


class AppointmentSerializer(ReferralVersionMixin, serializers.ModelSerializer):
    changes = AppointmentChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "kind",
            "starts_at",
            "mode",
            "place",
            "attendance",
            "changes",
            "version",
            "referral_version",
        ]


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
    release_plan = serializers.CharField(allow_blank=True, default="", help_text=LONG_TEXT)
    channels = serializers.ListField(
        child=serializers.CharField(max_length=20),
        default=list,
        help_text="phone, text, letter, visit, email or in_person",
    )
    times = serializers.CharField(allow_blank=True, default="", max_length=200)
    email = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=254,
        help_text="The address the person gave for email (needed with the email way)",
    )


class ReferralSummarySerializer(serializers.ModelSerializer):
    """One row of a list."""

    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    # Null until a move with a reason code (rejection, hold, closure) has been made.
    status_code: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
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
            "outcome_against_reason",
            "outcome_summary",
            "timers",
            "events",
            "contact_attempts",
            "appointments",
            "transferred_from",
            "resent_as",
            "version",
        ]

    # One value per side: the description's oneOf then matches exactly one of the two
    # (a provider's answer has every police field too) and the field is its discriminator.
    @extend_schema_field({"type": "string", "enum": [Party.POLICE.value]})
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

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_resent_as(self, obj: Referral) -> int | None:
        """The referral this one was sent again as, if the caller may see it."""
        found = selectors.resent_as(obj, self.context["user"])
        return found.pk if found else None


class ProviderReferralSerializer(PoliceReferralSerializer):
    """What the provider sees: everything, with the contact route and the clinical work."""

    contact = serializers.SerializerMethodField()
    events = ProviderEventSerializer(many=True, read_only=True)
    contact_attempts = ContactAttemptSerializer(many=True, read_only=True)  # type: ignore[assignment]
    appointments = AppointmentSerializer(many=True, read_only=True)  # type: ignore[assignment]
    clinical_records = ClinicalRecordSerializer(source="clinical", many=True, read_only=True)
    top_entries = TopEntrySerializer(many=True, read_only=True)

    class Meta(PoliceReferralSerializer.Meta):
        fields = [
            *PoliceReferralSerializer.Meta.fields,
            "risk_notes",
            "safeguarding_notes",
            "support_needs",
            "interpreter_language",
            "accessibility_needs",
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

    @extend_schema_field({"type": "string", "enum": [Party.PROVIDER.value]})
    def get_party(self, obj: Referral) -> str:
        return str(Party.PROVIDER)

    @extend_schema_field(ContactRouteSerializer)
    def get_contact(self, obj: Referral) -> dict[str, Any]:
        route: dict[str, Any] = {name: getattr(obj, kept) for name, kept in CONTACT_FIELDS.items()}
        route["channels"] = list(route["channels"])
        route["times"] = obj.contact_times
        return route


REFERRAL_DETAIL = PolymorphicProxySerializer(
    component_name="ReferralDetail",
    serializers={
        Party.PROVIDER.value: ProviderReferralSerializer,
        Party.POLICE.value: PoliceReferralSerializer,
    },
    resource_type_field_name="party",
)


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
    reason = serializers.CharField(allow_blank=True, default="", help_text=LONG_TEXT)
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
    risk_notes = serializers.CharField(allow_blank=True, default="", help_text=LONG_TEXT)
    safeguarding_notes = serializers.CharField(allow_blank=True, default="", help_text=LONG_TEXT)
    support_needs = serializers.CharField(allow_blank=True, default="", help_text=LONG_TEXT)
    interpreter_language = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=60,
        help_text="The language the person needs an interpreter for, if any.",
    )
    accessibility_needs = serializers.CharField(allow_blank=True, default="", help_text=LONG_TEXT)
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
    reason = serializers.CharField(
        allow_blank=True,
        default="",
        help_text=f"{LONG_TEXT} Shown to the police for their own moves and a rejection; kept "
        "to the provider (its note) when the provider holds, resumes or closes.",
    )
    outcome_against_reason = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=10,
        help_text="When the provider closes: achieved, partly or not (how far the support met "
        "the reason for the referral). Optional in v1; not asked for a neutral closure.",
    )
    outcome_summary = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="When the provider closes: plain words for the police, never clinical "
        "detail, at most 1000 characters. Shown to the referring officer.",
    )
    version = serializers.IntegerField(help_text="The referral's version you started from.")


class ContactAttemptCreateSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    channel = serializers.CharField(max_length=20)
    outcome = serializers.CharField(max_length=20)
    notes = serializers.CharField(allow_blank=True, default="", help_text=LONG_TEXT)


class AppointmentCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20)
    starts_at = serializers.DateTimeField()
    mode = serializers.CharField(
        default=Appointment.Mode.IN_PERSON, max_length=20, help_text="in_person, phone or video"
    )
    place = serializers.CharField(allow_blank=True, default="", max_length=200)


class RescheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    mode = serializers.CharField(max_length=20, help_text="in_person, phone or video")
    place = serializers.CharField(
        allow_blank=True, default="", max_length=200, help_text="Optional for every way."
    )
    reason = serializers.CharField(
        allow_blank=True,
        default="",
        help_text=f"Required. {LONG_TEXT} Kept to the provider; the police see only that the "
        "appointment was rescheduled and when.",
    )
    version = serializers.IntegerField(help_text="The appointment's version you started from.")


class AttendanceSerializer(serializers.Serializer):
    attendance = serializers.CharField(
        max_length=20, help_text="attended, left_early, dna or cancelled"
    )
    version = serializers.IntegerField(help_text="The appointment's version you started from.")


class ClinicalRecordCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20, help_text="assessment or treatment_start")
    on = serializers.DateField()
    intervention = serializers.CharField(allow_blank=True, default="", max_length=120)
    notes = serializers.CharField(allow_blank=True, default="", help_text=LONG_TEXT)


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


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class StaleSerializer(ErrorSerializer):
    version = serializers.IntegerField()
