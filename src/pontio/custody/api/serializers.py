"""What the custody API shows and takes. The detainee is named by their Pontio person id
only (their details are the people API's, audited there); no clinical detail of the
referral travels here: its reference and status only."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from pontio.custody.models import (
    AssessmentEvent,
    AssessmentState,
    BreachTask,
    CustodyRecord,
    DrugTest,
    RecordOffence,
    RequiredAssessment,
)


class RecordOffenceSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="offence.code")
    label = serializers.CharField(source="offence.label_en")  # type: ignore[assignment]
    trigger = serializers.BooleanField(source="offence.trigger")

    class Meta:
        model = RecordOffence
        fields = ["code", "label", "trigger", "state", "class_a_involved", "charged_at"]


class DrugTestSerializer(serializers.ModelSerializer):
    effective_result = serializers.CharField(read_only=True)
    refusal_offence = serializers.BooleanField(read_only=True)

    class Meta:
        model = DrugTest
        fields = [
            "stage",
            "warning_given",
            "requested_at",
            "outcome",
            "refused_at",
            "sample_taken_at",
            "result",
            "disputed",
            "confirmatory_result",
            "effective_result",
            "refusal_offence",
            "version",
        ]


class AssessmentEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentEvent
        fields = ["at", "from_state", "to_state", "notice_kind"]


class BreachTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = BreachTask
        fields = ["id", "stage", "failure", "appointment_at", "due_on", "decision", "decided_at"]


class AssessmentSerializer(serializers.ModelSerializer):
    record = serializers.IntegerField(source="record_id")
    referral_reference = serializers.SerializerMethodField()
    referral_status = serializers.SerializerMethodField()
    events = AssessmentEventSerializer(many=True, read_only=True)
    # Only the police read the failure-to-attend tasks (the view leaves them out for provider
    # staff), so the description must not say every answer has them. Not read_only: that
    # would make drf-spectacular list it as required; this serializer never reads a body.
    breach_tasks = BreachTaskSerializer(many=True, required=False)

    class Meta:
        model = RequiredAssessment
        fields = [
            "id",
            "record",
            "state",
            "appointment_at",
            "appointment_place",
            "imposed_at",
            "referral_reference",
            "referral_status",
            "events",
            "breach_tasks",
            "version",
        ]

    def get_referral_reference(self, obj: RequiredAssessment) -> str:
        return obj.referral.reference if obj.referral_id else ""  # type: ignore[union-attr]

    def get_referral_status(self, obj: RequiredAssessment) -> str:
        return obj.referral.status if obj.referral_id else ""  # type: ignore[union-attr]


class RecordSummarySerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    suite = serializers.CharField(source="suite.code")
    county = serializers.CharField(source="suite.county.ons_code")
    assessment_state = serializers.SerializerMethodField()
    test_outcome = serializers.SerializerMethodField()

    class Meta:
        model = CustodyRecord
        fields = [
            "id",
            "custody_number",
            "person",
            "suite",
            "county",
            "arrested_at",
            "age_at_arrest",
            "test_outcome",
            "assessment_state",
            "version",
        ]

    def _part(self, obj: CustodyRecord, name: str) -> Any:
        try:
            return getattr(obj, name)
        except (DrugTest.DoesNotExist, RequiredAssessment.DoesNotExist):
            return None

    def get_assessment_state(self, obj: CustodyRecord) -> str:
        assessment = self._part(obj, "assessment")
        return assessment.state if assessment else ""

    def get_test_outcome(self, obj: CustodyRecord) -> str:
        test = self._part(obj, "test")
        if test is None:
            return "not_requested"
        return test.outcome or "requested"


class RecordDetailSerializer(RecordSummarySerializer):
    offences = RecordOffenceSerializer(source="record_offences", many=True, read_only=True)
    test = serializers.SerializerMethodField()
    assessment = serializers.SerializerMethodField()

    class Meta(RecordSummarySerializer.Meta):
        fields = [
            *RecordSummarySerializer.Meta.fields,
            "appropriate_adult_name",
            "appropriate_adult_relationship",
            "offences",
            "test",
            "assessment",
        ]

    def get_test(self, obj: CustodyRecord) -> dict[str, Any] | None:
        test = self._part(obj, "test")
        return dict(DrugTestSerializer(test).data) if test else None

    def get_assessment(self, obj: CustodyRecord) -> dict[str, Any] | None:
        assessment = self._part(obj, "assessment")
        return dict(AssessmentSerializer(assessment).data) if assessment else None


class OffenceEntrySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    class_a_involved = serializers.BooleanField(required=False, allow_null=True, default=None)


class RecordCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="The Pontio person id of the detainee.")
    custody_number = serializers.CharField(max_length=40)
    suite = serializers.CharField(max_length=40, help_text="The custody suite's code.")
    arrested_at = serializers.DateTimeField()
    offences = OffenceEntrySerializer(many=True)
    appropriate_adult_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    appropriate_adult_relationship = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )


ACTIONS = [
    ("vary", "Change the appointment (RA2)"),
    ("followup_required", "Follow-up assessment required (RA4)"),
    ("followup_not_required", "Follow-up assessment not required (RA5)"),
]


class AssessmentTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    version = serializers.IntegerField(
        min_value=1,
        help_text=(
            "vary: the custody record's version; followup_*: the assessment's version "
            "(the version each was read with)."
        ),
    )
    appointment_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    appointment_place = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


STATES = [state for state, _label in AssessmentState.choices]
