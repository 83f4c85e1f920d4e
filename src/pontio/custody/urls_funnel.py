"""The custody funnel's pages (issue 12 item 7), joined to ``custody.urls`` by
``urlpatterns += urls_funnel.urlpatterns`` inside the "custody" namespace (no ``app_name``
here). Names and paths are listed in /work/notes/custody-D-progress.md for the access matrix.
"""

from django.urls import path

from pontio.custody.funnel import views as funnel_views

urlpatterns = [
    path("funnel/", funnel_views.funnel_page, name="funnel"),
    path("funnel.csv", funnel_views.funnel_export, name="funnel-export"),
    path("funnel/records/", funnel_views.funnel_records, name="funnel-records"),
]
