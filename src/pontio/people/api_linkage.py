"""People API (v1, issue 13): person matching and the review queue of possible duplicates,
with the same rules as the pages (``people.views.linkage``).

- The matching model and de-duplication runs (administrators, ``people.manage_matching``)
  hold no personal data: the current model's parameters (per comparison, each level's m, u
  and weight in bits) and how it was evaluated; re-estimating it (queued for the worker,
  refused with 400 when the people table is too small); the runs, and starting one (queued,
  202; refused with 409 while one runs).
- The groups of possible duplicates (custody sergeants and inspectors,
  ``people.merge_person``) are those whose every member the caller may change
  (``people.policies``); outside that scope a group is "not found" (404) and the attempt is
  audited (``scoped_get``). The list names people by record id only; one group shows its
  members' identities, each read audited as on the page.
- Merge, dismiss and undo name the group's ``version``: a stale one answers 409 and says
  which version to send; a refusal of the service (a group already decided, records changed
  since the run, a survivor outside the group, a reason too short) answers 400 by field. Each
  refusal is audited as a denial, as the other APIs do. A merge goes through
  ``services.merges``: audited and undoable, like a merge from a person's page.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import scoped_get
from pontio.core.api import messages_of, refusal_codes, stale_version_response
from pontio.core.concurrency import StaleVersionError
from pontio.core.recording import AuditAction
from pontio.people import selectors, tasks
from pontio.people.linkage.comparisons import COMPARISONS
from pontio.people.matching import REASON_LABELS
from pontio.people.model_store import default_model
from pontio.people.models import DeduplicationRun, DuplicateCluster, Person
from pontio.people.services import linkage

MANAGE = "people.manage_matching"
MERGE = "people.merge_person"
#: As on the page's forms (``forms.ClusterMergeForm``, ``forms.ClusterDecisionForm``).
REASON_MAX_LENGTH = 2000


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


# --- refusals -------------------------------------------------------------------------------


class MatchingErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class GroupStaleSerializer(MatchingErrorSerializer):
    version = serializers.IntegerField()


FORBIDDEN = OpenApiResponse(MatchingErrorSerializer, description="Your role may not do this.")
NOT_FOUND = OpenApiResponse(
    MatchingErrorSerializer, description="Not found, or outside your scope."
)
REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Refused: the messages by field (non_field_errors and a code for the "
    "others: decided, stale_cluster, not_merged, too_few_records).",
)
STALE = OpenApiResponse(
    GroupStaleSerializer, description="Someone else decided the group: read it again."
)


def _no_body(request: Request) -> None:
    """These calls take no body; one that is sent is still parsed, so a malformed or
    over-deep JSON body is refused (400) like everywhere else in the API."""
    request.data  # noqa: B018 (parsing is the point)


def _refused(
    request: Request, cluster: DuplicateCluster, error: ValidationError, what: str
) -> Response:
    audit_request(
        request,
        AuditAction.DENIED,
        obj=cluster,
        reason=f"api {what} refused: {refusal_codes(error)}"[:200],
    )
    return Response(messages_of(error), status=status.HTTP_400_BAD_REQUEST)


def _stale(request: Request, cluster: DuplicateCluster, what: str) -> Response:
    current = (
        DuplicateCluster.objects.filter(pk=cluster.pk).values_list("version", flat=True).first()
    )
    audit_request(
        request,
        AuditAction.DENIED,
        obj=cluster,
        reason=f"api {what} refused: stale_version",
    )
    return stale_version_response(current)


# --- the matching model ---------------------------------------------------------------------


class MatchLevelSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The level's reason code.")
    # A field named like Field.label (the stubs type the attribute as the field's label).
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="What the level means, in the caller's language."
    )
    m = serializers.FloatField(help_text="How often a pair of one person is at this level.")
    u = serializers.FloatField(help_text="How often a pair of two people is at this level.")
    bits = serializers.FloatField(
        allow_null=True, help_text="The weight of the level: log2(m / u)."
    )


class MatchComparisonSerializer(serializers.Serializer):
    name = serializers.CharField()
    levels = MatchLevelSerializer(many=True)


class MatchModelSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        help_text="The model's version; 0 for the model shipped with Pontio."
    )
    estimated_at = serializers.DateTimeField(allow_null=True)
    records = serializers.IntegerField(
        allow_null=True, help_text="How many person records it was estimated from."
    )
    prior = serializers.FloatField(
        help_text="The probability that two records picked at random are one person."
    )
    comparisons = MatchComparisonSerializer(many=True)
    evaluation = serializers.DictField(
        help_text="How the model changed the pairs offered as likely, compared with the "
        "model before it (compared_with_version, pairs, likely_before, likely_after, "
        "changed, seconds); empty for the shipped model."
    )


def _bits(m: float, u: float) -> float | None:
    return round(math.log2(m / u), 3) if m > 0 and u > 0 else None


def model_data(user: User) -> dict[str, Any]:
    """The current model (the stored one marked current, else the shipped one)."""
    current = selectors.match_models(user).filter(is_current=True).first()
    parameters = current.parameters if current else default_model().to_json()
    comparisons = []
    for comparison in COMPARISONS:
        data = parameters["comparisons"][comparison.name]
        comparisons.append(
            {
                "name": comparison.name,
                "levels": [
                    {
                        "code": code,
                        "label": str(REASON_LABELS.get(code, code)),
                        "m": m,
                        "u": u,
                        "bits": _bits(m, u),
                    }
                    for code, m, u in zip(data["levels"], data["m"], data["u"], strict=True)
                ],
            }
        )
    diagnostics = parameters.get("diagnostics") or {}
    return {
        "version": current.pk if current else 0,
        "estimated_at": current.created_at if current else None,
        "records": current.records if current else diagnostics.get("records"),
        "prior": parameters["prior"],
        "comparisons": comparisons,
        "evaluation": current.evaluation if current else {},
    }


class MatchModelDetail(generics.GenericAPIView):
    serializer_class = MatchModelSerializer
    required_permission = MANAGE

    @extend_schema(
        summary="The current matching model",
        description=(
            "Administrators: the model that scores likely matches and possible duplicates "
            "(the one last estimated from the people table, or version 0, the one shipped "
            "with Pontio), with each comparison's levels, their m and u probabilities and "
            "weights in bits, and how its estimation changed the pairs offered. It holds no "
            "personal data."
        ),
        responses={200: MatchModelSerializer, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        return Response(MatchModelSerializer(model_data(_user(request))).data)


class EstimateQueuedSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["queued"])


class MatchModelEstimate(generics.GenericAPIView):
    serializer_class = EstimateQueuedSerializer
    required_permission = MANAGE

    @extend_schema(
        summary="Re-estimate the matching model",
        description=(
            "Administrators: queue a new estimation from the active person records (202); "
            "the new model becomes current when the worker has estimated it (read it at "
            "/people/matching/model/). Refused (400, code too_few_records) when the people "
            "table holds too few records for a model: the current model is kept."
        ),
        request=None,
        responses={
            202: EstimateQueuedSerializer,
            400: REFUSED,
            403: FORBIDDEN,
        },
        examples=[
            OpenApiExample(
                "Queued", value={"status": "queued"}, response_only=True, status_codes=["202"]
            )
        ],
    )
    def post(self, request: Request) -> Response:
        _no_body(request)
        try:
            linkage.check_enough_records()
        except ValidationError as error:
            return Response(messages_of(error), status=status.HTTP_400_BAD_REQUEST)
        transaction.on_commit(lambda: tasks.reestimate_match_model.enqueue())
        return Response({"status": "queued"}, status=status.HTTP_202_ACCEPTED)


# --- de-duplication runs --------------------------------------------------------------------


class DeduplicationRunSerializer(serializers.ModelSerializer):
    model: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The version of the model it used (null: the shipped one).",
    )
    stats = serializers.DictField(
        read_only=True,
        help_text="Counts and timings of its steps (blocking, loading, links withheld).",
    )

    class Meta:
        model = DeduplicationRun
        fields = [
            "id",
            "status",
            "started_at",
            "finished_at",
            "model",
            "records",
            "pairs",
            "clusters",
            "seconds",
            "stats",
        ]
        read_only_fields = fields


class DeduplicationRunList(generics.ListAPIView):
    serializer_class = DeduplicationRunSerializer
    required_permission = MANAGE

    def get_queryset(self) -> QuerySet[DeduplicationRun]:
        if getattr(self, "swagger_fake_view", False):
            return DeduplicationRun.objects.none()
        return selectors.deduplication_runs(_user(self.request)).order_by("-pk")

    @extend_schema(
        summary="De-duplication runs",
        description=(
            "Administrators: the runs over the whole people table, newest first, with their "
            "counts and timings (no personal data). Paginated with ?page=."
        ),
        responses={200: DeduplicationRunSerializer(many=True), 403: FORBIDDEN},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Start a de-duplication run",
        description=(
            "Administrators: find the possible duplicates in the whole people table, in the "
            "worker (202, with the run; read its status in the list). The groups it finds "
            "replace the open ones of the review queue. One run at a time: while one runs, "
            "another is refused (409, code running)."
        ),
        request=None,
        responses={
            202: DeduplicationRunSerializer,
            403: FORBIDDEN,
            409: OpenApiResponse(MatchingErrorSerializer, description="A run is already running."),
        },
    )
    def post(self, request: Request) -> Response:
        _no_body(request)
        try:
            run = linkage.start_deduplication(
                context=AuditContext.from_request(request), actor=_user(request)
            )
        except ValidationError as error:
            if error.code != "running":
                raise
            return Response(
                {"detail": error.messages[0], "code": error.code},
                status=status.HTTP_409_CONFLICT,
            )
        data = DeduplicationRunSerializer(run).data
        transaction.on_commit(lambda: tasks.deduplicate.enqueue(run_id=run.pk))
        return Response(data, status=status.HTTP_202_ACCEPTED)


# --- the review queue -----------------------------------------------------------------------


class MatchReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The reason code.")
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="What it means, in the caller's language."
    )


class DuplicatePairSerializer(serializers.Serializer):
    a = serializers.IntegerField(help_text="A person's record id.")
    b = serializers.IntegerField(help_text="The other person's record id.")
    probability = serializers.FloatField()
    reasons = MatchReasonSerializer(many=True)


def pairs_of(cluster: DuplicateCluster) -> list[dict[str, Any]]:
    return [
        {
            "a": a,
            "b": b,
            "probability": probability,
            "reasons": [{"code": c, "label": str(REASON_LABELS.get(c, c))} for c in codes],
        }
        for a, b, probability, codes in cluster.pairs
    ]


class DuplicateGroupSerializer(serializers.ModelSerializer):
    """A group of possible duplicates: its people by record id only."""

    members = serializers.SerializerMethodField(help_text="The people's record ids.")
    pairs = serializers.SerializerMethodField(
        help_text="The linked pairs, with their match probability and the reasons."
    )
    survivor: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The record kept, once merged."
    )
    merges = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="The merges it made (each undoable), once merged.",
    )

    class Meta:
        model = DuplicateCluster
        fields = [
            "id",
            "version",
            "status",
            "probability",
            "members",
            "pairs",
            "survivor",
            "merges",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_members(self, obj: DuplicateCluster) -> list[int]:
        return [member.person_id for member in obj.members.all()]

    @extend_schema_field(DuplicatePairSerializer(many=True))
    def get_pairs(self, obj: DuplicateCluster) -> list[dict[str, Any]]:
        return pairs_of(obj)


class DuplicateMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "given_name",
            "family_name",
            "date_of_birth",
            "gender",
            "pnc_id",
            "version",
            "is_active",
        ]
        read_only_fields = fields


class DuplicateGroupDetailSerializer(DuplicateGroupSerializer):
    """One group with its members' identities (each read audited)."""

    members = DuplicateMemberSerializer(many=True, help_text="The people, side by side.")  # type: ignore[assignment]
    stale = serializers.BooleanField(
        help_text="An open group whose records changed since the run: it cannot be merged "
        "from the queue."
    )

    class Meta(DuplicateGroupSerializer.Meta):
        fields = [*DuplicateGroupSerializer.Meta.fields, "stale"]
        read_only_fields = fields


def group_data(cluster_id: int) -> dict[str, Any]:
    """The group as the list shows it (re-read after a decision)."""
    cluster = DuplicateCluster.objects.prefetch_related("members").get(pk=cluster_id)
    return dict(DuplicateGroupSerializer(cluster).data)


def _group_in_scope(request: Request, pk: int) -> DuplicateCluster:
    """The group, or 404 with the attempt audited: groups are those whose every member the
    caller may change (``people.policies.duplicate_cluster_scope``)."""
    return scoped_get(request, DuplicateCluster.objects.all(), pk, "change", audit_read=False)


STATUS_PARAMETER = OpenApiParameter(
    "status",
    str,
    enum=DuplicateCluster.Status.values,
    description="The groups in this status (open unless given).",
)


class StatusQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=DuplicateCluster.Status.values, default=DuplicateCluster.Status.OPEN
    )


class DuplicateGroupList(generics.ListAPIView):
    serializer_class = DuplicateGroupSerializer
    required_permission = MERGE
    chosen_status: str = DuplicateCluster.Status.OPEN

    def get_queryset(self) -> QuerySet[DuplicateCluster]:
        if getattr(self, "swagger_fake_view", False):
            return DuplicateCluster.objects.none()
        query = StatusQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        self.chosen_status = query.validated_data["status"]
        return selectors.duplicate_groups(_user(self.request), self.chosen_status).prefetch_related(
            "members"
        )

    @extend_schema(
        summary="Groups of possible duplicates",
        description=(
            "Custody sergeants and inspectors: the groups of records a de-duplication run "
            "found to be probably one person, most likely first, in one status (open: "
            "waiting for review; merged; dismissed: not the same person; undone). Only the "
            "groups whose every record you may change are listed; their people are named "
            "by record id (read one group for their details). A status that is not one of "
            "these is refused (400). Paginated with ?page=."
        ),
        parameters=[STATUS_PARAMETER],
        responses={200: DuplicateGroupSerializer(many=True), 400: REFUSED, 403: FORBIDDEN},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        audit_request(
            request,
            AuditAction.READ,
            object_type="people.duplicatecluster",
            reason=f"api list status={self.chosen_status}",
        )
        return response


class DuplicateGroupDetail(generics.GenericAPIView):
    serializer_class = DuplicateGroupDetailSerializer
    required_permission = MERGE

    @extend_schema(
        summary="One group of possible duplicates",
        description=(
            "The group with its records side by side (each read is audited), the linked "
            "pairs with their reasons, and whether the records changed since the run "
            "(stale: it cannot then be merged from the queue). Outside your scope: 404 "
            "(audited)."
        ),
        responses={200: DuplicateGroupDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        cluster = _group_in_scope(request, pk)
        people = selectors.group_members(_user(request), cluster)
        for person in people:
            audit_request(
                request,
                AuditAction.READ,
                obj=person,
                person_id=person.pk,
                reason="api: duplicate review",
            )
        data = dict(DuplicateGroupSerializer(cluster).data)
        data["members"] = DuplicateMemberSerializer(people, many=True).data
        data["stale"] = cluster.status == DuplicateCluster.Status.OPEN and linkage.is_stale(cluster)
        return Response(data)


class GroupDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": gettext_lazy("Enter the reason"),
            "blank": gettext_lazy("Enter the reason"),
        },
    )
    version = serializers.IntegerField(
        min_value=1, help_text="The group's version, as read (the list or the group)."
    )


class GroupMergeSerializer(GroupDecisionSerializer):
    survivor = serializers.IntegerField(
        min_value=1,
        help_text="The record id of the member to keep; the others are merged into it.",
        error_messages={"required": gettext_lazy("Choose which record to keep")},
    )
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        help_text="Why these records are the same person (at least 10 characters).",
        error_messages={
            "required": gettext_lazy("Enter why these records are the same person"),
            "blank": gettext_lazy("Enter why these records are the same person"),
        },
    )


DECISION_RESPONSES: dict[int, Any] = {
    200: DuplicateGroupSerializer,
    400: REFUSED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: STALE,
}


class _GroupDecision(generics.GenericAPIView):
    """A decision on one group: validate, call the service, answer with the group."""

    serializer_class = DuplicateGroupSerializer
    required_permission = MERGE
    input_class: ClassVar[type[serializers.Serializer]] = GroupDecisionSerializer
    what: ClassVar[str] = ""

    def decide(
        self, context: AuditContext, user: User, cluster: DuplicateCluster, values: Any
    ) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        cluster = _group_in_scope(request, pk)
        body = self.input_class(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            self.decide(
                AuditContext.from_request(request), _user(request), cluster, body.validated_data
            )
        except StaleVersionError:
            return _stale(request, cluster, self.what)
        except ValidationError as error:
            return _refused(request, cluster, error, self.what)
        return Response(group_data(cluster.pk))


MERGE_EXAMPLES = [
    OpenApiExample(
        "Merge into the first record",
        value={
            "survivor": 1204,
            "reason": "Same man: the date of birth was typed day and month swapped",
            "version": 1,
        },
        request_only=True,
    ),
    OpenApiExample(
        "Merged",
        value={
            "id": 57,
            "version": 2,
            "status": "merged",
            "probability": 0.9981,
            "members": [1204, 3391],
            "pairs": [
                {
                    "a": 1204,
                    "b": 3391,
                    "probability": 0.9981,
                    "reasons": [
                        {
                            "code": "given_nickname",
                            "label": "Given name is a known short form or Welsh/English variant",
                        },
                        {"code": "family_exact", "label": "Same family name"},
                        {
                            "code": "dob_transposed",
                            "label": "Date of birth with day and month swapped",
                        },
                    ],
                }
            ],
            "survivor": 1204,
            "merges": [812],
            "decided_at": "2025-03-14T10:21:07Z",
        },
        response_only=True,
        status_codes=["200"],
    ),
    OpenApiExample(
        "Records changed since the run",
        value={"non_field_errors": [linkage.STALE_MESSAGE], "code": "stale_cluster"},
        response_only=True,
        status_codes=["400"],
    ),
    OpenApiExample(
        "Stale version",
        value={
            "detail": "Someone else changed this record after you read it, so nothing was "
            "saved. Read it again, check their changes, then send your request again with "
            "version 2.",
            "code": "stale_version",
            "version": 2,
        },
        response_only=True,
        status_codes=["409"],
    ),
]


class DuplicateGroupMerge(_GroupDecision):
    input_class = GroupMergeSerializer
    what = "merge"

    @extend_schema(
        summary="Merge a group",
        description=(
            "Merge every other record of an open group into the survivor (one merge each, "
            "audited and undoable, as from a person's page). Refused with nothing merged "
            "(400, code stale_cluster) when any of its records changed since the run: run "
            "the de-duplication again, or merge from a person's page. A group already "
            "decided: 400 (code decided). A stale version: 409."
        ),
        request=GroupMergeSerializer,
        responses=DECISION_RESPONSES,
        examples=MERGE_EXAMPLES,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def decide(
        self, context: AuditContext, user: User, cluster: DuplicateCluster, values: Any
    ) -> None:
        linkage.merge_cluster(
            context=context,
            actor=user,
            cluster_id=cluster.pk,
            survivor_id=values["survivor"],
            reason=values["reason"],
            version=values["version"],
        )


class DuplicateGroupDismiss(_GroupDecision):
    what = "dismiss"

    @extend_schema(
        summary="Dismiss a group",
        description=(
            "Record that an open group's records are different people (with the reason, "
            "at least 10 characters): its pairs are not offered again by later runs. A "
            "group already decided: 400 (code decided). A stale version: 409."
        ),
        request=GroupDecisionSerializer,
        responses=DECISION_RESPONSES,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def decide(
        self, context: AuditContext, user: User, cluster: DuplicateCluster, values: Any
    ) -> None:
        linkage.dismiss_cluster(
            context=context,
            actor=user,
            cluster_id=cluster.pk,
            reason=values["reason"],
            version=values["version"],
        )


class DuplicateGroupUndo(_GroupDecision):
    what = "undo"

    @extend_schema(
        summary="Undo the merges of a group",
        description=(
            "Undo every merge a merged group made, most recent first (with the reason). "
            "A group that is not merged: 400 (code not_merged). A stale version: 409."
        ),
        request=GroupDecisionSerializer,
        responses=DECISION_RESPONSES,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def decide(
        self, context: AuditContext, user: User, cluster: DuplicateCluster, values: Any
    ) -> None:
        linkage.undo_cluster(
            context=context,
            actor=user,
            cluster_id=cluster.pk,
            reason=values["reason"],
            version=values["version"],
        )
