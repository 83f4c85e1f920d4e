"""People API: scoped lists and single records, with the same rules as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers

from pontio.core.access import scoped_get
from pontio.people.models import IDENTITY_FIELDS, Address, Alias, Flag, Person
from pontio.people.selectors import people_for


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
        return list(FlagSerializer(obj.flags.filter(resolved_at=None), many=True).data)


@extend_schema_view(
    get=extend_schema(
        summary="People in your area",
        description=(
            "Active person records the caller may see (police operational roles: the "
            "caller's counties, or the whole force area). Paginated."
        ),
    )
)
class PersonList(generics.ListAPIView):
    serializer_class = PersonSummarySerializer
    required_permission = "people.view_person"

    def get_queryset(self) -> QuerySet[Person]:
        return people_for(self.request.user).order_by("pk")


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
        queryset = Person.objects.prefetch_related(
            "aliases", Prefetch("addresses", queryset=Address.objects.select_related("county"))
        )
        return scoped_get(self.request, queryset, pk, person_id=str(pk))
