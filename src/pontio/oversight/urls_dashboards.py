"""The dashboards pages (see core.tiles) and the drug market picture: pages and CSVs."""

from django.urls import path

from pontio.oversight.views import dashboards, market

urlpatterns: list = [
    path("dashboards/", dashboards.dashboards, name="dashboards"),
    path("dashboards/<slug:key>.csv", dashboards.dashboard_csv, name="dashboard-csv"),
    path("market/", market.market_page, name="market"),
    path("market/<slug:key>.csv", market.market_csv, name="market-csv"),
]
