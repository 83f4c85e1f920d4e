"""What the oversight API shows and accepts.

The tracker holds no personal data: a recommendation names its owner by organisation and
post. Free text is given in English and in Welsh side by side (``*_en``, ``*_cy``; an empty
Welsh text is untranslated), as the records keep it, so a partner publishes either. Boards
and organisations are named as well as numbered, so a reader needs no second call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pontio.oversight.models import (
    Board,
    EvidenceLink,
    PanelReport,
    PositionUpdate,
    Rag,
    Recommendation,
    Review,
)

# How many evidence links one position may carry through the API.
MAX_EVIDENCE = 10


class RecommendationSummarySerializer(serializers.ModelSerializer):
    owner_organisation = serializers.CharField(source="owner_organisation.name")
    board_name = serializers.CharField(source="board.name_en")
    next_update_due = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "review",
            "number",
            "text_en",
            "text_cy",
            "owner_organisation",
            "owner_post",
            "board",
            "board_name",
            "due_on",
            "rag",
            "last_position_on",
            "next_update_due",
            "version",
        ]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_next_update_due(self, obj: Recommendation) -> dt.date | None:
        return obj.next_update_due()


class ReviewSummarySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    # Plain text in the schema: another app's "kind" already names an enum.
    kind = serializers.CharField(read_only=True, help_text="deep_dive, inspection or death_review.")

    class Meta:
        model = Review
        fields = ["id", "kind", "title_en", "title_cy", "published_on", "organisation", "version"]


class ReviewDetailSerializer(ReviewSummarySerializer):
    """The review with its recommendations (given in the context, already scoped)."""

    recommendations = serializers.SerializerMethodField()

    class Meta(ReviewSummarySerializer.Meta):
        fields = [
            *ReviewSummarySerializer.Meta.fields,
            "purpose_en",
            "purpose_cy",
            "executive_summary_en",
            "executive_summary_cy",
            "outcome_en",
            "outcome_cy",
            "situation_en",
            "situation_cy",
            "recommendations",
        ]

    @extend_schema_field(RecommendationSummarySerializer(many=True))
    def get_recommendations(self, obj: Review) -> list[dict[str, Any]]:
        rows = self.context.get("recommendations", [])
        return list(RecommendationSummarySerializer(rows, many=True).data)


class EvidenceLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceLink
        fields = ["label", "url"]


class PositionSerializer(serializers.ModelSerializer):
    reported_to_name = serializers.CharField(
        source="reported_to.name_en", default=None, allow_null=True
    )
    evidence = EvidenceLinkSerializer(many=True, read_only=True)

    class Meta:
        model = PositionUpdate
        fields = [
            "id",
            "recommendation",
            "as_of",
            "rag",
            "text_en",
            "text_cy",
            "reported_to",
            "reported_to_name",
            "evidence",
            "entered_at",
        ]


class RecommendationDetailSerializer(RecommendationSummarySerializer):
    """The recommendation with its positions, oldest first (the RAG history)."""

    review_title_en = serializers.CharField(source="review.title_en")
    positions = PositionSerializer(many=True, read_only=True)

    class Meta(RecommendationSummarySerializer.Meta):
        fields = [
            *RecommendationSummarySerializer.Meta.fields,
            "review_title_en",
            "update_every_days",
            "positions",
        ]


class EvidenceBody(serializers.Serializer):
    label = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)  # type: ignore[assignment]
    url = serializers.URLField(max_length=500)


class PositionBody(serializers.Serializer):
    as_of = serializers.DateField(help_text="The date the position was reported (YYYY-MM-DD).")
    rag = serializers.ChoiceField(choices=Rag.choices)
    text_en = serializers.CharField(max_length=10_000)
    text_cy = serializers.CharField(max_length=10_000, required=False, default="", allow_blank=True)
    reported_to = serializers.PrimaryKeyRelatedField(
        queryset=Board.objects.none(),
        required=False,
        allow_null=True,
        help_text="The id of the board it was reported to (an active board).",
    )
    evidence = serializers.ListField(
        child=EvidenceBody(), required=False, default=list, max_length=MAX_EVIDENCE
    )
    version = serializers.IntegerField(
        min_value=1, help_text="The recommendation's version you read."
    )

    def __init__(self, *args: Any, boards: Any = None, **kwargs: Any) -> None:
        """``boards``: those the caller may report to (``selectors.boards``)."""
        super().__init__(*args, **kwargs)
        if boards is not None:
            self.fields["reported_to"].queryset = boards  # type: ignore[attr-defined]


class BoardSummarySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = Board
        fields = ["id", "name_en", "name_cy", "chair_en", "chair_cy", "organisation", "version"]


class BoardRecommendationSerializer(RecommendationSummarySerializer):
    overdue = serializers.SerializerMethodField()

    class Meta(RecommendationSummarySerializer.Meta):
        fields = [*RecommendationSummarySerializer.Meta.fields, "overdue"]

    def get_overdue(self, obj: Recommendation) -> bool:
        due = obj.next_update_due()
        return bool(due and due < self.context["today"])


class BoardDetailSerializer(BoardSummarySerializer):
    """The board with the recommendations it monitors (in the context, already scoped)."""

    recommendations = serializers.SerializerMethodField()

    class Meta(BoardSummarySerializer.Meta):
        fields = [*BoardSummarySerializer.Meta.fields, "recommendations"]

    @extend_schema_field(BoardRecommendationSerializer(many=True))
    def get_recommendations(self, obj: Board) -> list[dict[str, Any]]:
        rows = self.context.get("recommendations", [])
        return list(
            BoardRecommendationSerializer(
                rows, many=True, context={"today": self.context["today"]}
            ).data
        )


class ReportSerializer(serializers.ModelSerializer):
    review_title_en = serializers.CharField(source="review.title_en")
    produced_by = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = PanelReport
        fields = [
            "id",
            "review",
            "review_title_en",
            "as_of",
            "language",
            "sha256",
            "produced_at",
            "produced_by",
            "pdf_url",
        ]

    def get_produced_by(self, obj: PanelReport) -> str:
        return obj.produced_by.get_full_name() or obj.produced_by.username

    def get_pdf_url(self, obj: PanelReport) -> str:
        """The page that downloads the stored PDF (the same session signs it in)."""
        return reverse("oversight:report-pdf", args=[obj.pk])


# --- the facts and the dashboards (figures only) ------------------------------------------------


class FiguresQuery(serializers.Serializer):
    """The period and county of the facts and of a dashboard tile."""

    start = serializers.DateField(required=False, help_text="The first day, included.")
    end = serializers.DateField(required=False, help_text="The last day, included.")
    county = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="ONS code; empty: all."
    )


class FactSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    value_text = serializers.CharField(allow_null=True)
    explanation = serializers.CharField(allow_blank=True)
    base_label = serializers.CharField(allow_blank=True)
    base_value = serializers.FloatField(allow_null=True)
    end_label = serializers.CharField(allow_blank=True)
    end_value = serializers.FloatField(allow_null=True)
    definition = serializers.CharField(allow_blank=True)
    definition_anchor = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    missing = serializers.CharField(allow_null=True)
    seed_value = serializers.CharField(allow_blank=True)
    table_headers = serializers.ListField(child=serializers.CharField(allow_blank=True))
    table_rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True))
    )


class FactsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    county = serializers.CharField(allow_null=True, help_text="ONS code; null: the force area.")
    facts = FactSerializer(many=True)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.CharField()


class CellSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, help_text="As the page shows it.")
    hidden = serializers.BooleanField(help_text="Suppressed (small numbers).")


class ShownRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_blank=True)
    label = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    total = serializers.BooleanField()
    cells = CellSerializer(many=True)


class TileSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField(allow_blank=True)
    docs = serializers.CharField()
    source = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    start = serializers.DateField()
    end = serializers.DateField()
    county = serializers.CharField(allow_null=True)
    area = serializers.CharField()
    suppressed = serializers.BooleanField()
    suppression_note = serializers.CharField(allow_null=True)
    missing = serializers.CharField(allow_blank=True)
    notes = serializers.ListField(child=serializers.CharField(allow_blank=True))
    columns = ColumnSerializer(many=True)
    rows = ShownRowSerializer(many=True)
