"""Referrals API (v1): the list, sending, one referral, its moves, and the code registry.

- The list is scoped with ``restrict`` and filtered by ``filters.ReferralFilterSet``, the
  same filter as the inbox page and its exports (``search`` by reference, never by name);
  a wrong value answers 400 by field. It is paged by ``limit`` and ``offset``.
- A single referral is fetched with ``scoped_get``: outside the caller's scope it is "not
  found" and the attempt is audited; every read is audited with the person's id.
- The provider sees the whole referral and its clinical work; the police (the referring
  officer and their supervisors) see what the police page shows: status, timers, outcome,
  history, contact attempts and appointments, never notes or clinical records.
- Sending needs an ``Idempotency-Key`` header: a retry with the same key and the same
  referral returns the referral already made (200); the same key with a different referral
  is refused (422). The rules are the services' (``services.repeated_send``).
- Every change names the ``version`` it started from; a stale one answers 409 and says
  what to do. Refusals answer 400 with the service's own messages, by field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.accounts.models import User
from pontio.audit.services import AuditContext, audit_request
from pontio.core.access import scoped_get
from pontio.core.concurrency import StaleVersionError
from pontio.core.models import County
from pontio.core.permissions import require_permission
from pontio.core.recording import AuditAction
from pontio.core.scopes import restrict
from pontio.directory.models import Substance
from pontio.people.models import Person
from pontio.referrals import selectors, services
from pontio.referrals.api import examples
from pontio.referrals.api.errors import (
    FORBIDDEN,
    IDEMPOTENCY_KEY,
    KEY_REUSED,
    NOT_FOUND,
    REFUSED,
    STALE,
    create_errors,
    key_refused,
    messages_of,
    refused,
    stale,
    user_of,
)
from pontio.referrals.api.serializers import (
    REFERRAL_DETAIL,
    PoliceReferralSerializer,
    ProviderReferralSerializer,
    ReferralCodeSerializer,
    ReferralCreateSerializer,
    ReferralSummarySerializer,
    TransitionSerializer,
)
from pontio.referrals.filters import ReferralFilterSet
from pontio.referrals.models import Party, Referral, ReferralCode
from pontio.referrals.refusals import audit_refusal

# --- helpers ----------------------------------------------------------------------------


def detail_data(referral_id: int, user: User) -> dict[str, Any]:
    """The referral as the caller's party may see it (re-read after a change)."""
    context = {"today": timezone.localdate(), "user": user}
    if services.party_of(user) == Party.PROVIDER:
        referral = selectors.detail(user, referral_id, clinical=True)
        return dict(ProviderReferralSerializer(referral, context=context).data)
    referral = selectors.detail(user, referral_id, clinical=False)
    return dict(PoliceReferralSerializer(referral, context=context).data)


def referral_in_scope(request: Request, pk: int, action: str = "change") -> Referral:
    """The referral, or 404 with the attempt audited (``scoped_get``)."""
    return scoped_get(request, Referral.objects.all(), pk, action, audit_read=False)


def _substances(codes: list[str]) -> tuple[Substance, ...]:
    found = tuple(Substance.objects.effective().filter(code__in=codes).order_by("code"))
    unknown = sorted(set(codes) - {s.code for s in found})
    if unknown:
        raise ValidationError(
            {
                "substances": [
                    _("“%(code)s” is not a known substance code") % {"code": code[:40]}
                    for code in unknown
                ]
            },
            code="unknown_substance",
        )
    return found


def _county(code: str) -> County | None:
    if not code:
        return None
    county = County.objects.effective().filter(ons_code=code).first()
    if county is None:
        raise ValidationError(
            {"county": [_("“%(code)s” is not a county of the force area") % {"code": code[:9]}]},
            code="unknown_county",
        )
    return county


def referral_data(values: dict[str, Any]) -> services.ReferralData:
    """The body as the service takes it: the same field names as the referral's, with the
    contact route (and its ``times``) taken out of ``contact``."""
    errors: dict[str, Any] = {}
    flat: dict[str, Any] = {k: v for k, v in values.items() if k in services.FLAT_FIELDS}
    contact = values["contact"]
    flat.update({kept: contact[name] for name, kept in services.CONTACT_FIELDS.items()})
    flat["contact_times"] = contact["times"]
    try:
        flat["substances"] = _substances(values["substances"])
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        flat["county"] = _county(values["county"])
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return services.ReferralData.from_flat(flat)


class ReferralFilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the filter it used on the view (for the audit)."""

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        view.filterset = filterset
        return filterset


# --- views ------------------------------------------------------------------------------


class ReferralPagination(LimitOffsetPagination):
    """``?limit=`` rows (50 unless told, at most 200) from ``?offset=`` (0 unless told)."""

    default_limit = 50
    max_limit = 200


class ReferralList(generics.GenericAPIView):
    serializer_class = ReferralSummarySerializer
    required_permission = "referrals.view"
    pagination_class = ReferralPagination
    filter_backends = [ReferralFilterBackend]
    filterset_class = ReferralFilterSet
    filterset: ReferralFilterSet

    def get_queryset(self) -> QuerySet[Referral]:
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        return selectors.referrals_for(user_of(self.request))

    @extend_schema(
        summary="Referrals you may see",
        description=(
            "Providers: referrals to your organisation (caseworkers: in your counties). "
            "Officers: the referrals you made; supervisors: those of your area.\n\n"
            "Filters, as on the inbox page (the same FilterSet): search (all or part of a "
            "referral reference, such as PR26-000123; names are never searched, so no "
            "personal data travels in the URL), status (FHIR Task status), state (open or "
            "finished), county (ONS code), pathway, breach (any, first_contact, assessment, "
            "treatment, or soon: due by the next working day), awaiting (first_contact, "
            "assessment or treatment: the next timer to meet), allocated (me or nobody), sort "
            "(due: what breaches first, the default; sent; status) and order (asc or desc; "
            "the default is asc for due and status, desc for sent). A value that is not one "
            "of these is refused (400, by field).\n\n"
            "Paging: limit (rows per answer, 50 unless given, at most 200) and offset (rows "
            "to skip, 0 unless given); the answer has count, next, previous and results."
        ),
        responses={
            200: ReferralSummarySerializer(many=True),
            400: REFUSED,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        queryset = (
            self.filter_queryset(self.get_queryset())
            .select_related("county", "status_code")
            .defer("county__boundary")
        )
        chosen = self.filterset.chosen()
        described = ", ".join(f"{k}={v}" for k, v in sorted(chosen.items())) or "none"
        audit_request(
            request,
            AuditAction.READ,
            object_type="referrals.referral",
            reason=f"api list filters: {described}"[:200],
        )
        page = self.paginate_queryset(queryset)
        serializer = ReferralSummarySerializer(page, many=True, context={"today": today})
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        summary="Send a referral",
        description=(
            "Police referring roles. Refused (400, by field) until the referral has a working "
            "contact route and everything else it needs; the service is the proposed one "
            "unless you choose another eligible one. Send an Idempotency-Key: a retry with "
            "the same key and the same referral returns the referral already made (200); "
            "the same key with a different referral is refused (422)."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=ReferralCreateSerializer,
        examples=[examples.SEND, examples.REFUSED_BY_FIELD],
        responses={
            201: PoliceReferralSerializer,
            200: OpenApiResponse(PoliceReferralSerializer, description="A retry: the same one."),
            400: REFUSED,
            403: FORBIDDEN,
            422: KEY_REUSED,
        },
    )
    def post(self, request: Request) -> Response:
        user = user_of(request)
        require_permission(user, "referrals.create")
        try:
            key = services.check_idempotency_key(
                request.headers.get("Idempotency-Key"), required=True
            )
        except ValidationError as error:
            return key_refused(error) or Response(
                messages_of(error), status=status.HTTP_400_BAD_REQUEST
            )
        body = ReferralCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        person = (
            restrict(Person.objects.all(), user, "view")
            .filter(pk=values["person"], is_active=True)
            .first()
        )
        if person is None:
            audit_request(
                request,
                AuditAction.DENIED,
                object_type="people.person",
                object_id=str(values["person"])[:64],
                reason="out of scope: refer",
            )
            return Response(
                {"person": [_("There is no person with this id that you may refer")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            referral, created = services.referral_create(
                context=AuditContext.from_request(request),
                actor=user,
                person_id=person.pk,
                data=referral_data(values),
                service_id=values["service"],
                idempotency_key=key,
            )
        except ValidationError as error:
            audit_refusal(request, error, person_id=person.pk, what="referral")
            return key_refused(error) or Response(
                create_errors(error), status=status.HTTP_400_BAD_REQUEST
            )
        if not created:
            audit_request(
                request,
                AuditAction.READ,
                obj=referral,
                person_id=referral.person_id,
                reason="api: repeated Idempotency-Key",
            )
        return Response(
            detail_data(referral.pk, user),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ReferralDetail(generics.GenericAPIView):
    serializer_class = PoliceReferralSerializer
    required_permission = "referrals.view"

    @extend_schema(
        summary="One referral",
        description=(
            "Providers see everything, with the contact route and the clinical work; the "
            "police see status, timers, outcome and history, never clinical detail. A "
            "provider's first read marks a new referral received. Outside your scope: 404 "
            "(audited). Every read is audited."
        ),
        responses={200: REFERRAL_DETAIL, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = user_of(request)
        referral = referral_in_scope(request, pk, "view")
        audit_request(request, AuditAction.READ, obj=referral, person_id=referral.person_id)
        if services.party_of(user) == Party.PROVIDER:
            services.referral_mark_received(
                context=AuditContext.from_request(request), actor=user, referral_id=referral.pk
            )
        return Response(detail_data(referral.pk, user))


class ReferralTransition(generics.GenericAPIView):
    serializer_class = TransitionSerializer
    required_permission = "referrals.view"

    @extend_schema(
        summary="Move a referral",
        description=(
            "Providers accept, reject, hold, resume and close; the police withdraw "
            "(to_status cancelled with a police reason code). The moves and codes allowed "
            "are those of the lifecycle table and the code registry (/referrals/codes/); a "
            "code may need a record first (evidence: a planned completion needs a treatment "
            "start). Who sees reason: the police's own reasons and a provider's words with a "
            "rejection are shown to both sides; a provider's words when holding, resuming or "
            "closing are kept as the provider's note (events[].note), never shown to the "
            "police. A caseworker who accepts a referral nobody is allocated to is allocated "
            "it."
        ),
        request=TransitionSerializer,
        examples=[
            examples.ACCEPT,
            examples.REJECT,
            examples.COMPLETE,
            examples.WITHDRAW,
            examples.STALE_VERSION,
        ],
        responses={
            200: REFERRAL_DETAIL,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user = user_of(request)
        referral = referral_in_scope(request, pk)
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        try:
            services.referral_transition(
                context=AuditContext.from_request(request),
                actor=user,
                referral_id=referral.pk,
                expected_version=values["version"],
                to_status=values["to_status"],
                code=values["code"] or None,
                reason=values["reason"],
                outcome_against_reason=values["outcome_against_reason"],
                outcome_summary=values["outcome_summary"],
            )
        except StaleVersionError as error:
            return stale(request, referral, error)
        except ValidationError as error:
            return refused(request, referral, error)
        return Response(detail_data(referral.pk, user))


class ReferralCodeList(generics.ListAPIView):
    serializer_class = ReferralCodeSerializer
    required_permission = "referrals.view"
    pagination_class = None

    @extend_schema(
        summary="The reason code registry",
        description=(
            "Every reason code: the move it explains (kind), the status it leads to, who may "
            "choose it, whether the service-level timer stops, who acts next, and whether a "
            "closure is planned. Codes no longer in use have valid_to set."
        ),
        responses={200: ReferralCodeSerializer(many=True), 403: FORBIDDEN},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ReferralCode]:
        if getattr(self, "swagger_fake_view", False):
            return ReferralCode.objects.none()
        return selectors.codes(user_of(self.request))


__all__ = [
    "ReferralCodeList",
    "ReferralDetail",
    "ReferralList",
    "ReferralTransition",
    "detail_data",
    "referral_data",
]
