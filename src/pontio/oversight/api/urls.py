"""Every endpoint of the oversight API, mounted by ``pontio.api_urls`` under ``v1/oversight/``
with a string include (nothing outside oversight imports it)."""

from __future__ import annotations

from django.urls import URLPattern, path

from pontio.oversight.api import views

urlpatterns: list[URLPattern] = [
    path("reviews/", views.ReviewList.as_view(), name="api-oversight-review-list"),
    path("reviews/<int:pk>/", views.ReviewDetail.as_view(), name="api-oversight-review-detail"),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetail.as_view(),
        name="api-oversight-recommendation-detail",
    ),
    path(
        "recommendations/<int:pk>/positions/",
        views.PositionCreate.as_view(),
        name="api-oversight-positions",
    ),
    path("boards/", views.BoardList.as_view(), name="api-oversight-board-list"),
    path("boards/<int:pk>/", views.BoardDetail.as_view(), name="api-oversight-board-detail"),
    path("reports/", views.ReportList.as_view(), name="api-oversight-report-list"),
    path("facts/", views.Facts.as_view(), name="api-oversight-facts"),
    path(
        "dashboards/<slug:key>/",
        views.DashboardTile.as_view(),
        name="api-oversight-dashboard-tile",
    ),
]
