"""The partner API (v1) and its OpenAPI description."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from pontio.accounts import api as accounts_api
from pontio.audit import api as audit_api

urlpatterns = [
    path("v1/me/", accounts_api.MeView.as_view(), name="api-me"),
    path("v1/users/", accounts_api.UserList.as_view(), name="api-user-list"),
    path("v1/users/<int:pk>/", accounts_api.UserDetail.as_view(), name="api-user-detail"),
    path(
        "v1/organisations/",
        accounts_api.OrganisationList.as_view(),
        name="api-organisation-list",
    ),
    path("v1/audit-events/", audit_api.AuditEventList.as_view(), name="api-audit-event-list"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
