"""Referrals API (v1): the caseload tabs and bulk allocation.

- ``GET v1/referrals/caseload/?tab=&q=``: every tab's count and one page (``limit``,
  ``offset``) of the chosen tab's rows, the referral list's row serializer plus the
  allocation. In a URL ``q`` may be a reference only (no name or date of birth travels in
  a URL); ``POST`` the same parameters as a JSON body to search by name or date of birth.
- ``POST v1/referrals/allocations/``: a provider manager allocates referrals, each named with
  the version they read, to one caseworker. Each is allocated on its own: 200 when all were;
  409 when any had been changed by someone else (named in ``stale`` with its version now;
  the others were allocated); 400 when any was refused (``refused``, by id) or is not one
  the manager may allocate (``not_found``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.audit.services import AuditContext, audit_request
from pontio.core.api import messages_of
from pontio.core.recording import AuditAction
from pontio.referrals import caseload as reads
from pontio.referrals import selectors
from pontio.referrals.api.errors import FORBIDDEN, REFUSED, user_of
from pontio.referrals.api.referrals import ReferralPagination
from pontio.referrals.api.serializers import ReferralSummarySerializer
from pontio.referrals.models import Referral
from pontio.referrals.services.caseload import MAX_ITEMS, referrals_allocate

TABS = sorted({*reads.PROVIDER_TABS, *reads.POLICE_TABS})


class CaseloadRowSerializer(ReferralSummarySerializer):
    """A row of the referral list, with its caseworker (provider staff's accounts)."""

    class Meta(ReferralSummarySerializer.Meta):
        fields = [*ReferralSummarySerializer.Meta.fields, "allocated_to"]


class TabSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class CaseloadSerializer(serializers.Serializer):
    tab = serializers.CharField()
    tabs = TabSerializer(many=True)
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = CaseloadRowSerializer(many=True)


class CaseloadQuerySerializer(serializers.Serializer):
    tab = serializers.ChoiceField(choices=TABS, required=False, allow_blank=True)
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=reads.MAX_QUERY, trim_whitespace=True
    )


class AllocationItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1)
    version = serializers.IntegerField(min_value=0)


class AllocationSerializer(serializers.Serializer):
    caseworker = serializers.IntegerField(min_value=1)
    referrals = AllocationItemSerializer(many=True, min_length=1, max_length=MAX_ITEMS)  # type: ignore[call-arg]


class StaleItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)


class AllocationResultSerializer(serializers.Serializer):
    allocated = serializers.ListField(child=serializers.IntegerField())
    stale = StaleItemSerializer(many=True)
    refused = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    not_found = serializers.ListField(child=serializers.IntegerField())
    detail = serializers.CharField()


QUERY_PARAMETERS = [
    OpenApiParameter("tab", OpenApiTypes.STR, enum=TABS, description="The tab (default mine)."),
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description="A referral reference (all or part). To search by name or date of birth, "
        "POST the same parameters as a JSON body.",
    ),
    OpenApiParameter("limit", OpenApiTypes.INT, description="Rows (50 unless given, at most 200)."),
    OpenApiParameter("offset", OpenApiTypes.INT, description="Rows to skip."),
]
DESCRIPTION = (
    "Providers: mine (open, allocated to you), unassigned (open, allocated to nobody), open "
    "and finished. Police: mine (the referrals you made) and, for supervisors, team (those "
    "made by others of your force in your area). Every tab's count, and the chosen tab's "
    "rows sorted by what breaches first (finished: newest first). q is a reference, a name "
    "or a date of birth (27/03/1990 or 1990-03-27); a date that is not real is refused (400)."
)


class ReferralCaseload(generics.GenericAPIView):
    serializer_class = CaseloadSerializer
    required_permission = "referrals.view"
    pagination_class = ReferralPagination

    def _answer(self, request: Request, values: dict[str, Any], *, in_url: bool) -> Response:
        try:
            search = reads.parse_search(values.get("q", ""))
        except ValidationError as error:
            return Response(messages_of(error), status=status.HTTP_400_BAD_REQUEST)
        if in_url and search.kind in ("name", "date_of_birth"):
            return Response(
                {
                    "q": [
                        _(
                            "Search by name or date of birth with POST (a JSON body), so that "
                            "no personal data is in the URL"
                        )
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        user = user_of(request)
        today = timezone.localdate()
        found = reads.caseload(user, values.get("tab") or None, search, today=today)
        audit_request(
            request,
            AuditAction.READ,
            object_type="referrals.referral",
            reason=f"api caseload: tab={found.tab}, search={search.kind or 'none'}",
        )
        paginator: Any = self.paginator
        page = paginator.paginate_queryset(found.rows.select_related("status_code"), request, self)
        rows = CaseloadRowSerializer(page, many=True, context={"today": today}).data
        return Response(
            {
                "tab": found.tab,
                "tabs": [
                    {"key": key, "label": str(label), "count": found.counts.get(key, 0)}
                    for key, label in found.tabs.items()
                ],
                "count": paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": rows,
            }
        )

    @extend_schema(
        summary="Your caseload: tab counts and rows",
        description=DESCRIPTION,
        parameters=QUERY_PARAMETERS,
        responses={200: CaseloadSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        body = CaseloadQuerySerializer(data=request.query_params)
        body.is_valid(raise_exception=True)
        return self._answer(request, dict(body.validated_data), in_url=True)

    @extend_schema(
        summary="Search your caseload (by reference, name or date of birth)",
        description=DESCRIPTION + " The search travels in the body, never in the URL.",
        request=CaseloadQuerySerializer,
        responses={200: CaseloadSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        body = CaseloadQuerySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(request, dict(body.validated_data), in_url=False)


class ReferralAllocations(generics.GenericAPIView):
    serializer_class = AllocationResultSerializer
    required_permission = "referrals.allocate"

    @extend_schema(
        summary="Allocate referrals to a caseworker",
        description=(
            "Provider managers. Name each referral with the version you read; the caseworker "
            "must be one of your organisation's caseworkers. Each referral is allocated on its "
            "own (the caseworker is emailed a link): 200 when all were; 409 when any had been "
            "changed by someone else since you read it (listed in stale, with its version "
            "now: read it again, then send it again; the others were allocated); 400 when any "
            "was refused (refused, by id) or is not one you may allocate (not_found)."
        ),
        request=AllocationSerializer,
        responses={
            200: AllocationResultSerializer,
            # Two shapes, so the description only promises an object: the request itself
            # can be refused (a body that is not JSON, a field missing: messages by field).
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Some were refused: the answer of 200, with refused and "
                "not_found. Or the request itself was refused: its messages, by field.",
            ),
            403: FORBIDDEN,
            409: OpenApiResponse(
                AllocationResultSerializer, description="Some had been changed: see stale."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        body = AllocationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        user = user_of(request)
        items = [(item["id"], item["version"]) for item in values["referrals"]]
        try:
            result = referrals_allocate(
                context=AuditContext.from_request(request),
                actor=user,
                items=items,
                caseworker_id=values["caseworker"],
            )
        except ValidationError as error:
            return Response(messages_of(error), status=status.HTTP_400_BAD_REQUEST)
        for referral_id in [*result.stale, *result.refused, *result.not_found]:
            audit_request(
                request,
                AuditAction.DENIED,
                object_type="referrals.referral",
                object_id=str(referral_id),
                reason="api bulk allocation refused: "
                + ("stale_version" if referral_id in result.stale else "refused"),
            )
        visible = dict(
            selectors.referrals_for(user).filter(pk__in=result.stale).values_list("pk", "reference")
        )
        stale = [
            {
                "id": i,
                "reference": visible.get(i, ""),
                "version": selectors.version_of(Referral, i, user),
            }
            for i in result.stale
        ]
        answer: int
        if result.stale:
            answer = status.HTTP_409_CONFLICT
            detail = _(
                "Someone else changed some of these referrals after you read them, so they "
                "were not allocated: read them again, then send them again with their "
                "versions now. The others were allocated."
            )
        elif result.refused or result.not_found:
            answer = status.HTTP_400_BAD_REQUEST
            detail = _("Some of these referrals were not allocated: see refused and not_found.")
        else:
            answer = status.HTTP_200_OK
            detail = _("Every referral was allocated.")
        return Response(
            {
                "allocated": result.allocated,
                "stale": stale,
                "refused": {str(k): v for k, v in result.refused.items()},
                "not_found": result.not_found,
                "detail": detail,
            },
            status=answer,
        )


urlpatterns: list[URLPattern] = [
    path("v1/referrals/caseload/", ReferralCaseload.as_view(), name="api-referral-caseload"),
    path(
        "v1/referrals/allocations/",
        ReferralAllocations.as_view(),
        name="api-referral-allocations",
    ),
]
