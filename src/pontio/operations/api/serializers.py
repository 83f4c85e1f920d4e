"""Serializers of the operations API (read only; the pages write through the services)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pontio.operations.models import Operation


class OperationSummarySerializer(serializers.ModelSerializer):
    counties: serializers.SlugRelatedField = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="ons_code"
    )
    lead = serializers.CharField(source="lead.get_full_name", read_only=True)

    class Meta:
        model = Operation
        fields = [
            "id",
            "reference",
            "code_name",
            "phase",
            "counties",
            "lead",
            "planning_started_at",
            "covert_started_at",
            "enforcement_started_at",
            "aftercare_started_at",
            "closed_at",
            "forecast_shared_at",
            "version",
        ]


class ForecastRowSerializer(serializers.Serializer):
    county = serializers.CharField()
    week_starting = serializers.DateField()
    forecast_referrals = serializers.IntegerField()
    actual_referrals = serializers.IntegerField()
    forecast_safeguarding = serializers.IntegerField()
    actual_safeguarding = serializers.IntegerField()


class BriefingSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.name")
    recipient = serializers.CharField()
    briefed_at = serializers.DateTimeField()
    level = serializers.CharField()
    shared = serializers.CharField()


class MeetingSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    level = serializers.CharField()
    # A method, not a related field: this serializer has no model for the schema to read.
    organisations = serializers.SerializerMethodField()
    other_attendees = serializers.CharField()
    summary = serializers.CharField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_organisations(self, meeting: Any) -> list[str]:
        return [organisation.name for organisation in meeting.organisations.all()]


class OperationDetailSerializer(OperationSummarySerializer):
    objective = serializers.CharField()
    # Attached by the view, each read through restrict().
    briefings = BriefingSerializer(many=True, read_only=True, source="briefings_shown")
    meetings = MeetingSerializer(many=True, read_only=True, source="meetings_shown")
    demand = ForecastRowSerializer(many=True, read_only=True, source="demand_rows")

    class Meta(OperationSummarySerializer.Meta):
        fields = [
            *OperationSummarySerializer.Meta.fields,
            "objective",
            "briefings",
            "meetings",
            "demand",
        ]


class SeizureTotalSerializer(serializers.Serializer):
    drug = serializers.CharField()
    seizures = serializers.IntegerField(allow_null=True)
    street_value_pence = serializers.IntegerField()
    quantities = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2)
    )


class ResultsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    county = serializers.CharField(allow_blank=True)
    operations = serializers.IntegerField(allow_null=True)
    arrests = serializers.IntegerField(allow_null=True)
    charges = serializers.IntegerField(allow_null=True)
    convictions = serializers.IntegerField(allow_null=True)
    street_value_pence = serializers.IntegerField()
    seizures = SeizureTotalSerializer(many=True)
    suppressed = serializers.ListField(child=serializers.CharField())
