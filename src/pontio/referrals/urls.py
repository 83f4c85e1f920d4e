"""Referral pages (names and paths are part of the cross-app access matrix)."""

from django.urls import path

from pontio.referrals.views import (
    amend,
    appointments,
    caseload,
    create,
    detail,
    drafts,
    due,
    lists,
    metrics,
    notes,
    police,
    provider,
    transfers,
    work,
)

app_name = "referrals"

urlpatterns = [
    path("<int:pk>/", detail.referral_detail, name="detail"),
    # police
    path("new/<int:person_pk>/", create.create_details, name="create"),
    path("new/<int:person_pk>/provider/", create.create_provider, name="create-provider"),
    path("<int:pk>/withdraw/", police.withdraw, name="withdraw"),
    path("<int:pk>/resend/", police.resend, name="resend"),
    path("alerts/", police.alerts, name="alerts"),
    # provider: moves
    path("<int:pk>/accept/", provider.referral_accept, name="accept"),
    path("<int:pk>/reject/", provider.referral_reject, name="reject"),
    path("<int:pk>/hold/", provider.referral_hold, name="hold"),
    path("<int:pk>/resume/", provider.referral_resume, name="resume"),
    path("<int:pk>/close/", provider.referral_close, name="close"),
    # provider: work
    path("<int:pk>/contact-attempts/new/", work.contact_attempt_add, name="contact-attempt-add"),
    path("<int:pk>/appointments/new/", work.appointment_add, name="appointment-add"),
    path(
        "<int:pk>/appointments/<int:appointment_pk>/attendance/",
        work.appointment_attendance,
        name="appointment-attendance",
    ),
    path("<int:pk>/clinical/new/", work.clinical_record_add, name="clinical-add"),
    path("<int:pk>/top/new/", work.top_add, name="top-add"),
    path("<int:pk>/allocate/", work.referral_allocate, name="allocate"),
    # lists and exports
    path("", lists.inbox, name="inbox"),
    path("export.csv", lists.export_csv, name="export-csv"),
    path("export.xlsx", lists.export_xlsx, name="export-xlsx"),
    # figures
    path("metrics/", metrics.metrics_page, name="metrics"),
    path("metrics/totals/", metrics.metrics_totals, name="metrics-totals"),
]

# The daily work (notes, amendments, caseload, work due, drafts, transfers, appointments):
# each feature's module lists its own pages.
for _feature in (notes, amend, caseload, due, drafts, transfers, appointments):
    urlpatterns += _feature.urlpatterns
