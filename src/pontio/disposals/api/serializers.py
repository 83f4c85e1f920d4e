"""What the disposals API shows. The person is named by their Pontio person id only (their
details are the people API's, audited there); reference data by code. The victim's own
words and the breach details stay on the pages (read there, audited there)."""

from __future__ import annotations

from rest_framework import serializers

from pontio.disposals.models import (
    ContractCondition,
    ContractEvent,
    Disposal,
    DisposalCondition,
    DisposalEvent,
    DiversionContract,
    GravityFactor,
    NeedsAssessment,
    PathwayScore,
    ProgressReview,
)


class DisposalSummarySerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    county = serializers.CharField(source="county.ons_code")
    offence = serializers.CharField(source="offence.code")
    disposal_type = serializers.CharField(
        source="disposal_type.code", default=None, allow_null=True
    )

    class Meta:
        model = Disposal
        fields = [
            "id",
            "reference",
            "person",
            "county",
            "offence",
            "offence_date",
            "gravity_score",
            "recommended_outcome",
            "outcome",
            "disposal_type",
            "state",
            "decided_at",
            "compliance_due",
            "version",
        ]


class DisposalConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisposalCondition
        fields = [
            "id",
            "kind",
            "category",
            "description",
            "hours",
            "amount_pence",
            "due_date",
            "responsible",
            "status",
            "status_recorded_at",
            "referral",
            "version",
        ]


class DisposalEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisposalEvent
        fields = ["from_state", "to_state", "at", "reason"]


class DisposalDetailSerializer(DisposalSummarySerializer):
    recommended_type = serializers.CharField(
        source="recommended_type.code", default=None, allow_null=True
    )
    factors: serializers.SlugRelatedField[GravityFactor] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    conditions = DisposalConditionSerializer(many=True, read_only=True)
    events = DisposalEventSerializer(many=True, read_only=True)

    class Meta(DisposalSummarySerializer.Meta):
        fields = [
            *DisposalSummarySerializer.Meta.fields,
            "source_reference",
            "age_at_decision",
            "admission",
            "evidence_to_charge",
            "previous_disposals",
            "base_score",
            "factors",
            "victim_views",
            "recommended_type",
            "recommendation_reason",
            "decision_rationale",
            "authorised_at",
            "signed_at",
            "breach_route",
            "closed_at",
            "conditions",
            "events",
        ]


class ContractSummarySerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    county = serializers.CharField(source="county.ons_code")
    scheme = serializers.CharField(source="scheme.code")
    organisation = serializers.IntegerField(source="organisation_id")
    navigator = serializers.IntegerField(source="navigator_id", allow_null=True)
    disposal = serializers.CharField(source="disposal.reference", default=None, allow_null=True)

    class Meta:
        model = DiversionContract
        fields = [
            "id",
            "reference",
            "person",
            "county",
            "scheme",
            "organisation",
            "navigator",
            "disposal",
            "state",
            "referred_at",
            "starts_on",
            "ends_on",
            "next_review_due",
            "version",
        ]


class ContractConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractCondition
        fields = ["id", "kind", "pathway", "description", "hours", "status", "version"]


class PathwayScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = PathwayScore
        fields = ["pathway", "score"]


class NeedsAssessmentSerializer(serializers.ModelSerializer):
    scores = PathwayScoreSerializer(many=True, read_only=True)

    class Meta:
        model = NeedsAssessment
        fields = ["stage", "assessed_on", "scores"]


class ProgressReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReview
        fields = ["reviewed_on", "on_track", "summary"]


class ContractEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractEvent
        fields = ["from_state", "to_state", "at", "reason"]


class ContractDetailSerializer(ContractSummarySerializer):
    conditions = ContractConditionSerializer(many=True, read_only=True)
    assessments = NeedsAssessmentSerializer(many=True, read_only=True)
    reviews = ProgressReviewSerializer(many=True, read_only=True)
    events = ContractEventSerializer(many=True, read_only=True)

    class Meta(ContractSummarySerializer.Meta):
        fields = [
            *ContractSummarySerializer.Meta.fields,
            "eligibility",
            "failure_route",
            "outcome_reason",
            "closed_at",
            "conditions",
            "assessments",
            "reviews",
            "events",
        ]
