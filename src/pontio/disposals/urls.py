"""Disposals pages: every URL of the app, by feature (names and paths are listed in the
cross-app access matrix, tests/system/test_access_matrix.py). No personal data in a URL:
records by number, names posted."""

from pontio.disposals.views import decisions, diversion, exports, outcomes, panel, reference

app_name = "disposals"

urlpatterns = [
    *decisions.urlpatterns,
    *diversion.urlpatterns,
    *outcomes.urlpatterns,
    *panel.urlpatterns,
    *exports.urlpatterns,
    *reference.urlpatterns,
]
