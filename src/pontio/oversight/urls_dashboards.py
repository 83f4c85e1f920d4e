"""The dashboards pages (see core.tiles): the page, and each tile's CSV."""

from django.urls import path

from pontio.oversight.views import dashboards

urlpatterns: list = [
    path("dashboards/", dashboards.dashboards, name="dashboards"),
    path("dashboards/<slug:key>.csv", dashboards.dashboard_csv, name="dashboard-csv"),
]
