"""The project's URLs plus the intelligence API, until the lead mounts it in api_urls."""

from django.urls import include, path

from pontio.intelligence.api import urls as intelligence_api
from pontio.urls import urlpatterns as project

urlpatterns = [path("api/", include(intelligence_api.urlpatterns)), *project]

from pontio.urls import handler400, handler403, handler404, handler500  # noqa: E402, F401
