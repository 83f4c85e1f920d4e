"""Top-level URLs. Each capability mounts its own ``urls.py``; the API lives under /api/."""

from django.urls import include, path

from pontio.core import views as core_views

urlpatterns = [
    path("", include("pontio.core.urls")),
    path("", include("pontio.accounts.urls")),
    path("audit/", include("pontio.audit.urls")),
    path("people/", include("pontio.people.urls")),
    path("directory/", include("pontio.directory.urls")),
    path("referrals/", include("pontio.referrals.urls")),
    path("stop-search/", include("pontio.stopsearch.urls")),
    path("custody/", include("pontio.custody.urls")),
    path("disposals/", include("pontio.disposals.urls")),
    path("intelligence/", include("pontio.intelligence.urls")),
    path("operations/", include("pontio.operations.urls")),
    path("examinations/", include("pontio.examinations.urls")),
    path("fhir/", include("pontio.interop.urls")),
    path("webhooks/", include("pontio.webhooks.urls")),
    path("reminders/", include("pontio.reminders.urls")),
    path("oversight/", include("pontio.oversight.urls")),
    path("api/", include("pontio.api_urls")),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
