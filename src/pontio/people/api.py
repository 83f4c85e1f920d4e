"""People API: scoped lists, search and single records, with the same rules as the pages.

A search names a person, so it is never in a URL: ``GET /people/`` lists, ``POST /people/``
with ``{"name": ..., "date_of_birth": ...}`` searches, through the page's FilterSet
(``people.filters.PersonFilter``). Search parameters in a query string are refused.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from pontio.core.access import scoped_get
from pontio.people.filters import NAME_MAX_LENGTH, PersonFilter
from pontio.people.models import IDENTITY_FIELDS, Address, Alias, Flag, Person
from pontio.people.selectors import people_for, person_detail_queryset


class AddressSerializer(serializers.ModelSerializer):
    county: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="ons_code", read_only=True
    )

    class Meta:
        model = Address
        fields = ["id", "line_1", "line_2", "town", "county", "postcode", "valid_from", "valid_to"]


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alias
        fields = ["id", "given_name", "family_name"]


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Flag
        fields = ["id", "kind", "raised_at", "resolved_at"]


class PersonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "given_name", "family_name", "date_of_birth", "pnc_id", "version"]


class PersonSerializer(serializers.ModelSerializer):
    aliases = AliasSerializer(many=True, read_only=True)
    addresses = AddressSerializer(many=True, read_only=True)
    open_flags = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            *IDENTITY_FIELDS,
            "aliases",
            "addresses",
            "open_flags",
            "is_active",
            "merged_into",
            "version",
        ]

    @extend_schema_field(FlagSerializer(many=True))
    def get_open_flags(self, obj: Person) -> list[dict[str, Any]]:
        # Prefetched through restrict by selectors.person_detail_queryset.
        return list(FlagSerializer(obj.open_flags, many=True).data)  # type: ignore[attr-defined]


class PersonSearchSerializer(serializers.Serializer):
    """The body of a search (described here; parsed by ``PersonFilter``, as on the page)."""

    name = serializers.CharField(
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text="Given name, family name or both; sound-alike spellings and other names "
        "are found too.",
    )
    date_of_birth = serializers.DateField(required=False, help_text="ISO 8601, like 1990-03-27.")


class PersonSearchResultsSerializer(serializers.Serializer):
    """One page of search results (the same shape as the list)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PersonSummarySerializer(many=True)


SEARCH_IN_URL = {
    name
    for filter_name in PersonFilter.base_filters
    for name in (filter_name, *(f"{filter_name}_{i}" for i in range(3)))
}


@extend_schema_view(
    get=extend_schema(
        summary="People in your area",
        description=(
            "Active person records the caller may see (police operational roles: the "
            "caller's counties, or the whole force area). Paginated. To search, POST: "
            "search parameters in the query string are refused (400), because a name in a "
            "URL ends up in logs."
        ),
    ),
    post=extend_schema(
        summary="Search people in your area",
        description=(
            "The people the list would show whose name (spelling and sound-alike, other "
            "names too) and date of birth match, in the body so that no name is in a URL. "
            "Paginated with ?page=. Invalid values answer 400 with a message per field."
        ),
        request=PersonSearchSerializer,
        parameters=[OpenApiParameter("page", int, description="A page number within the results.")],
        responses={
            200: PersonSearchResultsSerializer,
            400: OpenApiResponse(description="A value is not valid: a message per field."),
        },
    ),
)
class PersonList(generics.ListAPIView):
    serializer_class = PersonSummarySerializer
    required_permission = "people.view_person"

    def get_queryset(self) -> QuerySet[Person]:
        return people_for(self.request.user).order_by("pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        in_url = sorted(SEARCH_IN_URL & set(request.query_params))
        if in_url:
            message = _("Search with a POST: names and dates of birth are never put in a URL.")
            raise exceptions.ValidationError({key: [message] for key in in_url})
        return super().list(request, *args, **kwargs)

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = request.data
        if not hasattr(body, "get"):
            raise exceptions.ValidationError(
                {"detail": _('Send the search as an object, like {"name": "Jones"}.')}
            )
        search = PersonFilter(body, queryset=self.get_queryset(), request=request)
        if not search.is_valid():
            raise exceptions.ValidationError(search.errors)
        page = self.paginate_queryset(search.qs.order_by("pk"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    get=extend_schema(
        summary="One person",
        description="A person record with aliases, address history and open flags. "
        "Records outside the caller's scope answer 404; the read is audited.",
    )
)
class PersonDetail(generics.RetrieveAPIView):
    serializer_class = PersonSerializer
    required_permission = "people.view_person"
    queryset = Person.objects.all()

    def get_object(self) -> Any:
        pk = self.kwargs["pk"]
        return scoped_get(
            self.request, person_detail_queryset(self.request.user), pk, person_id=str(pk)
        )
