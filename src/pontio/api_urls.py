"""The partner API (v1) and its OpenAPI description."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from pontio.accounts import api as accounts_api
from pontio.audit import api as audit_api
from pontio.custody import api as custody_api
from pontio.directory import api as directory_api
from pontio.disposals.api import urls as disposals_api_urls
from pontio.examinations import api as examinations_api
from pontio.intelligence.api import urls as intelligence_api_urls
from pontio.operations.api import urls as operations_api_urls
from pontio.people import api as people_api
from pontio.people import api_linkage as linkage_api
from pontio.referrals import api as referrals_api
from pontio.referrals.api import amend as referral_amend_api
from pontio.referrals.api import appointments as referral_appointments_api
from pontio.referrals.api import caseload as referral_caseload_api
from pontio.referrals.api import drafts as referral_drafts_api
from pontio.referrals.api import due as referral_due_api
from pontio.referrals.api import notes as referral_notes_api
from pontio.referrals.api import transfers as referral_transfers_api

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
    path(
        "v1/directory/services/",
        directory_api.ServiceList.as_view(),
        name="api-directory-service-list",
    ),
    path("v1/people/", people_api.PersonList.as_view(), name="api-person-list"),
    path("v1/people/<int:pk>/", people_api.PersonDetail.as_view(), name="api-person-detail"),
    # person matching and the review queue of possible duplicates (issue 13)
    path(
        "v1/people/matching/model/",
        linkage_api.MatchModelDetail.as_view(),
        name="api-matching-model",
    ),
    path(
        "v1/people/matching/model/estimate/",
        linkage_api.MatchModelEstimate.as_view(),
        name="api-matching-model-estimate",
    ),
    path(
        "v1/people/matching/runs/",
        linkage_api.DeduplicationRunList.as_view(),
        name="api-deduplication-run-list",
    ),
    path(
        "v1/people/duplicate-groups/",
        linkage_api.DuplicateGroupList.as_view(),
        name="api-duplicate-group-list",
    ),
    path(
        "v1/people/duplicate-groups/<int:pk>/",
        linkage_api.DuplicateGroupDetail.as_view(),
        name="api-duplicate-group-detail",
    ),
    path(
        "v1/people/duplicate-groups/<int:pk>/merge/",
        linkage_api.DuplicateGroupMerge.as_view(),
        name="api-duplicate-group-merge",
    ),
    path(
        "v1/people/duplicate-groups/<int:pk>/dismiss/",
        linkage_api.DuplicateGroupDismiss.as_view(),
        name="api-duplicate-group-dismiss",
    ),
    path(
        "v1/people/duplicate-groups/<int:pk>/undo/",
        linkage_api.DuplicateGroupUndo.as_view(),
        name="api-duplicate-group-undo",
    ),
    path("v1/referrals/", referrals_api.ReferralList.as_view(), name="api-referral-list"),
    path(
        "v1/referrals/codes/",
        referrals_api.ReferralCodeList.as_view(),
        name="api-referral-code-list",
    ),
    path(
        "v1/referrals/<int:pk>/",
        referrals_api.ReferralDetail.as_view(),
        name="api-referral-detail",
    ),
    path(
        "v1/referrals/<int:pk>/transition/",
        referrals_api.ReferralTransition.as_view(),
        name="api-referral-transition",
    ),
    path(
        "v1/referrals/<int:pk>/contact-attempts/",
        referrals_api.ContactAttemptCreate.as_view(),
        name="api-referral-contact-attempts",
    ),
    path(
        "v1/referrals/<int:pk>/appointments/",
        referrals_api.AppointmentCreate.as_view(),
        name="api-referral-appointments",
    ),
    path(
        "v1/referrals/<int:pk>/appointments/<int:aid>/attendance/",
        referrals_api.AppointmentAttendance.as_view(),
        name="api-referral-attendance",
    ),
    path(
        "v1/referrals/<int:pk>/top-entries/",
        referrals_api.TopEntryCreate.as_view(),
        name="api-referral-top-entries",
    ),
    path(
        "v1/referrals/<int:pk>/clinical-records/",
        referrals_api.ClinicalRecordCreate.as_view(),
        name="api-referral-clinical-records",
    ),
    # custody (issue 12 item 8)
    path(
        "v1/custody-records/",
        custody_api.CustodyRecordList.as_view(),
        name="api-custody-record-list",
    ),
    path(
        "v1/custody-records/<int:pk>/",
        custody_api.CustodyRecordDetail.as_view(),
        name="api-custody-record-detail",
    ),
    path(
        "v1/custody-assessments/<int:pk>/",
        custody_api.AssessmentDetail.as_view(),
        name="api-custody-assessment-detail",
    ),
    path(
        "v1/custody-assessments/<int:pk>/transition/",
        custody_api.AssessmentTransition.as_view(),
        name="api-custody-assessment-transition",
    ),
    # Device examinations (issue 18, part 5).
    path(
        "v1/examinations/",
        examinations_api.ExaminationRequestList.as_view(),
        name="api-examination-request-list",
    ),
    path(
        "v1/examinations/<int:pk>/",
        examinations_api.ExaminationRequestDetail.as_view(),
        name="api-examination-request-detail",
    ),
    path("v1/oversight/", include("pontio.oversight.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# The referrals' daily work: each feature's module lists its own endpoints.
for _feature in (
    referral_notes_api,
    referral_amend_api,
    referral_caseload_api,
    referral_due_api,
    referral_drafts_api,
    referral_transfers_api,
    referral_appointments_api,
):
    urlpatterns += _feature.urlpatterns

# Out-of-court disposals and the diversion scheme (issue 16).
urlpatterns += disposals_api_urls.urlpatterns

# Drug-disruption operations (issue 18, part 4).
urlpatterns += operations_api_urls.urlpatterns

# Drug intelligence (issue 18, parts 1 and 2).
urlpatterns += intelligence_api_urls.urlpatterns
