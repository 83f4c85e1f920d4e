"""Custody pages: every URL of the app, by feature (names and paths are listed in the
cross-app access matrix, tests/system/test_access_matrix.py). No personal data in a URL:
records by number, names posted."""

from django.urls import path

from pontio.custody import urls_funnel
from pontio.custody.views import (
    authorisations,
    booking,
    breaches,
    provider,
    records,
    reference,
    steps,
)

app_name = "custody"

urlpatterns = [
    # records
    path("", records.record_list, name="list"),
    path("book/", booking.record_book, name="book"),
    path("<int:pk>/", records.record_detail, name="detail"),
    path("<int:pk>/change/", steps.record_change, name="record-change"),
    path("<int:pk>/offences/add/", steps.record_offence_add, name="record-offence-add"),
    path("<int:pk>/charge/", steps.charge, name="charge"),
    path("<int:pk>/authorisation/", steps.authorisation_request, name="authorisation-request"),
    path("<int:pk>/authorisation/give/", steps.authorisation_give, name="authorisation-give"),
    path("<int:pk>/test/", steps.test_request, name="test-request"),
    path("<int:pk>/test/outcome/", steps.test_outcome, name="test-outcome"),
    path("<int:pk>/test/result/", steps.test_result, name="test-result"),
    path("<int:pk>/test/dispute/", steps.test_dispute, name="test-dispute"),
    path("<int:pk>/test/confirmatory/", steps.test_confirmatory, name="test-confirmatory"),
    path("<int:pk>/assessment/", steps.assessment_impose, name="assessment-impose"),
    path("<int:pk>/assessment/vary/", steps.assessment_vary, name="assessment-vary"),
    path("<int:pk>/assessment/follow-up/", steps.assessment_followup, name="assessment-followup"),
    path("notices/<int:pk>/", records.notice_download, name="notice"),
    # the provider's assessor, from the referral the requirement made (Drugs Act 2005 s13)
    path(
        "assessments/<int:pk>/follow-up/",
        provider.provider_followup,
        name="provider-followup",
    ),
    # inspectors
    path("authorisations/", authorisations.authorisation_list, name="authorisations"),
    path(
        "authorisations/<int:pk>/",
        authorisations.authorisation_decide,
        name="authorisation-decide",
    ),
    path(
        "authorisations/<int:pk>/confirm/",
        authorisations.authorisation_confirm,
        name="authorisation-confirm",
    ),
    # failures to attend or remain
    path("breaches/", breaches.breach_list, name="breach-list"),
    path("breaches/<int:pk>/", breaches.breach_detail, name="breach-detail"),
    # reference data (administrators)
    path("reference/", reference.reference_list, name="reference"),
    path(
        "reference/suites/new/",
        reference.reference_create,
        {"kind": "suite"},
        name="suite-create",
    ),
    path(
        "reference/suites/<int:pk>/",
        reference.reference_edit,
        {"kind": "suite"},
        name="suite-edit",
    ),
    path(
        "reference/notifications/new/",
        reference.reference_create,
        {"kind": "notification"},
        name="notification-create",
    ),
    path(
        "reference/notifications/<int:pk>/",
        reference.reference_edit,
        {"kind": "notification"},
        name="notification-edit",
    ),
    path(
        "reference/offences/new/",
        reference.reference_create,
        {"kind": "offence"},
        name="offence-create",
    ),
    path(
        "reference/offences/<int:pk>/",
        reference.reference_edit,
        {"kind": "offence"},
        name="offence-edit",
    ),
]

# The funnel's pages (helper D): in the same namespace.
urlpatterns += urls_funnel.urlpatterns
