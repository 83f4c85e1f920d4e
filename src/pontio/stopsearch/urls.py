"""Stop and search pages: every URL of the app, by feature (names and paths are listed in
the cross-app access matrix, tests/system/test_access_matrix.py)."""

from django.urls import path

from pontio.stopsearch.views import (
    analysis,
    audit,
    export,
    imports,
    panel,
    person,
    records,
    reviews,
)

app_name = "stopsearch"

urlpatterns = [
    # records
    path("", records.search_list, name="list"),
    path("new/", records.search_create, name="create"),
    path("<int:pk>/", records.search_detail, name="detail"),
    path("<int:pk>/outcome/", records.outcome_add, name="outcome"),
    path("<int:pk>/person/", person.person_link, name="person"),
    # the audit: inspector reviews, the panel's anonymised reviews, running the audit
    path("reviews/", reviews.review_list, name="review-list"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review-detail"),
    path("panel/", panel.panel_list, name="panel-list"),
    path("panel/summary/", panel.panel_summary, name="panel-summary"),
    path("panel/assign/", audit.panel_assign, name="panel-assign"),
    path("panel/<int:pk>/", panel.panel_review, name="panel-review"),
    path("audit/", audit.audit_overview, name="audit"),
    # police.uk files and the police.uk CSV of our searches
    path("imports/", imports.import_list, name="import-list"),
    path("imports/new/", imports.import_create, name="import-create"),
    path("imports/<int:pk>/", imports.import_detail, name="import-detail"),
    path("export/", export.export_form, name="export-policeuk-form"),
    path("export.csv", export.export_policeuk, name="export-policeuk"),
    # figures
    path("analysis/", analysis.analysis_page, name="analysis"),
    path("analysis.csv", analysis.analysis_export, name="analysis-export"),
]
