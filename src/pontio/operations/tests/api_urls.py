"""The project's URLs plus the operations API, as the lead will mount it (tests only)."""

from django.urls import include, path

from pontio.operations.api import urls as operations_api_urls
from pontio.urls import urlpatterns as project

urlpatterns = [
    path("api/", include(operations_api_urls.urlpatterns)),
    *project,
]
