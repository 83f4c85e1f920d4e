"""The project's URLs plus the examinations API as the lead will mount it (requests-dme.md),
for the API's tests until it is mounted in ``api_urls``."""

from django.urls import path

from pontio.examinations import api
from pontio.urls import urlpatterns as project

urlpatterns = [
    path(
        "api/v1/examinations/",
        api.ExaminationRequestList.as_view(),
        name="api-examination-request-list",
    ),
    path(
        "api/v1/examinations/<int:pk>/",
        api.ExaminationRequestDetail.as_view(),
        name="api-examination-request-detail",
    ),
    *project,
]
