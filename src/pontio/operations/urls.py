"""Operations pages: every URL of the app, by feature (listed in the access matrix through
``operations/tests/routes.py``). No personal data in a URL: records by number."""

from pontio.operations.views import (
    engagement,
    evaluation,
    forecast,
    intelligence,
    links,
    operations,
    results,
)

app_name = "operations"

urlpatterns = [
    *operations.urlpatterns,
    *engagement.urlpatterns,
    *forecast.urlpatterns,
    *results.urlpatterns,
    *links.urlpatterns,
    *evaluation.urlpatterns,
    *intelligence.urlpatterns,
]
