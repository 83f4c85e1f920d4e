"""Stop and search pages. Each views module lists its own patterns."""

from pontio.stopsearch import views_analysis, views_audit, views_imports, views_records

app_name = "stopsearch"

urlpatterns = [
    *views_records.urlpatterns,
    *views_audit.urlpatterns,
    *views_imports.urlpatterns,
    *views_analysis.urlpatterns,
]
