"""Oversight API (v1): the tracker (reviews, recommendations, positions, boards), the stored
Panel reports, the deep dive's facts and the dashboards' tiles.

The same rules as the pages, because the same code: rows through ``oversight.selectors``
(``restrict``), a position through ``services.tracker.position_record``, the facts through
``facts.compute_facts`` (and the page's figures cache), a tile through ``core.tiles.present``
(so its suppressed cells are exactly those of the page and its CSV, never more).

Answers: 400 with the messages by field; 403 when the role may not; 404 outside the
caller's scope (the denial audited, as on the pages); 409 naming the current version when
the one sent is stale. Reads write nothing (the tracker holds no personal data, the figures
no records), as the pages; a refused position is audited as a denial, as in every API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core import tiles
from pontio.core.access import scoped_get
from pontio.core.api import messages_of, refusal_codes, stale_version_response
from pontio.core.concurrency import StaleVersionError
from pontio.core.permissions import has_permission
from pontio.core.recording import AuditAction
from pontio.core.replica import replica_reads
from pontio.core.scopes import restrict
from pontio.oversight import figures_cache, figures_warm, selectors
from pontio.oversight.api.serializers import (
    BoardDetailSerializer,
    BoardSummarySerializer,
    FactsSerializer,
    FiguresQuery,
    PositionBody,
    PositionSerializer,
    RecommendationDetailSerializer,
    ReportSerializer,
    ReviewDetailSerializer,
    ReviewSummarySerializer,
    TileSerializer,
)
from pontio.oversight.facts import compute_facts
from pontio.oversight.facts.form import read as read_facts
from pontio.oversight.models import PositionUpdate, Recommendation
from pontio.oversight.services import tracker as services
from pontio.oversight.views.dashboards import county_label, read_query
from pontio.referrals.api.errors import FORBIDDEN, NOT_FOUND, REFUSED, STALE
from pontio.referrals.selectors import version_of

# The Panel reports listed, newest first (as the page).
REPORTS_SHOWN = 200


def user_of(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _form_errors(form: Any) -> dict[str, list[str]]:
    """A Django form's errors as DRF's (non-field ones under ``non_field_errors``)."""
    return {
        ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }


# --- the tracker --------------------------------------------------------------------------------


class ReviewList(generics.GenericAPIView):
    serializer_class = ReviewSummarySerializer
    required_permission = "oversight.view_tracker"
    pagination_class = None

    @extend_schema(
        summary="Reviews",
        description=(
            "Every review whose recommendations are tracked (scrutiny deep dives, "
            "inspections, drug-related death reviews), newest first. The OPCC analyst, "
            "the force's inspectors and administrators."
        ),
        responses={200: ReviewSummarySerializer(many=True), 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.reviews(user_of(request))
        return Response(ReviewSummarySerializer(rows, many=True).data)


class ReviewDetail(generics.GenericAPIView):
    serializer_class = ReviewDetailSerializer
    required_permission = "oversight.view_tracker"

    @extend_schema(
        summary="One review and its recommendations",
        description=(
            "The review, the report's section texts and its recommendations, each with its "
            "owner (organisation and post), the board that monitors it, its status, the date "
            "of its last position and when the next is due (null once complete)."
        ),
        responses={200: ReviewDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = user_of(request)
        review = scoped_get(request, selectors.reviews(user), pk, "view", audit_read=False)
        rows = list(selectors.recommendations(user).filter(review=review))
        return Response(ReviewDetailSerializer(review, context={"recommendations": rows}).data)


def _recommendation_row(user: User, pk: int) -> Recommendation:
    return selectors.with_positions(selectors.recommendations(user).filter(pk=pk), user)[0]


class RecommendationDetail(generics.GenericAPIView):
    serializer_class = RecommendationDetailSerializer
    required_permission = "oversight.view_tracker"

    @extend_schema(
        summary="One recommendation and its positions",
        description=(
            "The recommendation and every position reported on it, oldest first: the RAG "
            "history. A position is never edited; a correction is a new position."
        ),
        responses={200: RecommendationDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = user_of(request)
        found = scoped_get(request, selectors.recommendations(user), pk, "view", audit_read=False)
        return Response(RecommendationDetailSerializer(_recommendation_row(user, found.pk)).data)


class PositionCreate(generics.GenericAPIView):
    serializer_class = PositionBody
    required_permission = "oversight.record_position"

    @extend_schema(
        summary="Record a position",
        description=(
            "A dated position on the recommendation, as on its page: it becomes the "
            "recommendation's status. The OPCC analyst on any recommendation; an inspector "
            "on those their organisation owns (others: 404). The date must be today or "
            "earlier, not before the review was published, and not before the last "
            "position (a correction is a new position with the same date); refused by "
            "field (400). Send the recommendation's version you read: a stale one is "
            "refused (409, with the current version). Evidence links without a web address "
            "are left out; one without a label is labelled with its address."
        ),
        request=PositionBody,
        responses={
            201: PositionSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user = user_of(request)
        recommendation = scoped_get(
            request, selectors.recommendations(user, "change"), pk, "change", audit_read=False
        )
        body = PositionBody(data=request.data, boards=selectors.boards(user))
        body.is_valid(raise_exception=True)
        v = body.validated_data
        data = services.PositionData(
            as_of=v["as_of"],
            rag=v["rag"],
            text_en=v["text_en"],
            text_cy=v.get("text_cy") or "",
            reported_to=v.get("reported_to"),
            evidence=tuple(
                ((link.get("label") or "").strip() or link["url"], link["url"])
                for link in v.get("evidence") or []
            ),
        )
        try:
            position = services.position_record(
                context=AuditContext.from_request(request),
                actor=user,
                recommendation_id=recommendation.pk,
                expected_version=v["version"],
                data=data,
            )
        except StaleVersionError:
            return stale_version_response(version_of(Recommendation, recommendation.pk, user))
        except ValidationError as error:
            audit_request(
                request,
                AuditAction.DENIED,
                object_type="oversight.recommendation",
                object_id=str(recommendation.pk),
                reason=f"position refused: {refusal_codes(error)}"[:200],
            )
            return Response(messages_of(error), status=status.HTTP_400_BAD_REQUEST)
        row = (
            restrict(PositionUpdate.objects.select_related("reported_to"), user, "view")
            .prefetch_related("evidence")
            .get(pk=position.pk)
        )
        return Response(PositionSerializer(row).data, status=status.HTTP_201_CREATED)


class BoardList(generics.GenericAPIView):
    serializer_class = BoardSummarySerializer
    required_permission = "oversight.view_tracker"
    pagination_class = None

    @extend_schema(
        summary="Boards",
        description="The active boards that monitor recommendations.",
        responses={200: BoardSummarySerializer(many=True), 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.boards(user_of(request))
        return Response(BoardSummarySerializer(rows, many=True).data)


class BoardDetail(generics.GenericAPIView):
    serializer_class = BoardDetailSerializer
    required_permission = "oversight.view_tracker"

    @extend_schema(
        summary="One board and the recommendations it monitors",
        description=(
            "Each recommendation with its status, when its next position is due and "
            "whether that is overdue (as the board's page and its meeting pack)."
        ),
        responses={200: BoardDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = user_of(request)
        board = scoped_get(request, selectors.boards(user), pk, "view", audit_read=False)
        rows = list(selectors.recommendations(user).filter(board=board))
        context = {"recommendations": rows, "today": timezone.localdate()}
        return Response(BoardDetailSerializer(board, context=context).data)


class ReportList(generics.GenericAPIView):
    serializer_class = ReportSerializer
    required_permission = "oversight.produce_report"
    pagination_class = None

    @extend_schema(
        summary="Stored Panel reports",
        description=(
            "What was produced (review, positions as of, language, the PDF's SHA-256, when "
            "and by whom), newest first, at most 200; the PDF itself is downloaded from "
            "``pdf_url`` (a page of the service, byte for byte as produced). The OPCC "
            "analyst only."
        ),
        responses={200: ReportSerializer(many=True), 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.reports(user_of(request))[:REPORTS_SHOWN]
        return Response(ReportSerializer(rows, many=True).data)


# --- the figures --------------------------------------------------------------------------------

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "start", OpenApiTypes.DATE, description="The first day, included (YYYY-MM-DD)."
    ),
    OpenApiParameter("end", OpenApiTypes.DATE, description="The last day, included (YYYY-MM-DD)."),
    OpenApiParameter("county", str, description="A county's ONS code; none: the force area."),
]


def _facts_query(query: FiguresQuery) -> QueryDict:
    """The API's ISO dates as the facts page's day, month and year (so the page's rules,
    and its messages, apply as they are)."""
    params = QueryDict(mutable=True)
    for name in ("start", "end"):
        day: dt.date | None = query.validated_data.get(name)
        if day is not None:
            params[f"{name}_0"] = str(day.day)
            params[f"{name}_1"] = str(day.month)
            params[f"{name}_2"] = str(day.year)
    if query.validated_data.get("county"):
        params["county"] = query.validated_data["county"]
    return params


class Facts(generics.GenericAPIView):
    serializer_class = FactsSerializer
    required_permission = "oversight.view_facts"

    @extend_schema(
        summary="The deep dive's facts",
        description=(
            "The seven facts of the April 2019 deep dive, computed for the period and the "
            "county as on the facts page (the same figures, the same small-number "
            "suppression, without the chart; its table is ``table_headers`` and "
            "``table_rows``). Without a period: the page's default one. A date that is not "
            "a real date, out of range, or an end before the start: 400, by field."
        ),
        parameters=PERIOD_PARAMETERS,
        responses={200: FactsSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    @replica_reads
    def get(self, request: Request) -> Response:
        query = FiguresQuery(data=request.query_params)
        if not query.is_valid():
            return Response(query.errors, status=status.HTTP_400_BAD_REQUEST)
        today = timezone.localdate()
        areas = figures_warm.dashboard_areas(request.user)
        form, chosen = read_facts(_facts_query(query), today, areas)
        if chosen is None:
            return Response(_form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        start, end, county = chosen
        user = user_of(request)
        # The facts page's own cache key: the API answers what the page shows.
        cache_key = figures_cache.key(
            user,
            "facts",
            start.isoformat(),
            end.isoformat(),
            county.ons_code if county is not None else "",
            today.isoformat(),
        )
        facts = figures_cache.get_or_build(
            cache_key, lambda: compute_facts(user=user, start=start, end=end, county=county)
        )
        body = {
            "start": start,
            "end": end,
            "county": county.ons_code if county is not None else None,
            "facts": facts,
        }
        return Response(FactsSerializer(body).data)


def tile_body(shown: tiles.Presented) -> dict[str, Any]:
    """A presented tile as JSON: the texts the page and the CSV show, nothing underneath
    (no figure behind a hidden cell, no chart)."""
    tile, query = shown.tile, shown.query
    return {
        "key": tile.key,
        "title": str(tile.title),
        "definition": str(tile.definition),
        "docs": tile.docs,
        "source": str(tile.source),
        "start": query.start,
        "end": query.end,
        "county": query.county_code or None,
        "area": county_label(query),
        "suppressed": shown.suppressed,
        "suppression_note": tiles.suppression_note() if shown.suppressed else None,
        "missing": str(shown.missing),
        "notes": [str(note) for note in shown.notes],
        "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in shown.columns],
        # As the CSV: a tile with nothing to count shows why, not a table.
        "rows": []
        if shown.missing
        else [
            {
                "key": row.key,
                "label": row.label,
                "total": row.total,
                "cells": [{"text": cell.text, "hidden": cell.hidden} for cell in row.cells],
            }
            for row in shown.rows
        ],
    }


class DashboardTile(generics.GenericAPIView):
    serializer_class = TileSerializer
    required_permission = "oversight.view_dashboards"

    @extend_schema(
        summary="One dashboard tile",
        description=(
            "The tile's table for the period and county, exactly as the dashboards page "
            "and the tile's CSV show it: counts from 1 to 4 as “fewer than 5” and the "
            "cells that would give them back “not shown” (``hidden``), for everyone who "
            "may not open the records behind the figures. Without a period: the last 12 "
            "full months. An unknown tile: 404; a tile your role may not see: 403; a bad "
            "period or county: 400, by field."
        ),
        parameters=PERIOD_PARAMETERS,
        responses={200: TileSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @replica_reads
    def get(self, request: Request, key: str) -> Response:
        user = user_of(request)
        tile = tiles.get_tile(key)
        if tile is None:
            raise exceptions.NotFound
        if not has_permission(user, tile.permission):
            raise exceptions.PermissionDenied
        form, query = read_query(request.query_params, timezone.localdate(), request.user)
        if query is None:
            return Response(_form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        shown = tiles.present(tile, query, tile.build(user, query))
        return Response(TileSerializer(tile_body(shown)).data)
