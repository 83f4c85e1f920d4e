"""Disposals API (v1), the writes: record a decision, add a condition, authorise, sign,
record compliance, complete, follow the breach route. Each calls the service the pages
call, so the rules, the scope, the version check and the audit are the same.

Answers: 201 or 200 with the disposal (or the condition); 400 with the service's messages
by field; 403 when the role may not; 404 outside the caller's scope (audited); 409 when the
version sent is not the current one (the body names it). Reference data by code, the
person by their Pontio id; no name in a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import scoped_get
from pontio.core.api import messages_of, stale_version_response
from pontio.core.concurrency import StaleVersionError
from pontio.core.models import County
from pontio.core.recording import AuditAction
from pontio.directory.models import Substance
from pontio.disposals.api.disposals import user_of
from pontio.disposals.api.serializers import (
    DisposalConditionSerializer,
    DisposalDetailSerializer,
)
from pontio.disposals.models import (
    Admission,
    ComplianceStatus,
    ConditionCategory,
    Disposal,
    DisposalCondition,
    DisposalType,
    GravityFactor,
    GravityOffence,
    Outcome,
    VictimViews,
)
from pontio.disposals.services import decisions as services
from pontio.people.models import Language, Person
from pontio.referrals.api.errors import FORBIDDEN, NOT_FOUND, REFUSED, STALE
from pontio.referrals.contact import REFERRAL_CHANNELS, ContactRoute
from pontio.referrals.selectors import version_of


def _code(queryset: Any, label: str) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", queryset=queryset, help_text=label)


class DecisionBody(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(is_active=True))
    offence = _code(GravityOffence.objects.all(), "Offence code (the gravity matrix)")
    offence_date = serializers.DateField()
    offence_summary = serializers.CharField(max_length=5000)
    source_reference = serializers.CharField(max_length=40, required=False, default="")
    county = serializers.SlugRelatedField(
        slug_field="ons_code", queryset=County.objects.all(), required=False, allow_null=True
    )
    admission = serializers.ChoiceField(choices=Admission.choices)
    evidence_to_charge = serializers.BooleanField()
    factors = serializers.SlugRelatedField(
        slug_field="code", queryset=GravityFactor.objects.all(), many=True, required=False
    )
    victim_views = serializers.ChoiceField(choices=VictimViews.choices)
    victim_views_text = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )
    victim_not_obtained_reason = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    disposal_type = serializers.SlugRelatedField(
        slug_field="code", queryset=DisposalType.objects.all(), required=False, allow_null=True
    )
    compliance_due = serializers.DateField(required=False, allow_null=True)
    decision_rationale = serializers.CharField(max_length=5000)


class ContactBody(serializers.Serializer):
    phone = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    address_line_1 = serializers.CharField(
        max_length=120, required=False, default="", allow_blank=True
    )
    address_line_2 = serializers.CharField(
        max_length=120, required=False, default="", allow_blank=True
    )
    address_town = serializers.CharField(
        max_length=60, required=False, default="", allow_blank=True
    )
    address_postcode = serializers.CharField(
        max_length=10, required=False, default="", allow_blank=True
    )
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=[(c.value, c.label) for c in REFERRAL_CHANNELS]),
        required=False,
        default=list,
        max_length=len(REFERRAL_CHANNELS),
    )
    email = serializers.CharField(max_length=254, required=False, default="", allow_blank=True)


class ConditionBody(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    category = serializers.ChoiceField(choices=ConditionCategory.choices)
    description = serializers.CharField(max_length=2000)
    due_date = serializers.DateField()
    hours = serializers.IntegerField(min_value=1, max_value=999, required=False, allow_null=True)
    amount_pence = serializers.IntegerField(
        min_value=1, max_value=9_999_999, required=False, allow_null=True
    )
    consent_given = serializers.BooleanField(required=False, default=True)
    preferred_language = serializers.ChoiceField(
        choices=Language.choices, required=False, default=""
    )
    substances = serializers.SlugRelatedField(
        slug_field="code", queryset=Substance.objects.all(), many=True, required=False
    )
    contact = ContactBody(required=False)


class VersionBody(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class BreachBody(VersionBody):
    reason = serializers.CharField(max_length=2000)


class ComplianceBody(VersionBody):
    status = serializers.ChoiceField(choices=ComplianceStatus.choices)
    evidence = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


def _refused(request: Request, error: ValidationError, person_id: Any = "") -> Response:
    audit_request(
        request,
        AuditAction.DENIED,
        object_type="disposals.disposal",
        person_id=str(person_id or ""),
        reason="; ".join(error.messages)[:200],
    )
    return Response(messages_of(error), status=status.HTTP_400_BAD_REQUEST)


def _disposal(request: Request, pk: int) -> Disposal:
    return scoped_get(request, Disposal.objects.all(), pk, "change", audit_read=False)


def _detail(disposal: Disposal) -> dict[str, Any]:
    row = (
        Disposal.objects.select_related(
            "person", "county", "offence", "disposal_type", "recommended_type"
        )
        .prefetch_related("factors", "conditions", "events")
        .get(pk=disposal.pk)
    )
    return dict(DisposalDetailSerializer(row).data)


class DisposalCreate(generics.GenericAPIView):
    serializer_class = DecisionBody
    required_permission = "disposals.decide"

    @extend_schema(
        summary="Record a decision",
        description=(
            "The facts, the victim's views and the decision, as on the decision page: the "
            "gravity score and the matrix's recommendation are computed and stored beside "
            "the decision. A disposal then awaits authorisation; a charge or no further "
            "action is closed. The person must be one you may see (otherwise 400 on person)."
        ),
        request=DecisionBody,
        responses={201: DisposalDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        body = DecisionBody(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        data = services.DisposalData(
            offence=v["offence"],
            offence_date=v["offence_date"],
            offence_summary=v["offence_summary"],
            admission=v["admission"],
            victim_views=v["victim_views"],
            outcome=v["outcome"],
            decision_rationale=v["decision_rationale"],
            county=v.get("county"),
            source_reference=v.get("source_reference", ""),
            evidence_to_charge=v["evidence_to_charge"],
            factors=list(v.get("factors") or []),
            victim_views_text=v.get("victim_views_text", ""),
            victim_not_obtained_reason=v.get("victim_not_obtained_reason", ""),
            disposal_type=v.get("disposal_type"),
            compliance_due=v.get("compliance_due"),
        )
        person = v["person"]
        try:
            disposal = services.disposal_record(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                person_id=person.pk,
                data=data,
            )
        except ValidationError as error:
            return _refused(request, error, person.pk)
        return Response(_detail(disposal), status=status.HTTP_201_CREATED)


class ConditionCreate(generics.GenericAPIView):
    serializer_class = ConditionBody
    required_permission = "disposals.decide"

    @extend_schema(
        summary="Add a condition",
        description=(
            "Before the agreement is signed. A treatment, awareness or diversion-scheme "
            "condition makes the referral to the provider (give consent, substances and a "
            "contact route) and, for the scheme, opens the diversion contract."
        ),
        request=ConditionBody,
        responses={
            201: DisposalConditionSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        disposal = _disposal(request, pk)
        body = ConditionBody(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        contact = v.get("contact")
        condition = services.ConditionData(
            category=v["category"],
            description=v["description"],
            due_date=v["due_date"],
            hours=v.get("hours"),
            amount_pence=v.get("amount_pence"),
            contact=ContactRoute(**contact) if contact else None,
            consent_given=v.get("consent_given", True),
            preferred_language=v.get("preferred_language", ""),
            substances=tuple(v.get("substances") or ()),
        )
        try:
            row = services.condition_add(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                disposal_id=disposal.pk,
                expected_version=v["version"],
                condition=condition,
            )
        except StaleVersionError:
            return stale_version_response(version_of(Disposal, disposal.pk, user_of(request)))
        except ValidationError as error:
            return _refused(request, error, disposal.person_id)
        return Response(DisposalConditionSerializer(row).data, status=status.HTTP_201_CREATED)


def _step(
    name: str,
    permission: str,
    summary: str,
    description: str,
    call: Callable[..., Any],
    body_class: type[serializers.Serializer] = VersionBody,
) -> type[generics.GenericAPIView]:
    """One action on the disposal: the version read, the service, the disposal back."""

    class Step(generics.GenericAPIView):
        serializer_class = body_class
        required_permission = permission

        @extend_schema(
            summary=summary,
            description=description,
            request=body_class,
            responses={
                200: DisposalDetailSerializer,
                400: REFUSED,
                403: FORBIDDEN,
                404: NOT_FOUND,
                409: STALE,
            },
            operation_id=f"disposal_{name}",
        )
        def post(self, request: Request, pk: int) -> Response:
            disposal = _disposal(request, pk)
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            try:
                changed = call(
                    context=AuditContext.from_request(request),
                    actor=user_of(request),
                    disposal_id=disposal.pk,
                    expected_version=body.validated_data["version"],
                    **{k: v for k, v in body.validated_data.items() if k != "version"},
                )
            except StaleVersionError:
                return stale_version_response(version_of(Disposal, disposal.pk, user_of(request)))
            except ValidationError as error:
                return _refused(request, error, disposal.person_id)
            return Response(_detail(changed))

    Step.__name__ = Step.__qualname__ = f"Disposal{name.title()}"
    return Step


Authorise = _step(
    "authorise",
    "disposals.authorise",
    "Authorise a disposal",
    "A role the disposal type names (sergeant or above for every type loaded).",
    services.disposal_authorise,
)
Sign = _step(
    "sign",
    "disposals.decide",
    "Record the signed agreement",
    "After authorisation, with at least one condition: the conditions start running.",
    services.agreement_sign,
)
Complete = _step(
    "complete",
    "disposals.decide",
    "Complete a disposal",
    "When every condition has been complied with (or excused).",
    services.disposal_complete,
)
Breach = _step(
    "breach",
    "disposals.breach",
    "Follow the breach route",
    "When a condition has not been complied with: the type's route (taken from the type, "
    "never chosen), with the reason.",
    services.breach_follow,
    BreachBody,
)


class Compliance(generics.GenericAPIView):
    serializer_class = ComplianceBody
    required_permission = "disposals.record_compliance"

    @extend_schema(
        summary="Record compliance with a condition",
        description=(
            "The police for their conditions, the provider for the condition its referral "
            "carries; evidence required unless pending. Once the agreement is signed."
        ),
        request=ComplianceBody,
        responses={
            200: DisposalConditionSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        condition = scoped_get(
            request,
            DisposalCondition.objects.select_related("disposal"),
            pk,
            "change",
            audit_read=False,
        )
        body = ComplianceBody(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        try:
            row = services.condition_status_set(
                context=AuditContext.from_request(request),
                actor=user_of(request),
                condition_id=condition.pk,
                status=v["status"],
                evidence=v.get("evidence", ""),
                expected_version=v["version"],
            )
        except StaleVersionError:
            return stale_version_response(
                version_of(DisposalCondition, condition.pk, user_of(request))
            )
        except ValidationError as error:
            return _refused(request, error, condition.disposal.person_id)
        return Response(DisposalConditionSerializer(row).data)


urlpatterns: list[URLPattern] = [
    path("v1/disposals/new/", DisposalCreate.as_view(), name="api-disposal-create"),
    path(
        "v1/disposals/<int:pk>/conditions/",
        ConditionCreate.as_view(),
        name="api-disposal-conditions",
    ),
    path("v1/disposals/<int:pk>/authorise/", Authorise.as_view(), name="api-disposal-authorise"),
    path("v1/disposals/<int:pk>/sign/", Sign.as_view(), name="api-disposal-sign"),
    path("v1/disposals/<int:pk>/complete/", Complete.as_view(), name="api-disposal-complete"),
    path("v1/disposals/<int:pk>/breach/", Breach.as_view(), name="api-disposal-breach"),
    path(
        "v1/disposal-conditions/<int:pk>/compliance/",
        Compliance.as_view(),
        name="api-disposal-compliance",
    ),
]
