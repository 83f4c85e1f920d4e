"""What the intelligence API gives out: the assessment, never the original text or the
submitter (the original stays on the assessment screen, for intelligence officers)."""

from __future__ import annotations

from rest_framework import serializers

from pontio.intelligence.models import IntelligenceReport, ReportAction


class ReportSummarySerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.ons_code", read_only=True)

    class Meta:
        model = IntelligenceReport
        fields = [
            "id",
            "reference",
            "channel",
            "received_at",
            "county",
            "status",
            "scheme",
            "source_code",
            "information_code",
            "handling_code",
            "priority",
        ]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportAction
        fields = ["action", "result", "recorded_at"]
        read_only_fields = fields


class ReportDetailSerializer(ReportSummarySerializer):
    actions = ActionSerializer(many=True, read_only=True)

    class Meta(ReportSummarySerializer.Meta):
        fields = [
            *ReportSummarySerializer.Meta.fields,
            "area",
            "when_seen",
            "how_known",
            "sanitised_text",
            "priority_reason",
            "graded_at",
            "actions",
        ]
        read_only_fields = fields
