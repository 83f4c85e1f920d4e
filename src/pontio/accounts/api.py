"""Accounts API: who am I, users and organisations (scoped like the pages)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pontio.accounts import selectors
from pontio.accounts.models import Organisation, User
from pontio.core.access import scoped_get
from pontio.core.scopes import restrict


class OrganisationSerializer(serializers.ModelSerializer):
    counties: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="ons_code", many=True, read_only=True
    )

    class Meta:
        model = Organisation
        fields = ["id", "name", "name_cy", "kind", "counties", "is_active", "version"]


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    counties: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="ons_code", many=True, read_only=True
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "staff_number",
            "organisation",
            "roles",
            "force_wide",
            "counties",
            "preferred_language",
            "is_active",
            "version",
        ]

    def get_roles(self, obj: User) -> list[str]:
        return sorted(obj.role_set)


class MeView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)


class UserList(generics.ListAPIView):
    serializer_class = UserSerializer
    required_permission = "accounts.view_team"

    def get_queryset(self) -> QuerySet[User]:
        """Filtered like the administrators' page (``?role=``, ``?organisation=<id>``); an
        invalid filter is a 400 with its field errors."""
        filters, users = selectors.users_for(self.request.user, self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        return users.order_by("pk")


class UserDetail(generics.RetrieveAPIView):
    serializer_class = UserSerializer
    required_permission = "accounts.view_team"
    queryset = User.objects.all()

    def get_object(self) -> Any:
        return scoped_get(self.request, User.objects.all(), self.kwargs["pk"])


class OrganisationList(generics.ListAPIView):
    serializer_class = OrganisationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return restrict(Organisation.objects.all(), self.request.user, "view").order_by("pk")
